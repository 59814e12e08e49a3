"""Validation gate: Great Expectations suites generated from schemas/, plus span checks.

Nothing is published unless every table passes. The suite for a table is
derived from its YAML (columns present, not-null, unique keys, allowed
values, minimums); span checks (text[start:end] reproduces the stored words)
and references between tables are checked with pandas and reported in the
same result list.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd
import pyarrow as pa

from flows.schema import Table, table

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
logging.getLogger("great_expectations").setLevel(logging.WARNING)

EXAMPLES = 5
EARLIEST, LATEST = date(1800, 1, 1), date(2100, 12, 31)  # plausible dates for news
PLANNED = {"scheduled", "cancelled", "called_for"}


@dataclass
class Check:
    table: str
    check: str
    success: bool
    examples: list[Any] = field(default_factory=list)

    def describe(self) -> str:
        shown = ", ".join(repr(e)[:120] for e in self.examples[:EXAMPLES])
        return f"{self.table}: {self.check}" + (f" — e.g. {shown}" if shown else "")


@dataclass
class Report:
    checks: list[Check]

    @property
    def success(self) -> bool:
        return all(c.success for c in self.checks)

    @property
    def failures(self) -> list[Check]:
        return [c for c in self.checks if not c.success]


class ValidationFailed(Exception):
    def __init__(self, report: Report):
        self.report = report
        lines = "\n  ".join(c.describe() for c in report.failures)
        super().__init__(f"validation failed, nothing was published:\n  {lines}")


def expectations(spec: Table) -> list[Any]:
    """The Great Expectations suite of a table, from its schema."""
    import great_expectations as gx

    found: list[Any] = []
    for col in spec.columns:
        found.append(gx.expectations.ExpectColumnToExist(column=col.name))
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
    return found


def _context() -> Any:
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    for name in [n for n in logging.root.manager.loggerDict if n.startswith("great_expectations")]:
        logging.getLogger(name).setLevel(logging.WARNING)
    ctx = gx.get_context(mode="ephemeral")
    ctx.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    return ctx


def run_suite(ctx: Any, spec: Table, frame: pd.DataFrame) -> list[Check]:
    import great_expectations as gx

    source = ctx.data_sources.add_pandas(name=f"newsledger_{spec.name}")
    batch_def = source.add_dataframe_asset(name=spec.name).add_batch_definition_whole_dataframe("all")
    suite = ctx.suites.add(gx.ExpectationSuite(name=f"{spec.name}_suite", expectations=expectations(spec)))
    result = batch_def.get_batch(batch_parameters={"dataframe": _hashable(spec, frame)}).validate(suite)
    checks = []
    for r in result.results:
        config = r.expectation_config
        kwargs = {k: v for k, v in config.kwargs.items() if k in {"column", "min_value"}}
        name = f"{config.type}({', '.join(f'{k}={v}' for k, v in kwargs.items())})"
        examples = (r.result or {}).get("partial_unexpected_list", [])
        checks.append(Check(spec.name, name, bool(r.success), list(examples)))
    return checks


def _hashable(spec: Table, frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with list cells as JSON text. GX fingerprints every batch with pandas' row hash,
    which cannot hash lists and then pickles the whole frame instead (most of the validation time);
    the suite only asks list columns to exist and be non-null, which the text keeps."""
    lists = [c.name for c in spec.columns if c.is_list]
    if not lists:
        return frame
    frame = frame.copy(deep=False)
    for name in lists:
        frame[name] = [None if v is None else json.dumps([str(x) for x in v], ensure_ascii=False) for v in frame[name]]
    return frame


def span_checks(spec: Table, frame: pd.DataFrame, texts: dict[str, str]) -> list[Check]:
    """text[start:end] of the article must reproduce each stored span, inside the article."""
    checks = []
    for span in spec.spans:
        bad = []
        columns = (frame[c].tolist() for c in ("article_id", span.text, span.start, span.end))  # lists: fast to walk
        for article_id, words, start, end in zip(*columns, strict=True):
            text = texts.get(article_id)
            if text is None or not 0 <= start <= end <= len(text) or text[start:end] != words:
                bad.append((article_id, int(start), int(end), str(words)[:60]))
        checks.append(Check(spec.name, f"span {span.text} == text[{span.start}:{span.end}]", not bad, bad))
    return checks


def reference_checks(spec: Table, frame: pd.DataFrame, frames: dict[str, pd.DataFrame]) -> list[Check]:
    """Every non-null value of a column that `references` another table's key exists there."""
    checks = []
    for col in spec.columns:
        if not col.references:
            continue
        target_table, target_col = col.references.split(".")
        known = set(frames[target_table][target_col])
        values = frame[col.name].dropna()
        missing = sorted({v for v in values if v not in known})
        checks.append(Check(spec.name, f"{col.name} references {col.references}", not missing, missing))
    if spec.name == "events":
        known = set(frames["people"]["person_id"])
        missing = sorted({i for ids in frame["actor_ids"] for i in ids if i not in known})
        checks.append(Check(spec.name, "actor_ids reference people.person_id", not missing, missing))
    return checks


def date_checks(spec: Table, frame: pd.DataFrame, frames: dict[str, pd.DataFrame]) -> list[Check]:
    """Dates in a plausible range; an event after its article's publication only when planned."""
    checks = []
    for col in spec.columns:
        if col.type != "date":
            continue
        bad = sorted({str(v) for v in frame[col.name].dropna() if not EARLIEST <= v <= LATEST})
        checks.append(Check(spec.name, f"{col.name} between {EARLIEST} and {LATEST}", not bad, bad))
    if spec.name == "events":
        published = dict(zip(frames["articles"]["article_id"], frames["articles"]["published_date"], strict=True))
        columns = (frame[c].tolist() for c in ("event_id", "article_id", "date_start", "status"))
        future = [
            (event_id, str(start), status)
            for event_id, article_id, start, status in zip(*columns, strict=True)
            if not pd.isna(start) and not pd.isna(published.get(article_id)) and start > published[article_id] and status not in PLANNED
        ]
        checks.append(Check(spec.name, "date_start after publication only for planned events", not future, future))
    return checks


def validate(tables: dict[str, pa.Table]) -> Report:
    """Run every check on every table; the report says what failed, with example rows."""
    frames = {name: t.to_pandas() for name, t in tables.items()}
    texts = dict(zip(frames["articles"]["article_id"], frames["articles"]["text"], strict=True))
    ctx = _context()
    checks: list[Check] = []
    for name, frame in frames.items():
        spec = table(name)
        checks += run_suite(ctx, spec, frame)
        checks += span_checks(spec, frame, texts)
        checks += reference_checks(spec, frame, frames)
        checks += date_checks(spec, frame, frames)
    return Report(checks)
