"""Scoring on MEANTIME: the per-article counts, B³ and the bootstrap interval (own examples)."""

from datetime import date

import pandas as pd

from flows.release.accuracy_meantime import b_cubed, interval, locate, person_counts, share, with_interval


def test_a_gold_span_is_found_in_a_text_that_lost_a_line():
    gold = "Headline\nMay 2, 2024\nThe minister Ana Horvat spoke."
    text = "Headline\n\nThe minister Ana Horvat spoke."
    start = gold.index("Ana Horvat")
    assert locate(gold, start, start + 10, text) == (text.index("Ana Horvat"), text.index("Ana Horvat") + 10)
    assert locate(gold, 0, 3, "nothing alike") is None


def test_intervals_of_timex_values():
    assert interval("2024-02") == (date(2024, 2, 1), date(2024, 2, 29))
    assert interval("2023") == (date(2023, 1, 1), date(2023, 12, 31))
    assert interval("2023-W11") is None


def test_person_names_match_when_one_contains_the_other():
    doc = {"gold": {"persons": [{"text": "analyst Ana Horvat", "is_name": True}, {"text": "Igor Lungu", "is_name": True}]}}
    mentions = pd.DataFrame({"kind": ["PERSON", "PERSON", "ORG"], "text": ["Ana Horvat", "Mihai Rusu", "Acme"]})
    assert person_counts(doc, mentions) == {"tp": 1, "fp": 1, "fn": 1}


def test_b_cubed_is_one_for_the_gold_clustering_and_lower_for_a_split():
    right = [[("ana", "P1"), ("ana", "P1")], [("ana", "P1"), ("igor", "P2")]]
    split = [[("ana", "P1"), ("ana", "P1")], [("ana", "P3"), ("igor", "P2")]]
    assert b_cubed(right) == 1.0 and 0.5 < b_cubed(split) < 1.0


def test_bootstrap_interval_holds_the_value_and_is_reproducible():
    counts = [{"n": 4, "exact": k % 5} for k in range(40)]
    first, again = with_interval(share, counts, 160), with_interval(share, counts, 160)
    assert first == again and first["low"] < first["value"] < first["high"] and first["articles"] == 40
