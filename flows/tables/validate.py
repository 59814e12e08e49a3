"""Validation gate: Great Expectations suites generated from schemas/, with two severities.

Every check is declared in schemas/ with its severity:

* **invariants** — columns and types, not-null, unique keys, allowed values, references
  between tables, offsets that reproduce the text, and any value check declared
  `severity: invariant`. One failure blocks publication.
* **row checks** — value checks declared `severity: row` (plausible dates, counts,
  non-empty claim text …). Failing rows are moved to the `quarantine` table
  (see flows/quarantine.py) and the rest is published, unless more than
  `max_quarantined` of a table's rows fail; then nothing is published.

Row checks run first, the quarantine is taken out (with the rows that refer to
it), and the invariants run on what is left, so published tables always pass
every check.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from typing import Any

import pandas as pd
import pyarrow as pa

from flows.runtime import settings
from flows.tables import quarantine
from flows.tables.schema import Column, Table, ValueCheck, table

settings.quiet()  # before Great Expectations is imported: no analytics calls
logging.getLogger("great_expectations").setLevel(logging.WARNING)

EXAMPLES = 5
MAX_QUARANTINED = 0.01  # default share of a table's rows that may be quarantined before publication stops
Known = dict[str, set[str]]  # table → the keys it holds, for tables not gated together with the rows that refer to them
PUBLISHED = "_article_published_date"  # helper column: the row's article's published_date, for not_after_published


@dataclass
class Check:
    table: str
    check: str
    success: bool
    examples: list[Any] = field(default_factory=list)
    severity: str = "invariant"
    quarantined: int = 0  # rows this row check moved to quarantine

    def describe(self) -> str:
        shown = ", ".join(repr(e)[:120] for e in self.examples[:EXAMPLES])
        moved = f" ({self.quarantined} rows quarantined)" if self.quarantined else ""
        return f"{self.table}: {self.check}{moved}" + (f" — e.g. {shown}" if shown else "")


@dataclass
class Report:
    checks: list[Check]
    quarantined: dict[str, Counter[str]] = field(default_factory=dict)  # table → check → rows
    max_quarantined: float = MAX_QUARANTINED
    examples: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # (table, check) → "key {values}" of quarantined rows

    @property
    def success(self) -> bool:
        return all(c.success for c in self.checks)

    @property
    def failures(self) -> list[Check]:
        return [c for c in self.checks if not c.success]

    @property
    def n_quarantined(self) -> int:
        return sum(sum(c.values()) for c in self.quarantined.values())


class ValidationFailed(Exception):
    def __init__(self, report: Report):
        self.report = report
        lines = "\n  ".join(c.describe() for c in report.failures)
        super().__init__(f"validation failed, nothing was published:\n  {lines}")


@dataclass
class Gated:
    """What passed the gate: the tables to publish (quarantine table included) and the report."""

    tables: dict[str, pa.Table]
    report: Report


def gate(tables: dict[str, pa.Table], max_quarantined: float = MAX_QUARANTINED, known: Known | None = None) -> Gated:
    """Run the row checks, quarantine failing rows, then check the invariants on the rest.
    `known`: the keys of tables that are not gated here (a part's rows refer to the archive's
    people), to check references against."""
    with GATE_LOCK:
        return _gate(gate_context(), tables, max_quarantined, known)


def _gate(ctx: Any, tables: dict[str, pa.Table], max_quarantined: float, known: Known | None) -> Gated:
    frames = {name: t.to_pandas() for name, t in tables.items()}
    failures: list[quarantine.RowFailure] = []
    row_checks: list[Check] = []
    for name, frame in frames.items():
        found, checks = run_row_checks(ctx, table(name), frame, frames)
        failures += found
        row_checks += checks
    kept, moved = quarantine.set_aside(tables, failures)
    report = Report(row_checks + share_checks(tables, moved, max_quarantined), _counts(moved), max_quarantined)
    earlier = tables["quarantine"].to_pylist() if "quarantine" in tables else []  # a published set, checked again
    kept["quarantine"] = table("quarantine").build(earlier + moved)
    for c in row_checks:
        c.quarantined = report.quarantined.get(c.table, Counter()).get(c.check, 0)
    for row in moved:
        report.examples.setdefault((row["table_name"], row["check"]), []).append(f"{row['row_key']} {row['offending_values']}")
    untouched = {name: frames[name] for name in tables if name != "quarantine" and kept[name] is tables[name]}
    report.checks += invariant_checks(ctx, kept, untouched, known)
    return Gated(kept, report)


def merge(reports: list[Report]) -> Report:
    """One report for checks run part by part: a check passes when it passed on every part."""
    checks: dict[tuple[str, str], Check] = {}
    merged = Report([], {}, reports[0].max_quarantined if reports else MAX_QUARANTINED)
    for report in reports:
        for c in report.checks:
            seen = checks.setdefault((c.table, c.check), Check(c.table, c.check, True, [], c.severity))
            seen.success = seen.success and c.success
            seen.examples = (seen.examples + list(c.examples))[:EXAMPLES]
            seen.quarantined += c.quarantined
        for name, counts in report.quarantined.items():
            merged.quarantined.setdefault(name, Counter()).update(counts)
        for label, found in report.examples.items():
            merged.examples.setdefault(label, []).extend(found)
    merged.checks = list(checks.values())
    return merged


def validate(tables: dict[str, pa.Table]) -> Report:
    """Check published tables as they are: every invariant and every row check must hold (releases)."""
    return gate(tables, max_quarantined=0.0).report


def share_checks(tables: dict[str, pa.Table], moved: list[dict[str, Any]], max_quarantined: float) -> list[Check]:
    """A table may lose at most max_quarantined of its rows to the quarantine (cascades included)."""
    per_table = Counter(row["table_name"] for row in {(r["table_name"], r["row_key"]): r for r in moved}.values())
    checks = []
    for name, count in sorted(per_table.items()):
        share = count / max(1, tables[name].num_rows)
        ok = share <= max_quarantined
        check = f"quarantined rows {count} of {tables[name].num_rows} ({share:.2%}) ≤ {max_quarantined:.2%}"
        checks.append(Check(name, check, ok, [] if ok else [f"--max-quarantined {max_quarantined}"], severity="row"))
    return checks


def _counts(moved: list[dict[str, Any]]) -> dict[str, Counter[str]]:
    counts: dict[str, Counter[str]] = {}
    for row in moved:
        counts.setdefault(row["table_name"], Counter())[row["check"]] += 1
    return counts


# --- Great Expectations: one suite per table and severity, generated from the schema


def context() -> Any:
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    for name in [n for n in logging.root.manager.loggerDict if n.startswith("great_expectations")]:
        logging.getLogger(name).setLevel(logging.WARNING)
    ctx = gx.get_context(mode="ephemeral")
    ctx.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    return ctx


GATE_LOCK = threading.Lock()  # one gate at a time per process: they share one context (a Dask worker may run tasks on threads)


@cache
def gate_context() -> Any:
    """The gate's context, one per process: every part and every run of the process validates
    against the same data sources and suites (`_prepared`), made once per table and severity."""
    return context()


def value_expectation(col: Column, chk: ValueCheck) -> Any:
    """The Great Expectations expectation of one declared value check (schemas/: `checks:`)."""
    import great_expectations as gx

    if chk.check == "between":
        low, high = (_comparable(col, chk.param(k)) for k in ("min", "max"))
        return gx.expectations.ExpectColumnValuesToBeBetween(column=col.name, min_value=low, max_value=high)
    if chk.check == "not_blank":
        return gx.expectations.ExpectColumnValuesToMatchRegex(column=col.name, regex=r"\S")
    if chk.check == "not_before":
        return gx.expectations.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A=col.name, column_B=chk.param("column"), or_equal=True, ignore_row_if="either_value_is_missing"
        )
    if chk.check == "not_after_published":
        from great_expectations.expectations.row_conditions import Column as Where

        unless = list(chk.param("unless_status", ()))
        return gx.expectations.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A=PUBLISHED,
            column_B=col.name,
            or_equal=True,
            ignore_row_if="either_value_is_missing",
            row_condition=Where("status").is_not_in(unless) if unless else None,
        )
    raise ValueError(f"{col.name}: unknown check {chk.check!r} (known: between, not_blank, not_before, not_after_published)")


def _comparable(col: Column, value: Any) -> Any:
    """Bounds of a date column compare as datetimes (the GX frame holds datetime64 dates)."""
    if value is None or col.type != "date":
        return value
    return datetime(value.year, value.month, value.day) if isinstance(value, date) else datetime.fromisoformat(str(value))


def check_label(col: Column, chk: ValueCheck) -> str:
    return f"{col.name}: {chk.describe()}"


def run_row_checks(
    ctx: Any, spec: Table, frame: pd.DataFrame, frames: dict[str, pd.DataFrame]
) -> tuple[list[quarantine.RowFailure], list[Check]]:
    """Failing rows of every row check of the table, keyed by the table's key."""
    declared = spec.value_checks("row")
    if not declared or frame.empty:
        return [], [Check(spec.name, check_label(c, k), True, severity="row") for c, k in declared]
    found = []
    for col, chk in declared:
        expectation = value_expectation(col, chk)
        expectation.meta = {"check": check_label(col, chk)}  # GX does not keep the suite's order in its results
        found.append(expectation)
    results = {
        r.expectation_config.meta["check"]: r
        for r in _run(ctx, spec, f"{spec.name}_rows", found, gx_frame(spec, frame, frames), keyed=True)
    }
    failures: list[quarantine.RowFailure] = []
    checks = []
    for col, chk in declared:
        label = check_label(col, chk)
        result = results[label]
        if result.exception_info and result.exception_info.get("raised_exception"):
            raise RuntimeError(f"{spec.name}: row check {label} could not run: {result.exception_info.get('exception_message')}")
        rows = (result.result or {}).get("unexpected_index_list") or []
        keys = [r[spec.key] for r in rows]
        involved = [col.name] + [chk.param("column")] * (chk.check == "not_before") + ["status"] * (chk.check == "not_after_published")
        failures += [quarantine.RowFailure(spec.name, key, label, involved) for key in keys]
        checks.append(Check(spec.name, label, True, keys[:EXAMPLES], severity="row"))
    return failures, checks


def invariant_checks(
    ctx: Any, tables: dict[str, pa.Table], unchanged: dict[str, pd.DataFrame] | None = None, known: Known | None = None
) -> list[Check]:
    """Every invariant of every table: the GX suite, span checks and references. `unchanged`:
    frames already made of tables the quarantine did not touch, reused."""
    reuse = unchanged or {}
    frames = {name: reuse[name] if name in reuse else t.to_pandas() for name, t in tables.items()}
    articles = frames.get("articles")
    texts = dict(zip(articles["article_id"], articles["text"], strict=True)) if articles is not None else {}
    checks: list[Check] = []
    for name, frame in frames.items():
        spec = table(name)
        checks += run_suite(ctx, spec, frame, frames)
        checks += span_checks(spec, frame, texts)
        checks += reference_checks(spec, frame, frames, known)
    return checks


def expectations(spec: Table) -> list[Any]:
    """The invariant suite of a table, from its schema."""
    import great_expectations as gx

    # one expectation for the table's columns, not one per column: GX spends ~9 ms building each
    # expectation's metrics whatever the rows, and an increment validates every table of a part
    columns = [c.name for c in spec.columns] + helper_columns(spec)
    found: list[Any] = [gx.expectations.ExpectTableColumnsToMatchSet(column_set=columns, exact_match=True)]
    for col in spec.columns:
        if not col.nullable:
            found.append(gx.expectations.ExpectColumnValuesToNotBeNull(column=col.name))
        if col.is_list:
            continue
        if col.unique:
            found.append(gx.expectations.ExpectColumnValuesToBeUnique(column=col.name))
        if col.allowed:
            found.append(gx.expectations.ExpectColumnValuesToBeInSet(column=col.name, value_set=list(col.allowed)))
        if col.min is not None:
            found.append(gx.expectations.ExpectColumnValuesToBeBetween(column=col.name, min_value=col.min))
    found += [value_expectation(c, k) for c, k in spec.value_checks("invariant")]
    return found


def run_suite(ctx: Any, spec: Table, frame: pd.DataFrame, frames: dict[str, pd.DataFrame]) -> list[Check]:
    checks = []
    for r in _run(ctx, spec, f"{spec.name}_invariants", expectations(spec), gx_frame(spec, frame, frames), keyed=False):
        config = r.expectation_config
        kwargs = {k: v for k, v in config.kwargs.items() if k in {"column", "min_value"}}
        name = f"{config.type}({', '.join(f'{k}={v}' for k, v in kwargs.items())})"
        examples = (r.result or {}).get("partial_unexpected_list", [])
        checks.append(Check(spec.name, name, bool(r.success), list(examples)))
    return checks


def _run(ctx: Any, spec: Table, suite_name: str, found: list[Any], frame: pd.DataFrame, keyed: bool) -> list[Any]:
    batch_def, suite = _prepared(ctx, suite_name, found)
    result_format: Any = {"result_format": "COMPLETE", "unexpected_index_column_names": [spec.key]} if keyed else "SUMMARY"
    return list(batch_def.get_batch(batch_parameters={"dataframe": frame}).validate(suite, result_format=result_format).results)


_PREPARED: dict[int, dict[tuple[str, str], tuple[Any, Any]]] = {}  # context → (suite, expectations) → (batch definition, suite)


def _prepared(ctx: Any, suite_name: str, found: list[Any]) -> tuple[Any, Any]:
    """The batch definition and suite of one table's checks, made once per gate context and
    reused (keyed by the expectations themselves): adding a data source, an asset and a suite
    costs GX about a tenth of validating a part."""
    import great_expectations as gx

    prepared = _PREPARED.setdefault(id(ctx), {})
    key = (suite_name, repr(found))
    if key not in prepared:
        name = f"newsledger_{suite_name}_{len(prepared)}"
        source = ctx.data_sources.add_pandas(name=name)
        batch_def = source.add_dataframe_asset(name=suite_name).add_batch_definition_whole_dataframe("all")
        prepared[key] = batch_def, ctx.suites.add(gx.ExpectationSuite(name=name, expectations=found))
    return prepared[key]


LIST_CELL = "[…]"  # what GX sees of a list cell that is not null


def helper_columns(spec: Table) -> list[str]:
    """Columns `gx_frame` adds for the checks: the article's date, for a not_after_published check."""
    checks = spec.value_checks("row") + spec.value_checks("invariant")
    return [PUBLISHED] if any(k.check == "not_after_published" for _, k in checks) else []


def gx_frame(spec: Table, frame: pd.DataFrame, frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The frame as GX reads it. A list cell becomes the text LIST_CELL: GX fingerprints every
    batch with pandas' row hash, which cannot hash lists and then pickles the whole frame instead
    (most of the validation time), and a list column is only checked to exist and be non-null
    (schemas/ allows it no value check), so its items need not be written out. Dates become
    datetime64 so bounds compare; a row check against the article's date gets it as a column."""
    frame = frame.copy(deep=False)
    for col in spec.columns:
        if col.is_list:
            frame[col.name] = [None if v is None else LIST_CELL for v in frame[col.name]]
        elif col.type == "date":
            frame[col.name] = pd.to_datetime(pd.Series(frame[col.name], dtype="object"), errors="raise").astype("datetime64[ms]")
    if helper_columns(spec):
        published = dict(zip(frames["articles"]["article_id"], frames["articles"]["published_date"], strict=True))
        frame[PUBLISHED] = pd.to_datetime(pd.Series([published.get(a) for a in frame["article_id"]], dtype="object")).astype(
            "datetime64[ms]"
        )
    return frame


# --- invariants computed with pandas: spans and references


def span_checks(spec: Table, frame: pd.DataFrame, texts: dict[str, str]) -> list[Check]:
    """text[start:end] of the article must reproduce each stored span, inside the article (a span
    of fragments: the fragments' texts joined by a space, from start to end)."""
    checks = []
    for span in spec.spans:
        bad = []
        columns = [frame[c].tolist() for c in ("article_id", span.text, span.start, span.end)]  # lists: fast to walk
        pieces = frame[span.fragments].tolist() if span.fragments else [None] * len(frame)
        for article_id, words, start, end, fragments in zip(*columns, pieces, strict=True):
            text = texts.get(article_id)
            if text is None or not 0 <= start <= end <= len(text) or span_text(text, start, end, fragments) != words:
                bad.append((article_id, int(start), int(end), str(words)[:60]))
        checks.append(Check(spec.name, f"span {span.text} == text[{span.start}:{span.end}]", not bad, bad))
    return checks


def span_text(text: str, start: int, end: int, fragments: Any = None) -> str | None:
    """What a span's offsets say its text is: text[start:end], or its fragments joined by a space
    (None when the fragments do not run from start to end in order)."""
    if fragments is None or len(fragments) == 0:
        return text[start:end]
    pairs = [(int(a), int(b)) for a, b in fragments]
    in_order = all(a <= b for a, b in pairs) and all(b1 <= a2 for (_, b1), (a2, _) in zip(pairs, pairs[1:], strict=False))
    if not in_order or pairs[0][0] != start or pairs[-1][1] != end:
        return None
    return " ".join(text[a:b] for a, b in pairs)


def reference_checks(spec: Table, frame: pd.DataFrame, frames: dict[str, pd.DataFrame], elsewhere: Known | None = None) -> list[Check]:
    """Every non-null value (every item of a list) of a column that `references` another table's key exists there."""
    checks = []
    for col in spec.columns:
        if not col.references:
            continue
        target_table, target_col = col.references.split(".")
        if target_table in frames:
            known = set(frames[target_table][target_col])
        elif elsewhere is not None and target_table in elsewhere:
            known = elsewhere[target_table]
        else:
            raise ValueError(f"{spec.name}.{col.name} references {target_table}, which is neither gated here nor known")
        values = [i for ids in frame[col.name] for i in ids] if col.is_list else frame[col.name].dropna()
        missing = sorted({v for v in values if v not in known})
        checks.append(Check(spec.name, f"{col.name} references {col.references}", not missing, missing))
    return checks
