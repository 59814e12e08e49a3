"""Articles → rows, batch by batch, in this process or in worker processes.

With more than one process, every worker runs the whole chain for its batch —
spaCy and the extraction rules — and sends back plain rows. Only rows cross the
process boundary, never spaCy Docs: serialising a Doc costs about as much as
extracting from it, and the extraction runs in parallel too.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from functools import partial
from typing import TypeVar

from flows.annotate import annotate, load_model
from flows.article import Article, Reject
from flows.extract.rows import ArticleRows, extract_article
from flows.runtime import progress
from flows.runtime.stop import worker_ignores_interrupts

T = TypeVar("T")
LOG = logging.getLogger("newsledger.batches")  # tracebacks go to the run's log; the reject row stays one line


def batched(items: list[T], size: int) -> list[list[T]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def worker_count(n_process: int, n_articles: int, batch_size: int) -> int:
    """Processes worth starting: -1 means one per CPU, and never more than there are batches."""
    wanted = os.cpu_count() or 1 if n_process < 0 else max(1, n_process)
    return max(1, min(wanted, -(-n_articles // batch_size)))


def extract_here(articles: list[Article], batch_size: int, progress_token: str | None = None) -> tuple[list[ArticleRows], list[Reject]]:
    """Annotate (streamed through nlp.pipe) and extract in this process; an article that fails
    becomes a reject, so one bad article never stops the run."""
    rows, failed = [], []
    unreported = 0  # articles done since the progress bar last moved
    for annotated in annotate(articles, batch_size=batch_size):
        if unreported == batch_size:
            progress.advance(progress_token, unreported)
            unreported = 0
        unreported += 1
        try:
            rows.append(extract_article(annotated))
        except Exception as err:
            LOG.warning("processing error in %s (the article is a reject)", annotated.article.source_path, exc_info=True)
            when = annotated.article.seen_at or datetime.fromtimestamp(0, tz=UTC)  # the file's mtime, as for every reject
            failed.append(Reject(annotated.article.source_path, "processing_error", f"{type(err).__name__}: {err}", when))
    progress.advance(progress_token, unreported)
    return rows, failed


def extract_rows(
    articles: list[Article], batch_size: int = 64, n_process: int = 1, progress_token: str | None = None
) -> tuple[list[ArticleRows], list[Reject]]:
    """Rows of every article, in input order, using up to `n_process` worker processes; the run's
    progress bar (flows/runtime/progress.py) moves on after each batch."""
    workers = worker_count(n_process, len(articles), batch_size)
    if workers == 1 or multiprocessing.current_process().daemon:
        # a daemon process (a Dask worker) may not start processes: there the cluster is the parallelism
        return extract_here(articles, batch_size, progress_token)
    load_model()  # before the workers start: forked workers inherit the loaded model
    rows, failed = [], []
    with ProcessPoolExecutor(workers, initializer=worker_ignores_interrupts) as pool:
        for batch_rows, batch_failed in pool.map(partial(extract_here, batch_size=batch_size), batched(articles, batch_size)):
            rows += batch_rows
            failed += batch_failed
            progress.advance(progress_token, len(batch_rows) + len(batch_failed))
    return rows, failed
