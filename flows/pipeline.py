"""The newsledger flow: raw/ → validated Parquet and CSV tables. Reads as the table of contents."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, cast

import pyarrow as pa
from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.utilities.annotations import quote

from flows import ingest
from flows.article import Article, Reject
from flows.errors import ShrinkRefused
from flows.extract.rows import ArticleRows
from flows.runtime import batches
from flows.runtime.lock import output_lock
from flows.tables import publish, resolve, validate
from flows.tables.cache import RowCache
from flows.tables.schema import EXTRACTED, table

T = TypeVar("T")


@dataclass
class RunSummary:
    articles: int
    rejects: int
    rows: dict[str, int]
    output: Path
    report: Path
    processed: int = 0  # articles annotated in this run (the others came from the cache)
    nothing_new: bool = False
    quarantined: dict[str, dict[str, int]] = field(default_factory=dict)  # table → check → rows set aside
    quarantine_examples: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # (table, check) → "key {values}"


@task(cache_policy=NO_CACHE)
def read_raw(raw_dir: Path, listing: ingest.Listing) -> tuple[list[Article], list[Reject]]:
    """Ingest: every entry of the walk of raw_dir becomes an Article or a Reject."""
    return ingest.read_folder(raw_dir, listing=listing)


@task(cache_policy=NO_CACHE)
def extract_batch(articles: list[Article], batch_size: int = 64, n_process: int = 1) -> tuple[list[ArticleRows], list[Reject]]:
    """Annotate a chunk of articles with spaCy and extract its rows (in `n_process` worker
    processes); an article that fails becomes a reject."""
    return batches.extract_rows(articles, batch_size, n_process)


@task(cache_policy=NO_CACHE)
def build_tables(batches: list[ArticleRows], rejects: list[Reject]) -> dict[str, pa.Table]:
    """Resolve people across articles and type every table by its schema."""
    rows = resolve.resolve(batches)
    rows["rejects"] = [vars(r) for r in rejects]
    return {name: table(name).build(rows[name]) for name in EXTRACTED}


@task(cache_policy=NO_CACHE)
def validate_tables(
    tables: dict[str, pa.Table], output_dir: Path, max_quarantined: float
) -> tuple[dict[str, pa.Table], validate.Report, Path]:
    """Validate every table: quarantine rows that fail a row check, write the report, and stop
    the flow before publishing if an invariant fails or too many rows were quarantined."""
    gated = validate.gate(tables, max_quarantined)
    page = publish.write_report(gated.report, output_dir / "reports")
    if not gated.report.success:
        raise validate.ValidationFailed(gated.report)
    return gated.tables, gated.report, page


@task(cache_policy=NO_CACHE)
def publish_tables(tables: dict[str, pa.Table], output_dir: Path) -> dict[str, str]:
    """Publish every table; returns the checksums of the files written (kept in the manifest)."""
    return publish.publish(tables, output_dir)


MAX_SHRINK = 0.5  # a run may drop at most this share of the published articles unless allow_shrink


def check_shrink(published: int, found: int, raw_dir: Path) -> None:
    """An input folder that lost most of its articles (an unmounted drive, a wrong path) must
    not wipe the published tables: refuse unless the user says so."""
    if published and found < (1 - MAX_SHRINK) * published:
        raise ShrinkRefused(
            f"{raw_dir}/ holds {found} articles where {published} are published: this run would drop "
            f"{published - found} of them; run again with --allow-shrink if that is what you want"
        )


def as_is(value: T) -> T:
    """A large argument handed to a task whole: Prefect would otherwise walk every nested row."""
    return cast(T, quote(value))


def nothing_new(cache: RowCache, output_dir: Path) -> RunSummary:
    print("nothing new since the last run: output unchanged")
    articles, rejects = cache.published_counts()
    return RunSummary(articles, rejects, {}, output_dir, output_dir / "reports" / "validation.html", 0, True)


def summarise(
    tables: dict[str, pa.Table], report: validate.Report, n_articles: int, n_processed: int, output: Path, page: Path
) -> RunSummary:
    """What the run published: rows per table, rejects, quarantined rows with examples."""
    counts = {n: t.num_rows for n, t in tables.items()}
    quarantined = {t: dict(c) for t, c in report.quarantined.items()}
    summary = RunSummary(n_articles, tables["rejects"].num_rows, counts, output, page, n_processed, quarantined=quarantined)
    for row in tables["quarantine"].to_pylist():
        summary.quarantine_examples.setdefault((row["table_name"], row["check"]), []).append(f"{row['row_key']} {row['offending_values']}")
    return summary


@flow(name="newsledger", log_prints=True, task_runner=cast(Any, ThreadPoolTaskRunner(max_workers=1)))
def build_dataset(
    raw_dir: Path = Path("raw"),
    output_dir: Path = Path("output"),
    batch_size: int = 64,
    n_process: int = 1,
    full: bool = False,
    articles_per_task: int = 2000,
    max_quarantined: float = validate.MAX_QUARANTINED,
    allow_shrink: bool = False,
) -> RunSummary:
    """Ingest raw articles, extract people, mentions, claims and events, resolve, validate, publish.

    Incremental unless `full`: articles whose rows are cached are not annotated again, and a run
    whose input files (path, size, modification time; failing that, contents) match those of the
    last publication stops early. Rows that fail a row check are published in the quarantine
    table; more than `max_quarantined` of a table's rows failing stops the run. Chunks of
    `articles_per_task` articles are submitted to the flow's task runner (one at a time by
    default; in parallel on a Dask cluster with --runner dask); a task streams its chunk
    `batch_size` articles at a time through `n_process` worker processes that annotate and extract.
    (Longer than most functions: it is the table of contents, one call per step.)
    """
    raw_dir, output_dir = Path(raw_dir), Path(output_dir)
    with output_lock(output_dir):  # one run at a time per output folder (scheduled runs too)
        publish.check_output(output_dir)  # before any work: never take over a folder of someone else's files
        cache = RowCache(output_dir)
        listing = ingest.walk(raw_dir, skip=(output_dir,))  # one walk of raw/; an output folder inside it is not input
        files = ingest.fingerprint(raw_dir, listing=listing)  # before reading: a file edited during the run is new next time
        if not full and cache.files_unchanged(files):
            return nothing_new(cache, output_dir)
        articles, rejects = read_raw(raw_dir, as_is(listing))
        if not full and cache.unchanged(articles, rejects):  # files touched, contents the same
            cache.record(articles, rejects, files)
            return nothing_new(cache, output_dir)
        if not allow_shrink:
            check_shrink(cache.published_counts()[0], len(articles), raw_dir)
        cached, todo = cache.split(articles, full)
        for future in [extract_batch.submit(chunk, batch_size, n_process) for chunk in batches.batched(todo, articles_per_task)]:
            rows, failed = future.result()
            cached |= cache.store(rows)
            rejects += failed
        kept = [cached[a.article_id] for a in articles if a.article_id in cached]
        tables = build_tables(as_is(kept), as_is(rejects))
        tables, report, page = validate_tables(as_is(tables), output_dir, max_quarantined)
        published = publish_tables(as_is(tables), output_dir)
        cache.record(articles, rejects, files, published)
        return summarise(tables, report, len(kept), len(todo), output_dir, page)
