"""Great Expectations' own Data Docs for a release (`reports/data-docs/index.html`).

Every table's suites from schemas/ run once more over the whole released table, through a
Checkpoint whose action renders Data Docs, so a reader sees each check with its severity and
result as GX reports it. Observation-only expectations sit beside them (they always pass):
the null share of every nullable column, the minimum, median and maximum of every number, and
how many distinct values a text column takes — what the data looks like, not only whether it
passed. The run's own `reports/validation.html` stays the gate's report: the gate checks parts
of a growing archive, not whole tables.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa

from flows.tables import validate
from flows.tables.schema import Table, table

SITE = "data-docs"
NUMBERS = {"int64", "float64"}


def observations(spec: Table) -> list[Any]:
    """Expectations that only record what the column holds: they cannot fail."""
    import great_expectations as gx

    found: list[Any] = []
    for col in spec.columns:
        if col.nullable:  # the share of nulls is the share "unexpected" when nothing may be null
            found.append(gx.expectations.ExpectColumnValuesToNotBeNull(column=col.name, mostly=0.0))
        if col.is_list:
            continue
        if col.type in NUMBERS:
            found += [
                gx.expectations.ExpectColumnMinToBeBetween(column=col.name),
                gx.expectations.ExpectColumnMedianToBeBetween(column=col.name),
                gx.expectations.ExpectColumnMaxToBeBetween(column=col.name),
            ]
        elif col.type == "string" and not col.unique:
            found.append(gx.expectations.ExpectColumnUniqueValueCountToBeBetween(column=col.name))
    for expectation in found:
        expectation.notes = "observation: records what the column holds, cannot fail"
    return found


def suite(spec: Table) -> list[Any]:
    """The table's declared checks, each noted with its severity, then its observations."""
    checks = [(e, "invariant") for e in validate.expectations(spec)]
    checks += [(validate.value_expectation(c, k), "row") for c, k in spec.value_checks("row")]
    for expectation, severity in checks:
        expectation.notes = f"severity: {severity}"
    return [e for e, _ in checks] + observations(spec)


def build(tables: dict[str, pa.Table], reports: Path) -> Path:
    """Run every table's suite through a Checkpoint that writes Data Docs under `reports/`;
    returns the site's index page."""
    import great_expectations as gx
    from great_expectations.checkpoint import UpdateDataDocsAction

    site = reports / SITE
    ctx = validate.context()
    ctx.add_data_docs_site(
        site_name=SITE,
        site_config={
            "class_name": "SiteBuilder",
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(site)},
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        },
    )
    source = ctx.data_sources.add_pandas(name="newsledger_release")
    frames = {name: t.to_pandas() for name, t in tables.items()}
    for name, frame in frames.items():
        spec = table(name)
        batch = source.add_dataframe_asset(name=name).add_batch_definition_whole_dataframe("whole table")
        expectations = ctx.suites.add(gx.ExpectationSuite(name=name, expectations=suite(spec)))
        definition = ctx.validation_definitions.add(gx.ValidationDefinition(name=name, data=batch, suite=expectations))
        render = UpdateDataDocsAction(name="data docs", site_names=[SITE])
        checkpoint = ctx.checkpoints.add(gx.Checkpoint(name=name, validation_definitions=[definition], actions=[render]))
        checkpoint.run(batch_parameters={"dataframe": validate.gx_frame(spec, frame, frames)})
    return site / "index.html"
