"""The newsledger flow: raw/ → validated Parquet and CSV tables. Reads as the table of contents."""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, cast

import pyarrow as pa
from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.context import FlowRunContext
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.utilities.annotations import quote

from flows import ingest
from flows.article import Article, Reject
from flows.errors import ShrinkRefused
from flows.runtime import batches, scaleout
from flows.runtime.lock import output_lock
from flows.runtime.progress import Progress
from flows.tables import archive, build, publish, validate
from flows.tables.archive import Archive, DamagedArchive, Inputs
from flows.tables.build import Extracted
from flows.tables.publish import Snapshot

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
    parts_built: int = 0  # parts of the archive written by this run (new, or changed since the last run)
    parts_kept: int = 0  # parts carried over from the last publication as they were
    reject_reasons: dict[str, int] = field(default_factory=dict)  # reason → files or articles rejected

    def lines(self) -> list[str]:
        """What the run read, made and set aside, and where it is (the terminal's summary and the run's log)."""
        if self.nothing_new:
            return [f"{self.articles} articles, nothing new since the last run; {self.output}/ is unchanged"]
        reused = self.articles - self.processed
        lines = [f"{self.articles} articles read ({self.processed} processed, {reused} unchanged), {self.rejects} rejected"]
        lines += [f"  rejected   {n:>7} {reason}" for reason, n in sorted(self.reject_reasons.items(), key=lambda kv: (-kv[1], kv[0]))]
        lines.append(f"  parts      {self.parts_built} built, {self.parts_kept} carried over unchanged")
        lines += [f"  {name:<10} {count:>7} rows" for name, count in self.rows.items()]
        for name, checks in sorted(self.quarantined.items()):
            for check, count in sorted(checks.items(), key=lambda kv: -kv[1]):
                examples = self.quarantine_examples.get((name, check), [])[:2]
                lines.append(f"  quarantined {count:>6} {name} rows: {check}" + (f" — e.g. {'; '.join(examples)}" if examples else ""))
        lines.append(f"  tables:     {self.output / 'parquet'}/, {self.output / 'csv'}/")
        lines.append(f"  codebook:   {self.output / 'CODEBOOK.md'}")
        lines.append(f"  validation: {self.report}")
        return lines

    def markdown(self) -> str:
        """The summary as the flow run's markdown artifact (what a scheduled run shows in the UI)."""
        head = f"# newsledger run\n\n{self.lines()[0]}\n\n"
        if self.nothing_new:
            return head
        rows = "| table | rows |\n|---|---:|\n" + "".join(f"| {name} | {n} |\n" for name, n in self.rows.items())
        rejects = "".join(f"- {n} rejected: {reason}\n" for reason, n in sorted(self.reject_reasons.items()))
        quarantined = "".join(
            f"- {n} {name} rows quarantined: {check}\n" for name, checks in sorted(self.quarantined.items()) for check, n in checks.items()
        )
        report = f"\nValidation report: [{self.report}]({self.report.resolve().as_uri()})\n"
        return head + rows + ("\n" + rejects if rejects else "") + ("\n" + quarantined if quarantined else "") + report


def report_run(summary: RunSummary) -> RunSummary:
    """Put the summary in the flow run's log and in a markdown artifact, so a scheduled run shows it."""
    get_run_logger().info("\n".join(summary.lines()))
    try:
        create_markdown_artifact(summary.markdown(), key="newsledger-run", description="rows per table, rejects, quarantined rows")
    except Exception as err:  # the summary is a courtesy: it never fails a run that published
        get_run_logger().warning("could not record the run's summary artifact: %s", err)
    return summary


@task(cache_policy=NO_CACHE)
def read_raw(raw_dir: Path, listing: ingest.Listing, archive: Archive, files: dict[str, list[int]]) -> Inputs:
    """Ingest: read the article files that are new or changed since the last publication; every
    entry that cannot be an article becomes a Reject."""
    return archive.read_inputs(raw_dir, listing, files)


@task(cache_policy=NO_CACHE)
def extract_part(
    part: str, rows_path: Path, articles: list[tuple[str, Article, list[str]]], batch_size: int, n_process: int, progress_token: str
) -> Extracted:
    """Annotate one chunk of new articles with spaCy (in `n_process` worker processes), extract
    its rows and write them as a new part; an article that fails becomes a reject."""
    return build.extract_part(part, rows_path, articles, batch_size, n_process, progress_token)


@task(cache_policy=NO_CACHE)
def plan_parts(archive: Archive, inputs: Inputs, extracted: list[Extracted], state: Path) -> build.Plan:
    """Resolve people across the archive's index and choose the parts to build again."""
    return build.plan(archive, inputs, extracted, state)


@task(cache_policy=NO_CACHE)
def build_part(folder: Path, part: str, source: build.Source, lookup: build.Lookup, max_quarantined: float) -> build.Built:
    """Give one part its person ids, validate it (quarantining rows that fail a row check) and write it."""
    return build.build_part(folder, part, source, lookup, max_quarantined)


@task(cache_policy=NO_CACHE)
def build_whole_tables(
    folder: Path, plan: build.Plan, places: list[dict], rejects: list[Reject], max_quarantined: float
) -> tuple[dict[str, pa.Table], validate.Report]:
    """People, places and rejects of the whole archive, validated."""
    return build.whole_tables(folder, plan, places, rejects, max_quarantined)


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


def nothing_new(archive: Archive, output_dir: Path) -> RunSummary:
    print("nothing new since the last run: output unchanged")
    articles, rejects = archive.published_counts()
    return RunSummary(articles, rejects, {}, output_dir, output_dir / "reports" / "validation.html", 0, True)


def summarise(counts: dict[str, int], report: validate.Report, n_articles: int, n_processed: int, output: Path, page: Path) -> RunSummary:
    """What the run published: rows per table, rejects, quarantined rows with examples."""
    quarantined = {t: dict(c) for t, c in report.quarantined.items()}
    summary = RunSummary(n_articles, counts["rejects"], counts, output, page, n_processed, quarantined=quarantined)
    summary.quarantine_examples = dict(report.examples)
    return summary


def chunks(inputs: Inputs, snapshot: Snapshot, size: int) -> list[tuple[str, list[tuple[str, Article, list[str]]]]]:
    """The new articles in parts of `size`, each named after the snapshot that adds it."""
    keyed = sorted(inputs.new.items(), key=lambda ka: ka[1].source_path)
    triples = [(key, a, inputs.paths[key]) for key, a in keyed]
    return [(f"{snapshot.name}-{i:04d}", chunk) for i, chunk in enumerate(batches.batched(triples, size))]


def on_dask() -> bool:
    """Does this flow run submit its tasks to a Dask cluster?"""
    context = FlowRunContext.get()
    return context is not None and type(context.task_runner).__name__ == "DaskTaskRunner"


@dataclass(frozen=True)
class Options:
    """How the parts of a run are built (the flow's parameters)."""

    batch_size: int
    n_process: int
    articles_per_task: int
    max_quarantined: float


def publish_increment(output_dir: Path, last: Archive, inputs: Inputs, files: dict[str, list[int]], options: Options) -> RunSummary:
    """Extract the new articles as new parts, rebuild the parts that changed, link the others,
    build the tables stored whole, validate, and switch output/ to the new snapshot."""
    snapshot = Snapshot(output_dir)
    bar = Progress(len(inputs.new), logger=get_run_logger())
    try:
        extracted: list[Extracted] = []
        parts = chunks(inputs, snapshot, options.articles_per_task)
        if on_dask() and (warning := scaleout.single_task_warning(len(parts), len(inputs.new), options.articles_per_task)):
            sys.stderr.write(f"newsledger: {warning}\n")
        pending = [
            extract_part.submit(part, publish.rows_path(snapshot.state, part), chunk, options.batch_size, options.n_process, bar.token)
            for part, chunk in parts
        ]
        while pending:  # one part's summary at a time: rows stay in the part files, not in memory
            extracted.append(pending.pop(0).result())
            bar.part_done(len(extracted), len(extracted) + len(pending), sum(len(e.articles) + len(e.failed) for e in extracted))
        bar.close()
        failed = [r for e in extracted for r in e.failed]
        for reject in failed:
            inputs.file_rejects.setdefault(reject.path, []).append(reject)  # kept until the file changes
        plan = plan_parts(as_is(last), as_is(inputs), as_is(extracted), snapshot.state)
        places = [*build.previous_places(last), *(p for e in extracted for p in e.places)]
        known = {"people": set(plan.people.rows), "places": {p["place_id"] for p in places}}
        lookup = build.Lookup(plan.people, known, output_dir / "current", last.last.get("published", {}))
        futures = [build_part.submit(snapshot.folder, part, source, lookup, options.max_quarantined) for part, source in plan.build.items()]
        built = [f.result() for f in futures]
        report = validate.merge([b.report for b in built])
        if not report.success:
            publish.write_report(report, output_dir / "reports")
            raise validate.ValidationFailed(report)
        for part in plan.link:
            snapshot.link_part(part, build.PARTS, last.last["published"])
        for b in built:
            snapshot.digests |= b.digests
        whole, whole_report = build_whole_tables(
            snapshot.folder, as_is(plan), as_is(places), as_is(inputs.rejects + failed), options.max_quarantined
        )
        report = validate.merge([report, whole_report])
        report.checks += build.archive_checks(snapshot.folder, whole)
        page = publish.write_report(report, output_dir / "reports")
        if not report.success:
            raise validate.ValidationFailed(report)
        snapshot.digests |= build.write_whole(snapshot.folder, whole)
        build.write_index(snapshot.state, plan.index)
        build.write_person_ids(snapshot.state, plan.people)
        articles = {**inputs.kept, **{k: v for e in extracted for k, v in e.articles.items()}}
        rows = {**{p: last.last["rows"][p] for p in plan.link}, **{b.part: b.rows_digest for b in built}}
        snapshot.join_csv()
        counts = snapshot.counts()
        record = archive.manifest(files, inputs, articles, rows, inputs.rejects + failed, snapshot.digests)
        archive.write_json(snapshot.state / archive.MANIFEST, record)
        snapshot.publish()
        archive.forget_old_layout(output_dir)
    except BaseException:
        bar.close()
        snapshot.abandon()
        raise
    summary = summarise(counts, report, len(articles), len(inputs.new), output_dir, page)
    summary.parts_built, summary.parts_kept = len(built), len(plan.link)
    summary.reject_reasons = dict(Counter(r.reason for r in inputs.rejects + failed))
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

    Incremental unless `full`: only files that are new or changed since the last publication
    are read, only their articles are annotated (as new parts of `articles_per_task`
    articles), and only the parts that lost articles or whose people changed are built again;
    a run whose input files (path, size, times; failing that, contents) match those of the last
    publication stops early. Rows that fail a row check are published in the quarantine table;
    more than `max_quarantined` of a part's rows failing stops the run. Parts are submitted to
    the flow's task runner (one at a time by default; in parallel on a Dask cluster with
    --runner dask); a task streams its part `batch_size` articles at a time through
    `n_process` worker processes that annotate and extract.
    """
    raw_dir, output_dir = Path(raw_dir), Path(output_dir)
    options = Options(batch_size, n_process, articles_per_task, max_quarantined)
    with output_lock(output_dir):  # one run at a time per output folder (scheduled runs too)
        publish.check_output(output_dir)  # before any work: never take over a folder of someone else's files
        last = Archive(output_dir, full)  # what the last publication holds (nothing with --full)
        listing = ingest.walk(raw_dir, skip=(output_dir,))  # one walk of raw/; an output folder inside it is not input
        files = ingest.fingerprint(raw_dir, listing=listing)  # before reading: a file edited during the run is new next time
        if last.files_unchanged(files):
            return report_run(nothing_new(last, output_dir))
        inputs = read_raw(raw_dir, as_is(listing), as_is(last), as_is(files))
        if last.unchanged(inputs):  # files touched, contents the same
            last.touch(files, inputs)
            return report_run(nothing_new(last, output_dir))
        if not allow_shrink:
            check_shrink(last.published_counts()[0], inputs.n_articles, raw_dir)
        try:
            return report_run(publish_increment(output_dir, last, inputs, files, options))
        except DamagedArchive as err:  # a part's cached rows do not match the manifest: never trusted
            print(f"{err}; processing every article again")
            last = Archive(output_dir, full=True)
            inputs = read_raw(raw_dir, as_is(listing), as_is(last), as_is(files))
            return report_run(publish_increment(output_dir, last, inputs, files, options))
