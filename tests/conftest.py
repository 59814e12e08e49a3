"""Shared fixtures: the spaCy pipeline (loaded once) and a helper to annotate a text."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from flows.runtime import settings

settings.quiet()  # the environment defaults of every newsledger command, set in one place

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def annotate_text():
    """annotate_text(text, published) → AnnotatedArticle, through ingest's cleaning and dateline reading."""
    from flows.annotate import annotate
    from flows.article import Article
    from flows.dates import parse_dateline
    from flows.ingest import clean_text

    def run(text: str, published: date | None = None, headline: bool = False):
        text = clean_text(text)
        article = Article(source_path="test.txt", text=text, published_date=published)
        if headline:  # the first paragraph is the headline, as ingest would find it
            article.headline_end = text.index("\n\n")
        if found := parse_dateline(text):
            article.dateline_end = found[2]
            if published is None and found[0] is not None:
                article.published_date, article.published_date_source = found[0], "dateline"
        return next(annotate([article]))

    return run


@pytest.fixture(scope="session")
def fixture_article(annotate_text):
    """Annotate one of tests/fixtures/articles by file name."""
    from flows.ingest import read_folder

    articles, _ = read_folder(FIXTURES / "articles")
    by_name = {a.source_path: a for a in articles}

    def run(name: str):
        from flows.annotate import annotate

        return next(annotate([by_name[name]]))

    return run
