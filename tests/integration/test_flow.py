"""The real Prefect flow on fixture folders: tables, provenance, rejects, the validation gate."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from flows.cli import main
from flows.pipeline import build_dataset
from flows.tables.schema import TABLES, table
from flows.tables.validate import ValidationFailed
from tests.published import csv_text, files_bytes, table_bytes

FIXTURES = Path(__file__).parents[1] / "fixtures"


@pytest.fixture(scope="module")
def raw(tmp_path_factory) -> Path:
    """All fixture articles plus every kind of bad file, in one raw folder."""
    folder = tmp_path_factory.mktemp("raw")
    for source in (FIXTURES / "articles", FIXTURES / "bad"):
        for path in source.iterdir():
            shutil.copy(path, folder / path.name)
    shutil.copy(FIXTURES / "articles" / "protest.txt", folder / "zz-protest-copy.txt")
    return folder


@pytest.fixture(scope="module")
def run(raw, tmp_path_factory):
    output = tmp_path_factory.mktemp("output")
    summary = build_dataset(raw, output)
    tables = {name: pd.read_parquet(output / "parquet" / f"{name}.parquet") for name in TABLES}
    return summary, output, tables


def test_every_table_is_written_as_parquet_and_csv_in_schema_order(run):
    _, output, tables = run
    for name in TABLES:
        for part in (output / "parquet" / f"{name}.parquet").glob("*.parquet"):
            assert pq.read_schema(part).names == table(name).column_names
        header = csv_text(output, name).splitlines()[0]
        assert header.split(",") == table(name).column_names
    assert (output / "reports" / "validation.html").exists()
    assert json.loads((output / "reports" / "validation.json").read_text())["success"] is True


def test_articles_dates_and_duplicates(run):
    _, _, tables = run
    articles = tables["articles"].set_index("source_path")
    assert str(articles.loc["council.html", "published_date"]) == "2023-04-27"
    assert articles.loc["council.html", "published_date_source"] == "html"
    assert articles.loc["protest.txt", "published_date_source"] == "dateline"
    assert articles.loc["sidecar.txt", "published_date_source"] == "metadata"
    assert articles.loc["good.txt", "published_date_source"] == "none" and pd.isna(articles.loc["good.txt", "published_date"])
    assert list(articles.loc["protest.txt", "duplicate_paths"]) == ["zz-protest-copy.txt"]
    assert "newsletter" not in articles.loc["council.html", "text"]


def test_bad_files_are_rejected_with_reasons_and_the_run_goes_on(run, raw):
    summary, _, tables = run
    rejects = tables["rejects"]
    assert {"empty", "binary", "encoding", "unsupported_type", "sidecar_orphan", "html_unreadable", "sidecar_invalid"} <= set(
        rejects["reason"]
    )
    handled = (
        set(tables["articles"]["source_path"]) | {p for ps in tables["articles"]["duplicate_paths"] for p in ps} | set(rejects["path"])
    )
    sidecars_used = {p.name for p in raw.glob("*.meta.json")} - set(rejects["path"])
    assert {p.name for p in raw.iterdir()} - sidecars_used == handled  # nothing silently dropped
    assert summary.articles == len(tables["articles"])


def test_every_span_reproduces_the_article_text(run):
    from flows.tables.validate import span_text

    _, _, tables = run
    texts = dict(zip(tables["articles"]["article_id"], tables["articles"]["text"], strict=True))
    for name, column in (("mentions", "text"), ("claims", "claim_text"), ("events", "evidence_text")):
        for row in tables[name].itertuples():
            fragments = getattr(row, "fragments", None)  # a claim in pieces is its fragments joined
            assert span_text(texts[row.article_id], row.start_char, row.end_char, fragments) == getattr(row, column)


def test_people_are_linked_from_mentions_claims_and_events(run):
    _, _, tables = run
    people = tables["people"].set_index("name")
    assert "Pavel Orlov" in people.index and "Luhansk" not in people.index
    person_ids = set(tables["people"]["person_id"])
    assert set(tables["mentions"]["entity_id"].dropna()) <= person_ids
    claims = tables["claims"]
    assert set(claims["speaker_id"].dropna()) <= person_ids
    horvat = claims[claims["speaker_name"] == "Ana Horvat"]
    assert len(horvat) == 1 and horvat.iloc[0]["speaker_id"] == people.loc["Ana Horvat", "person_id"]
    mention_counts = tables["mentions"]["entity_id"].value_counts()
    assert all(mention_counts[pid] == n for pid, n in zip(tables["people"]["person_id"], tables["people"]["n_mentions"], strict=True))


def test_dated_events_and_date_mentions(run):
    _, _, tables = run
    events = tables["events"]
    quake = events[events["event_type"] == "DISASTER"].set_index("trigger").loc["earthquake"]
    assert str(quake["date_start"]) == "2024-07-30" and quake["date_precision"] == "day" and quake["fatalities"] == 30
    assert events["date_rule"].notna().all()
    dates = tables["mentions"][tables["mentions"]["kind"] == "DATE"].set_index("text")
    assert dates.loc["March 17", "value"] == "2024-03-17"
    assert dates.loc["Last month", "value"] == "2023-10" and dates.loc["Last month", "precision"] == "month"


def test_reruns_are_byte_identical(raw, run, tmp_path):
    _, first, _ = run
    build_dataset(raw, tmp_path)
    for name in TABLES:
        assert table_bytes(first, name) == table_bytes(tmp_path, name), name


def test_worker_processes_give_the_same_tables(raw, run, tmp_path):
    """Two worker processes, two articles per batch: rows come back from the workers in input order."""
    _, first, _ = run
    summary = build_dataset(raw, tmp_path, batch_size=2, n_process=2)
    assert summary.processed == summary.articles
    for name in TABLES:
        assert table_bytes(first, name) == table_bytes(tmp_path, name), name


def test_a_failing_table_stops_publication_and_keeps_the_previous_output(raw, run, tmp_path, monkeypatch):
    _, first, _ = run
    shutil.copytree(first / "parquet", tmp_path / "parquet")
    shutil.copytree(first / "csv", tmp_path / "csv")
    before = files_bytes(tmp_path / "parquet")

    import flows.extract.rows as rows

    real = rows.claim_rows

    def corrupted(*args):
        found = real(*args)
        for row in found:
            row["end_char"] += 1  # offsets no longer reproduce the claim
        return found

    monkeypatch.setattr(rows, "claim_rows", corrupted)
    with pytest.raises(ValidationFailed) as err:
        build_dataset(raw, tmp_path)
    assert "claims" in str(err.value) and "span claim_text" in str(err.value)
    assert files_bytes(tmp_path / "parquet") == before
    report = json.loads((tmp_path / "reports" / "validation.json").read_text())
    assert report["success"] is False


def test_cli_runs_and_reports(raw, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("os.environ", dict(os.environ))  # the CLI sets Prefect defaults; keep them out of other tests
    assert main(["run", "--raw", str(raw), "--output", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    assert "rejected" in printed and "claims" in printed and str(tmp_path) in printed
    assert main(["run", "--raw", str(tmp_path / "missing"), "--output", str(tmp_path)]) == 2
    assert main(["run", "--raw", str(raw), "--output", str(tmp_path), "--without-rule", "quote:nonsense"]) == 2
    assert "unknown rule quote:nonsense" in capsys.readouterr().err


def test_a_run_without_a_rule_recomputes_and_lacks_its_rows(raw, tmp_path, monkeypatch):
    monkeypatch.setattr("os.environ", dict(os.environ))  # --without-rule sets NEWSLEDGER_WITHOUT_RULES for this test only
    claims = tmp_path / "parquet" / "claims.parquet"
    assert main(["run", "--raw", str(raw), "--output", str(tmp_path)]) == 0
    everything = pd.read_parquet(claims)
    assert (everything["speaker_rule"] == "speaker:pronoun").any()
    assert main(["run", "--raw", str(raw), "--output", str(tmp_path), "--without-rule", "speaker:pronoun"]) == 0
    without = pd.read_parquet(claims)  # the cached rows were made with the rule: they are not reused
    assert not (without["speaker_rule"] == "speaker:pronoun").any()
    assert len(without) == len(everything)  # the claims stay; their pronoun speakers are unresolved


def test_places_are_resolved_and_referenced(run):
    _, _, tables = run
    places = tables["places"].set_index("place_id")
    mentions = tables["mentions"]
    assert set(mentions["place_id"].dropna()) <= set(places.index)
    assert set(tables["events"]["place_id"].dropna()) <= set(places.index)
    assert places["n_mentions"].sum() == mentions["place_id"].notna().sum()

    def place_of(text: str) -> dict:
        row = mentions[(mentions["text"] == text) & mentions["place_id"].notna()].iloc[0]
        return {**row.to_dict(), **places.loc[row["place_id"]].to_dict()}  # the place's kind over the mention's

    berlin = place_of("BERLIN")  # the dateline "BERLIN, Germany, …"
    assert (berlin["kind"], berlin["country_code"], berlin["place_rule"], berlin["metonym"]) == ("city", "DEU", "place:qualified", False)
    warsaw = place_of("Warsaw")  # "Warsaw would take the matter to the court": Poland's government
    assert (warsaw["kind"], warsaw["country_code"], warsaw["metonym"]) == ("country", "POL", True)
