"""Random bytes and random text with unbalanced quotes: nothing escapes ingest or extraction."""

import tempfile
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flows.extract.rows import extract_article
from flows.ingest import read_folder

WORDS = [
    "He",
    "said",
    "“",
    "”",
    '"',
    "Mr.",
    "Ana",
    "Horvat",
    "on",
    "Monday",
    "told",
    "the",
    "police",
    "killed",
    "3",
    "people",
    ",",
    ".",
    "\n\n",
    "according",
    "to",
    "In",
    "March",
    "2020",
    "protest",
    "(ICC)",
    "—",
    "«",
    "»",
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=400), suffix=st.sampled_from([".txt", ".html", ".md", ".htm"]))
def test_random_bytes_become_an_article_or_a_reject(data, suffix):
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / f"input{suffix}").write_bytes(data)
        (Path(tmp) / "input.meta.json").write_bytes(data[:50])
        articles, rejects = read_folder(Path(tmp))
        assert len(articles) + len([r for r in rejects if r.path == f"input{suffix}"]) == 1


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(words=st.lists(st.sampled_from(WORDS), min_size=1, max_size=60), published=st.none() | st.dates(date(1990, 1, 1), date(2040, 1, 1)))
def test_random_text_with_unbalanced_quotes_extracts_without_error(annotate_text, words, published):
    from flows.tables.validate import span_text

    text = " ".join(words).strip() or "x"
    ann = annotate_text(text, published)
    rows = extract_article(ann)
    body = ann.article.text
    for row in rows.mentions + rows.claims + rows.events:
        assert 0 <= row["start_char"] <= row["end_char"] <= len(body)
    for row in rows.claims:
        assert span_text(body, row["start_char"], row["end_char"], row["fragments"]) == row["claim_text"]
