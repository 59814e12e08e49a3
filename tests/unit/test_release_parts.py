"""The pure parts of a release: text scopes, id changes, the changelog's ids, the column profile,
the monthly timeline and the --about file."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pyarrow as pa
import pytest

from flows.release import changes, datapackage, profile, release_page, texts
from flows.tables.schema import table

TEXT = "Ana Horvat said the port would reopen. Nothing else happened. Ivo Lenz agreed on Monday."


def articles_table() -> pa.Table:
    row = {c.name: None for c in table("articles").columns}
    row |= {"article_id": "A1", "text": TEXT, "text_scope": "full", "excerpt_spans": [[0, len(TEXT)]], "duplicate_paths": []}
    row |= {"removed_boilerplate": []}
    return pa.Table.from_pylist([row], schema=table("articles").arrow_schema())


def cited() -> dict[str, pa.Table]:
    claims = pa.table({"article_id": ["A1"], "start_char": [0], "end_char": [38], "fragments": [[[0, 38]]], "claim_text": ["x"]})
    mentions = pa.table({"article_id": ["A1", "A1"], "start_char": [0, 63], "end_char": [10, 71], "text": ["Ana Horvat", "Ivo Lenz"]})
    return {"claims": claims, "mentions": mentions}


def test_spans_that_overlap_or_nearly_touch_merge():
    assert texts.merge([(3, 9), (0, 5), (20, 24), (24, 25), (11, 12)]) == [[0, 12], [20, 25]]


def test_an_excerpt_keeps_only_the_cited_stretches_and_says_where_they_were():
    released = texts.with_text(articles_table(), "excerpt", cited()).to_pylist()[0]
    assert released["text_scope"] == "excerpt"
    assert released["excerpt_spans"] == [[0, 38], [63, 71]]
    pieces = released["text"].split(texts.EXCERPT_JOIN)
    assert pieces == [TEXT[s:e] for s, e in released["excerpt_spans"]]
    assert "Nothing else happened" not in released["text"]


def test_no_text_and_full_text():
    none = texts.with_text(articles_table(), "none", cited()).to_pylist()[0]
    assert none["text"] is None and none["excerpt_spans"] == [] and none["text_scope"] == "none"
    assert texts.with_text(articles_table(), "full", cited()).to_pylist()[0]["text"] == TEXT
    with pytest.raises(ValueError, match="--text"):
        texts.with_text(articles_table(), "some", cited())


def mentions(pairs: list[tuple[str, str | None]]) -> pa.Table:
    return pa.table({"mention_id": [m for m, _ in pairs], "entity_id": [p for _, p in pairs]})


def test_the_fate_of_each_retired_person_id_follows_its_mentions():
    old = mentions([("M1", "Pa"), ("M2", "Pb"), ("M3", "Pc"), ("M4", "Pc"), ("M5", "Pd"), ("M6", "Pe"), ("M7", "Pe")])
    new = mentions([("M1", "Pa"), ("M2", "Pa"), ("M3", "Pa"), ("M4", "Pf"), ("M6", "Pe"), ("M7", "Pg")])
    fates = {(r["change"], r["old_id"], r["new_id"]) for r in changes.person_fates(old, new, {"Pa", "Pb", "Pc", "Pd", "Pe"})}
    assert fates == {
        ("merged", "Pb", "Pa"),  # all its mentions went to Pa
        ("split", "Pc", "Pa"),
        ("split", "Pc", "Pf"),  # its mentions went two ways
        ("removed", "Pd", ""),  # its article is gone
        ("split", "Pe", "Pg"),  # Pe lives on, part of it is a new person
    }


def test_id_changes_list_every_id_once_and_the_changelog_names_them():
    diff = changes.Diff(
        tables={"people": changes.TableDiff(added=["Pf"], removed=["Pb", "Pd"]), "claims": changes.TableDiff(changed=["C1"])},
        people=[changes._change("people", "merged", "Pb", "Pa")],
    )
    rows = {(r["table"], r["change"], r["old_id"], r["new_id"]) for r in changes.id_changes(diff)}
    assert rows == {
        ("people", "merged", "Pb", "Pa"),
        ("people", "removed", "Pd", ""),
        ("people", "added", "", "Pf"),
        ("claims", "changed", "C1", "C1"),
    }
    log = changes.changelog_entry("1.1.0", "1.0.0", diff, {"people": 3, "claims": 9}, "2024-03-01")
    assert "`Pb` → `Pa`" in log and "people added: `Pf`" in log and "claims changed: `C1`" in log
    assert changes.id_changes(None) == []


def test_the_changelog_names_the_first_ids_and_points_to_the_file_for_the_rest():
    ids = [f"E{n:02}" for n in range(25)]
    diff = changes.Diff(tables={"events": changes.TableDiff(added=ids)})
    log = changes.changelog_entry("1.1.0", "1.0.0", diff, {"events": 25}, "2024-03-01")
    assert "`E09`" in log and "`E10`" not in log and f"25 in all, every one in {changes.ID_CHANGES}" in log


def test_the_profile_reports_observed_values():
    data = pa.table({"n": [1, 2, None, 4], "kind": ["a", "a", "b", None], "tags": [["x"], [], ["y", "z"], []]})
    found = profile.profile({"t": data})["t"]
    assert found["n"]["null_share"] == 0.25 and found["n"]["min"] == 1 and found["n"]["max"] == 4
    assert found["kind"]["top"] == [["a", 2], ["b", 1]] and found["kind"]["distinct"] == 2
    assert found["tags"]["mean_length"] == 0.75 and found["tags"]["empty_share"] == 0.5


def test_the_timeline_counts_months_on_a_real_axis_and_leaves_year_dates_out():
    events = pd.DataFrame(
        {
            "date_start": [date(2024, 1, 5), date(2024, 1, 20), date(2024, 4, 2), date(2024, 1, 1)],
            "date_precision": ["day", "day", "month", "year"],
            "event_type": ["protest", "attack", "protest", "protest"],
        }
    )
    counts, coarse = release_page.monthly_events(events)
    assert coarse == 1  # the year-only event is not drawn as January
    assert [str(p) for p in counts.index] == ["2024-01", "2024-02", "2024-03", "2024-04"]  # empty months kept
    assert counts.loc[pd.Period("2024-01", "M"), "protest"] == 1 and counts.loc[pd.Period("2024-02", "M")].sum() == 0


def test_the_about_file_fills_the_metadata_and_refuses_unknown_keys(tmp_path):
    good = tmp_path / "about.yaml"
    good.write_text("title: Port strikes 2024\ndoi: 10.5281/zenodo.1\ncorpus: wire stories on port strikes\n", encoding="utf-8")
    about = datapackage.read_about(good)
    assert about.title == "Port strikes 2024" and about.doi == "10.5281/zenodo.1" and about.keywords == datapackage.KEYWORDS
    bad = tmp_path / "bad.yaml"
    bad.write_text("titel: typo\n", encoding="utf-8")
    with pytest.raises(datapackage.AboutError, match="titel"):
        datapackage.read_about(bad)
    assert datapackage.read_about(None) == datapackage.About()


def test_data_docs_suite_notes_each_check_severity_and_observes_columns():
    from flows.release import data_docs
    from flows.tables import validate

    spec = table("claims")
    suite = data_docs.suite(spec)
    declared = len(validate.expectations(spec)) + len(spec.value_checks("row"))
    assert [e.notes for e in suite[:declared]].count("severity: row") == len(spec.value_checks("row"))
    observed = suite[declared:]
    assert observed and all(e.notes.startswith("observation") for e in observed)
    nullable = {c.name for c in spec.columns if c.nullable}
    watched = {e.column for e in observed if type(e).__name__ == "ExpectColumnValuesToNotBeNull"}
    assert watched == nullable and all(e.mostly == 0.0 for e in observed if e.column in watched and hasattr(e, "mostly"))
    numbers = {c.name for c in spec.columns if c.type in data_docs.NUMBERS}
    assert {e.column for e in observed if type(e).__name__ == "ExpectColumnMedianToBeBetween"} == numbers
