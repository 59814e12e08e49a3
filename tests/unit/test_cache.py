"""The row cache: rows come back for the articles stored, under their ids, and nothing else."""

import gc

from flows.article import Article
from flows.extract.rows import ArticleRows
from flows.tables.cache import RowCache


def _rows(article: Article) -> ArticleRows:
    return ArticleRows(article={"article_id": article.article_id}, mentions=[{"text": article.text[:5]}])


def test_get_many_returns_stored_rows_by_article_id(tmp_path):
    cache = RowCache(tmp_path)
    stored, changed, unseen = Article("a.txt", "First text."), Article("b.txt", "Second text."), Article("c.txt", "Third.")
    cache.put(stored, _rows(stored))
    cache.put(changed, _rows(changed))
    changed.title = "A new headline"  # metadata changed: its cached rows no longer apply
    found = cache.get_many([stored, changed, unseen])
    assert set(found) == {stored.article_id}
    assert found[stored.article_id] == _rows(stored)


def test_get_many_leaves_the_garbage_collector_as_it_found_it(tmp_path):
    cache = RowCache(tmp_path)
    assert gc.isenabled()
    cache.get_many([Article("a.txt", "Text.")])
    assert gc.isenabled()
    gc.disable()
    try:
        cache.get_many([Article("a.txt", "Text.")])
        assert not gc.isenabled()
    finally:
        gc.enable()
