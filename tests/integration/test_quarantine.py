"""The real flow with rows that fail row checks: the rest is published, the rows are quarantined
with their reason, nothing is lost, and the threshold still stops a run that would lose too much."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from flows.pipeline import build_dataset
from flows.schema import TABLES
from flows.validate import ValidationFailed

FIXTURES = Path(__file__).parents[1] / "fixtures"


@pytest.fixture(scope="module")
def raw(tmp_path_factory) -> Path:
    """The fixture articles plus one whose sidecar dates it 1750 (not plausible for news)."""
    folder = tmp_path_factory.mktemp("raw")
    for path in [*(FIXTURES / "articles").iterdir(), *(FIXTURES / "quarantine").iterdir()]:
        shutil.copy(path, folder / path.name)
    return folder


def read(output: Path) -> dict[str, pd.DataFrame]:
    return {name: pd.read_parquet(output / "parquet" / f"{name}.parquet") for name in TABLES}


def test_rows_failing_row_checks_are_quarantined_and_the_rest_published(raw, tmp_path):
    summary = build_dataset(raw, tmp_path, max_quarantined=0.2)
    tables = read(tmp_path)
    quarantine = tables["quarantine"]
    [article] = quarantine[quarantine["table_name"] == "articles"].to_dict("records")
    assert article["check"].startswith("published_date: between")
    assert json.loads(article["offending_values"]) == {"published_date": "1750-03-04"}
    assert json.loads(article["row"])["source_path"] == "misdated.txt"
    assert "misdated.txt" not in set(tables["articles"]["source_path"])
    # its claims and mentions followed it; everything it produced is in quarantine, nothing is lost
    followers = quarantine[quarantine["table_name"] != "articles"]
    assert {"claims", "mentions"} <= set(followers["table_name"])
    assert "refers to quarantined articles" in set(followers["check"])  # (its events are dated 1750 too)
    assert set(followers[followers["table_name"] != "people"]["article_id"]) == {article["row_key"]}
    assert "Petra Lindqvist" in set(followers[followers["table_name"] == "people"]["row"].map(lambda r: json.loads(r)["name"]))
    assert article["row_key"] not in set(tables["claims"]["article_id"]) | set(tables["mentions"]["article_id"])
    inputs = {p.name for p in raw.glob("*.txt")} | {p.name for p in raw.glob("*.md")} | {p.name for p in raw.glob("*.html")}
    published = set(tables["articles"]["source_path"]) | {p for ps in tables["articles"]["duplicate_paths"] for p in ps}
    assert inputs == published | {"misdated.txt"} | set(tables["rejects"]["path"])
    # the published tables keep their references and pass every check
    people = set(tables["people"]["person_id"])
    assert set(tables["mentions"]["entity_id"].dropna()) <= people and set(tables["claims"]["speaker_id"].dropna()) <= people
    assert not {a for ids in tables["people"]["article_ids"] for a in ids} - set(tables["articles"]["article_id"])
    assert summary.quarantined["articles"] == {article["check"]: 1}
    report = json.loads((tmp_path / "reports" / "validation.json").read_text())
    assert report["success"] and report["quarantined"]["articles"] == {article["check"]: 1}
    assert "Quarantined" in (tmp_path / "reports" / "validation.html").read_text()


def test_too_many_quarantined_rows_stop_publication(raw, tmp_path):
    with pytest.raises(ValidationFailed) as err:
        build_dataset(raw, tmp_path)  # default: at most 1 % of a table; one article of a dozen is more
    assert "articles: quarantined rows 1 of" in str(err.value)
    assert not (tmp_path / "parquet").exists()
