"""The validation gate: invariants (broken spans, unknown values, duplicate keys, dangling references)
block publication; row checks quarantine implausible rows and the rest is published."""

import json
from datetime import UTC, date, datetime

import pytest

from flows.tables.schema import EXTRACTED, TABLES, all_tables, table
from flows.tables.validate import gate, validate

TEXT = "Mayor Ana Horvat said the line would open."


def good_rows():
    return {
        "articles": [
            {
                "article_id": "A1",
                "source_path": "a.txt",
                "duplicate_paths": [],
                "title": None,
                "source": None,
                "url": None,
                "published_date": date(2023, 4, 27),
                "published_date_source": "metadata",
                "published_date_text": "2023-04-27",
                "language": "en",
                "source_encoding": "utf-8",
                "text": TEXT,
                "text_scope": "full",
                "excerpt_spans": [[0, len(TEXT)]],
                "removed_boilerplate": [],
                "text_sha256": "x",
                "n_chars": len(TEXT),
                "n_sentences": 1,
            }
        ],
        "people": [
            {
                "person_id": "P1",
                "name": "Ana Horvat",
                "aliases": [],
                "titles": ["mayor"],
                "disputed_titles": [],
                "article_ids": ["A1"],
                "n_mentions": 1,
                "resolution_evidence": ["one article"],
                "resolution_confidence": 1.0,
                "first_published_date": None,
                "last_published_date": None,
            }
        ],
        "titles": [
            {
                "title_id": "T1",
                "person_id": "P1",
                "article_id": "A1",
                "published_date": None,
                "title": "mayor",
                "disputed": False,
            }
        ],
        "mentions": [
            {
                "mention_id": "M1",
                "article_id": "A1",
                "kind": "PERSON",
                "text": "Ana Horvat",
                "entity_id": "P1",
                "value": "Ana Horvat",
                "precision": None,
                "date_rule": None,
                "sentence_index": 0,
                "start_char": 6,
                "end_char": 16,
                "rule": "spacy",
                "place_id": None,
                "place_rule": None,
                "metonym": None,
            }
        ],
        "claims": [
            {
                "claim_id": "C1",
                "article_id": "A1",
                "speaker_name": "Ana Horvat",
                "speaker_id": "P1",
                "speaker_type": "person",
                "speaker_text": "Mayor Ana Horvat",
                "speaker_rule": "speaker:subject",
                "cue": "said",
                "cue_family": "speech",
                "claim_text": "the line would open",
                "fragments": [[22, 41]],
                "quoted_spans": [],
                "quote_type": "indirect",
                "date": None,
                "date_text": None,
                "sentence_index": 0,
                "start_char": 22,
                "end_char": 41,
                "rule": "indirect:ccomp",
            }
        ],
        "events": [],
        "places": [],
        "rejects": [{"path": "b.txt", "reason": "empty", "detail": "empty", "seen_at": datetime(2024, 1, 1, tzinfo=UTC)}],
    }


def tables(rows):
    return {name: table(name).build(rows[name]) for name in EXTRACTED}


@pytest.fixture(scope="module")
def passing_report():
    return validate(tables(good_rows()))


def test_valid_tables_pass(passing_report):
    assert passing_report.success, [c.describe() for c in passing_report.failures]
    checked = {c.table for c in passing_report.checks}
    assert checked == set(TABLES)


@pytest.mark.parametrize(
    ("table_name", "column", "value", "failing_check"),
    [
        ("claims", "end_char", 40, "span claim_text"),
        ("claims", "quote_type", "rumour", "expect_column_values_to_be_in_set(column=quote_type)"),
        ("claims", "speaker_id", "P404", "speaker_id references people.person_id"),
        ("mentions", "start_char", -1, "expect_column_values_to_be_between(column=start_char"),
        ("rejects", "reason", "bored", "expect_column_values_to_be_in_set(column=reason)"),
    ],
)
def test_each_broken_value_fails_its_check(table_name, column, value, failing_check):
    rows = good_rows()
    rows[table_name][0][column] = value
    report = validate(tables(rows))
    assert not report.success
    assert any(c.check.startswith(failing_check) and c.table == table_name for c in report.failures), [
        c.describe() for c in report.failures
    ]


@pytest.mark.parametrize(
    ("fragments", "claim_text", "passes"),
    [
        ([[6, 16], [37, 41]], "Ana Horvat open", True),  # pieces joined by a space
        ([[6, 16], [37, 41]], "Ana Horvat said the line would open", False),  # the text between is not the claim
        ([[37, 41], [6, 16]], "open Ana Horvat", False),  # pieces out of order
    ],
)
def test_a_claim_in_pieces_must_be_its_fragments_joined(fragments, claim_text, passes):
    rows = good_rows()
    claim = rows["claims"][0]
    claim.update(fragments=fragments, claim_text=claim_text, start_char=fragments[0][0], end_char=fragments[-1][1])
    report = validate(tables(rows))
    spans_failed = any(c.check.startswith("span claim_text") for c in report.failures)
    assert spans_failed is not passes


def event(**values):
    row = {
        "event_id": "E1",
        "article_id": "A1",
        "event_type": "PROTEST",
        "plover_type": "PROTEST",
        "acled_event_type": "Protests",
        "acled_sub_event_type": "Peaceful protest",
        "status": "occurred",
        "trigger": "open",
        "trigger_start_char": 37,
        "trigger_end_char": 41,
        "evidence_text": TEXT,
        "actors": ["Ana Horvat"],
        "actor_types": ["person"],
        "actor_ids": ["P1"],
        "targets": [],
        "target_types": [],
        "target_ids": [],
        "place": None,
        "place_id": None,
        "country_code": None,
        "geo_precision": None,
        "date_start": date(2023, 4, 1),
        "date_end": date(2023, 4, 1),
        "date_precision": "day",
        "date_text": None,
        "date_rule": "test",
        "fatalities": None,
        "fatalities_bound": None,
        "injured": None,
        "injured_bound": None,
        "displaced": None,
        "displaced_bound": None,
        "arrested": None,
        "arrested_bound": None,
        "is_main": True,
        "is_background": False,
        "reported_by": None,
        "claim_id": None,
        "sentence_index": 0,
        "start_char": 0,
        "end_char": len(TEXT),
        "rule": "test",
    }
    return row | values


def quarantined(gated):
    return {(r["table_name"], r["row_key"], r["check"]) for r in gated.tables["quarantine"].to_pylist()}


@pytest.mark.parametrize(
    ("values", "failing_check"),
    [
        ({"date_start": date(2125, 1, 1), "date_end": date(2125, 12, 31), "status": "scheduled"}, "date_start: between(min=1800-01-01"),
        ({"date_start": date(2023, 6, 1), "date_end": date(2023, 6, 1)}, "date_start: not_after_published"),
        ({"date_end": date(2023, 3, 1)}, "date_end: not_before(column=date_start)"),
        ({"fatalities": 10**9, "fatalities_bound": "exact"}, "fatalities: between"),
    ],
)
def test_an_implausible_event_is_quarantined_and_the_rest_published(values, failing_check):
    rows = good_rows()
    rows["events"] = [event(), event(event_id="E2", **values)]
    gated = gate(tables(rows), max_quarantined=0.5)
    assert gated.report.success, [c.describe() for c in gated.report.failures]
    assert gated.tables["events"].column("event_id").to_pylist() == ["E1"]
    assert {(name, key) for name, key, _ in quarantined(gated)} == {("events", "E2")}
    check = next(check for _, _, check in quarantined(gated) if check.startswith(failing_check))
    moved = next(r for r in gated.tables["quarantine"].to_pylist() if r["check"] == check)
    assert moved["article_id"] == "A1" and moved["rule"] == "test"
    assert json.loads(moved["row"])["event_id"] == "E2"
    assert set(json.loads(moved["offending_values"])) >= {failing_check.split(":")[0]}
    assert gated.report.quarantined["events"][check] == 1


def test_a_planned_event_may_be_dated_after_its_article():
    rows = good_rows()
    rows["events"] = [event(date_start=date(2023, 6, 1), date_end=date(2023, 6, 1), status="scheduled")]
    gated = gate(tables(rows))
    assert gated.report.success and gated.tables["events"].num_rows == 1 and gated.tables["quarantine"].num_rows == 0


def test_more_quarantined_rows_than_allowed_block_publication():
    rows = good_rows()
    rows["claims"][0]["claim_text"] = " "
    rows["claims"][0]["end_char"] = rows["claims"][0]["start_char"] + 1
    assert quarantined(gate(tables(rows), max_quarantined=1.0)) == {("claims", "C1", "claim_text: not_blank")}
    report = gate(tables(rows), max_quarantined=0.01).report
    assert not report.success
    assert [c.check for c in report.failures] == ["quarantined rows 1 of 1 (100.00%) ≤ 1.00%"]


def test_rows_of_a_quarantined_article_follow_it_and_references_stay_valid():
    rows = good_rows()
    second = dict(rows["articles"][0], article_id="A2", text_sha256="y", source_path="b.txt", published_date=date(2023, 5, 2))
    rows["articles"].append(second)
    rows["articles"][0]["published_date"] = date(1066, 10, 14)
    rows["mentions"].append(dict(rows["mentions"][0], mention_id="M2", article_id="A2"))
    rows["people"][0] |= {"article_ids": ["A1", "A2"], "n_mentions": 2}
    rows["events"] = [event(date_start=None, date_end=None, date_precision=None)]
    gated = gate(tables(rows), max_quarantined=1.0)
    assert gated.report.success, [c.describe() for c in gated.report.failures]
    assert quarantined(gated) == {
        ("articles", "A1", "published_date: between(min=1800-01-01, max=2100-12-31)"),
        ("mentions", "M1", "refers to quarantined articles"),
        ("claims", "C1", "refers to quarantined articles"),
        ("events", "E1", "refers to quarantined articles"),
        ("titles", "T1", "refers to quarantined articles"),  # a title of that article follows it
    }
    [person] = gated.tables["people"].to_pylist()
    assert person["article_ids"] == ["A2"] and person["n_mentions"] == 1
    assert person["first_published_date"] == person["last_published_date"] == date(2023, 5, 2)
    only = good_rows()
    only["articles"][0]["published_date"] = date(1066, 10, 14)
    assert ("people", "P1", "refers to quarantined articles") in quarantined(gate(tables(only), max_quarantined=1.0))


def test_every_declared_row_check_has_a_severity_and_a_known_name():
    from flows.tables.validate import value_expectation

    for spec in all_tables():
        for col in spec.columns:
            for chk in col.checks:
                assert chk.severity in {"invariant", "row"}
                assert value_expectation(col, chk) is not None


def test_duplicate_keys_fail():
    rows = good_rows()
    rows["claims"].append(dict(rows["claims"][0]))
    report = validate(tables(rows))
    assert any(c.check == "expect_column_values_to_be_unique(column=claim_id)" for c in report.failures)


def test_a_table_missing_a_column_or_carrying_an_extra_one_fails():
    built = tables(good_rows())
    built["titles"] = built["titles"].drop_columns(["disputed"])
    built["rejects"] = built["rejects"].append_column("note", built["rejects"].column("reason"))
    failed = {c.table for c in validate(built).failures if c.check == "expect_table_columns_to_match_set()"}
    assert failed == {"titles", "rejects"}


def test_suites_are_made_once_per_process_and_each_gate_still_sees_its_own_rows():
    from flows.tables import validate as module

    good = tables(good_rows())
    assert gate(good).report.success
    made = len(module._PREPARED[id(module.gate_context())])
    broken = good_rows()
    broken["mentions"][0]["start_char"] = -1
    failed = gate(tables(broken)).report
    assert any(c.table == "mentions" and "start_char" in c.check for c in failed.failures)
    assert gate(good).report.success  # the reused suite holds no rows of the gate before
    assert len(module._PREPARED[id(module.gate_context())]) == made


def test_gates_on_several_threads_take_turns_and_each_gets_its_own_report():
    from concurrent.futures import ThreadPoolExecutor

    broken = good_rows()
    broken["claims"][0]["quote_type"] = "rumour"
    inputs = [tables(good_rows()), tables(broken)] * 3
    with ThreadPoolExecutor(3) as pool:
        reports = list(pool.map(lambda t: gate(t).report, inputs))
    assert [r.success for r in reports] == [True, False] * 3
