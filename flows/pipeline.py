"""The newsledger flow: raw/ → validated Parquet and CSV tables. Reads as the table of contents."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from flows import ingest, publish, resolve, validate
from flows.annotate import annotate
from flows.article import Article, Reject
from flows.extract.rows import ArticleRows, extract_article
from flows.schema import TABLES, table


@dataclass
class RunSummary:
    articles: int
    rejects: int
    rows: dict[str, int]
    output: Path
    report: Path


@task(cache_policy=NO_CACHE)
def read_raw(raw_dir: Path) -> tuple[list[Article], list[Reject]]:
    """Ingest: every file under raw_dir becomes an Article or a Reject."""
    return ingest.read_folder(raw_dir)


@task(cache_policy=NO_CACHE)
def extract_batch(articles: list[Article], n_process: int = 1) -> tuple[list[ArticleRows], list[Reject]]:
    """Annotate a batch with spaCy and extract its rows; an article that fails becomes a reject."""
    rows, failed = [], []
    for annotated in annotate(articles, batch_size=max(len(articles), 1), n_process=n_process):
        try:
            rows.append(extract_article(annotated))
        except Exception as err:  # one bad article never stops the run
            when = datetime.now(UTC).replace(microsecond=0)
            failed.append(Reject(annotated.article.source_path, "processing_error", f"{type(err).__name__}: {err}", when))
    return rows, failed


@task(cache_policy=NO_CACHE)
def build_tables(batches: list[ArticleRows], rejects: list[Reject]) -> dict[str, pa.Table]:
    """Resolve people across articles and type every table by its schema."""
    rows = resolve.resolve(batches)
    rows["rejects"] = [vars(r) for r in rejects]
    return {name: table(name).build(rows[name]) for name in TABLES}


@task(cache_policy=NO_CACHE)
def check(tables: dict[str, pa.Table], output_dir: Path) -> Path:
    """Validate every table; write the report; stop the flow before publishing if anything fails."""
    report = validate.validate(tables)
    page = publish.write_report(report, output_dir / "reports")
    if not report.success:
        raise validate.ValidationFailed(report)
    return page


@task(cache_policy=NO_CACHE)
def write(tables: dict[str, pa.Table], output_dir: Path) -> None:
    publish.publish(tables, output_dir)


def batched(items: list[Article], size: int) -> list[list[Article]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


@flow(name="newsledger", log_prints=True)
def build_dataset(raw_dir: Path = Path("raw"), output_dir: Path = Path("output"), batch_size: int = 64, n_process: int = 1) -> RunSummary:
    """Ingest raw articles, extract people, mentions, claims and events, resolve, validate, publish."""
    articles, rejects = read_raw(Path(raw_dir))
    batches: list[ArticleRows] = []
    for batch in batched(articles, batch_size):
        rows, failed = extract_batch(batch, n_process)
        batches += rows
        rejects += failed
    tables = build_tables(batches, rejects)
    report = check(tables, Path(output_dir))
    write(tables, Path(output_dir))
    return RunSummary(len(batches), tables["rejects"].num_rows, {n: t.num_rows for n, t in tables.items()}, Path(output_dir), report)
