"""The validation gate catches broken spans, unknown values, duplicate keys and dangling references."""

from datetime import UTC, date, datetime

import pytest

from flows.schema import TABLES, table
from flows.validate import validate

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
                "first_published_date": None,
                "last_published_date": None,
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
                "claim_text": "the line would open",
                "quote_type": "indirect",
                "date": None,
                "date_text": None,
                "sentence_index": 0,
                "start_char": 22,
                "end_char": 41,
                "rule": "indirect:say",
            }
        ],
        "events": [],
        "rejects": [{"path": "b.txt", "reason": "empty", "detail": "empty", "seen_at": datetime(2024, 1, 1, tzinfo=UTC)}],
    }


def tables(rows):
    return {name: table(name).build(rows[name]) for name in TABLES}


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


def test_implausible_and_unplanned_future_dates_fail():
    rows = good_rows()
    rows["people"][0]["first_published_date"] = date(1066, 10, 14)
    rows["events"].append(
        {
            "event_id": "E1",
            "article_id": "A1",
            "event_type": "PROTEST",
            "status": "occurred",
            "trigger": "open",
            "trigger_start_char": 37,
            "trigger_end_char": 41,
            "evidence_text": TEXT,
            "actors": [],
            "actor_ids": [],
            "place": None,
            "date_start": date(2023, 6, 1),
            "date_end": date(2023, 6, 1),
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
            "sentence_index": 0,
            "start_char": 0,
            "end_char": len(TEXT),
            "rule": "test",
        }
    )
    failed = {c.check for c in validate(tables(rows)).failures}
    assert "first_published_date between 1800-01-01 and 2100-12-31" in failed
    assert "date_start after publication only for planned events" in failed
    rows["events"][0]["status"] = "scheduled"
    rows["people"][0]["first_published_date"] = None
    assert validate(tables(rows)).success


def test_duplicate_keys_fail():
    rows = good_rows()
    rows["claims"].append(dict(rows["claims"][0]))
    report = validate(tables(rows))
    assert any(c.check == "expect_column_values_to_be_unique(column=claim_id)" for c in report.failures)
