"""The real flow with rows that fail row checks: the rest is published, the rows are quarantined
with their reason, nothing is lost, and the threshold still stops a run that would lose too much."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

from flows.pipeline import build_dataset
from flows.tables.schema import TABLES
from flows.tables.validate import ValidationFailed

FIXTURES = Path(__file__).parents[1] / "fixtures"


@pytest.fixture(scope="module")
def raw(tmp_path_factory) -> Path:
    """The fixture articles plus one whose toll is misread by orders of magnitude (300 million dead)."""
    folder = tmp_path_factory.mktemp("raw")
    for path in [*(FIXTURES / "articles").iterdir(), *(FIXTURES / "quarantine").iterdir()]:
        shutil.copy(path, folder / path.name)
    return folder


def read(output: Path) -> dict[str, pd.DataFrame]:
    return {name: pd.read_parquet(output / "parquet" / f"{name}.parquet") for name in TABLES}


def test_rows_failing_row_checks_are_quarantined_and_the_rest_published(raw, tmp_path):
    summary = build_dataset(raw, tmp_path, max_quarantined=0.2)
    tables = read(tmp_path)
    [moved] = tables["quarantine"].to_dict("records")
    assert (moved["table_name"], moved["check"]) == ("events", "fatalities: between(min=0, max=100000000)")
    assert json.loads(moved["offending_values"]) == {"fatalities": 300_000_000}
    row = json.loads(moved["row"])
    assert row["trigger"] == "Floods" and row["event_id"] == moved["row_key"] and moved["rule"] == row["rule"]
    assert moved["row_key"] not in set(tables["events"]["event_id"])
    # the rest of its article is published: the article, its claims, its other rows
    [article_id] = set(tables["articles"][tables["articles"]["source_path"] == "implausible-toll.txt"]["article_id"])
    assert moved["article_id"] == article_id and article_id in set(tables["claims"]["article_id"])
    # nothing lost: every input file is an article or a reject
    inputs = {p.name for p in raw.iterdir() if not p.name.endswith(".meta.json")}
    published = set(tables["articles"]["source_path"]) | {p for ps in tables["articles"]["duplicate_paths"] for p in ps}
    assert inputs == published | set(tables["rejects"]["path"])
    assert summary.quarantined == {"events": {moved["check"]: 1}}
    report = json.loads((tmp_path / "reports" / "validation.json").read_text())
    assert report["success"] and report["quarantined"] == {"events": {moved["check"]: 1}}
    assert "Quarantined: 1 rows" in (tmp_path / "reports" / "validation.html").read_text()


def test_too_many_quarantined_rows_stop_publication(raw, tmp_path):
    with pytest.raises(ValidationFailed) as err:
        build_dataset(raw, tmp_path)  # default: at most 1 % of a table; one event of a few dozen is more
    assert "events: quarantined rows 1 of" in str(err.value)
    assert not (tmp_path / "parquet").exists()


def test_the_cli_summary_shows_quarantined_rows_with_examples(raw, tmp_path, capsys, monkeypatch):
    from flows.cli import main

    monkeypatch.setattr("os.environ", dict(os.environ))  # the CLI sets Prefect defaults; keep them out of other tests
    assert main(["run", "--raw", str(raw), "--output", str(tmp_path), "--max-quarantined", "0.2"]) == 0
    [line] = [ln for ln in capsys.readouterr().out.splitlines() if "quarantined" in ln and "rows:" in ln]
    assert "1 events rows: fatalities: between" in line and '{"fatalities": 300000000}' in line
