"""Build a publication part by part: extract new parts, re-resolve people over the archive's
index, rebuild only the parts that changed, then the tables stored whole.

Each step is a plain function of paths and rows, so the flow can run it in this process or
on a Dask worker (parts are built where the workers are; only small summaries come back).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from flows.article import Article, Reject
from flows.extract.rows import ArticleRows
from flows.runtime import batches
from flows.tables import people_index, person_ids, publish, repoint, resolve, validate
from flows.tables.archive import Archive, DamagedArchive, Inputs, decode_rows, write_rows
from flows.tables.publish import WHOLE, read_table, sha256_file
from flows.tables.schema import TABLES, table

Row = dict[str, Any]
PARTS = tuple(n for n in TABLES if table(n).stored == "parts")  # one file per part: articles, mentions, claims …


@dataclass
class Extracted:
    """What extracting one new part gave: small enough to come back from a worker."""

    part: str
    digest: str  # SHA-256 of its rows file
    articles: dict[str, dict[str, Any]]  # article key → manifest entry
    people: list[Row]  # per-article person records
    places: list[Row]
    failed: list[Reject]


def extract_part(
    part: str, rows_path: Path, articles: list[tuple[str, Article, list[str]]], batch_size: int, n_process: int, progress: str | None = None
) -> Extracted:
    """Annotate and extract one part's articles ((key, article, files) triples), write its rows
    file; `progress` names the run's progress bar, moved on after each batch."""
    by_id = {a.article_id: (key, paths) for key, a, paths in articles}
    rows, failed = batches.extract_rows([a for _, a, _ in articles], batch_size, n_process, progress)
    keyed = [(by_id[r.article["article_id"]][0], r) for r in rows]
    digest = write_rows(rows_path, keyed)
    entries = {
        by_id[r.article["article_id"]][0]: {"id": r.article["article_id"], "paths": by_id[r.article["article_id"]][1], "part": part}
        for r in rows
    }
    people = [{**p, "part": part} for r in rows for p in r.people]
    return Extracted(part, digest, entries, people, [p for r in rows for p in r.places], failed)


def read_rows(path: Path, expected: str | None, drop: AbstractSet[str] = frozenset()) -> Iterator[tuple[str, ArticleRows]]:
    """(article key, rows) of a rows file, without the keys in `drop`. The file must have the
    SHA-256 the manifest recorded: a damaged cache is refused, never trusted."""
    check_digest(path, expected)
    data = pq.read_table(path)
    for key, rows in zip(data.column("article_key").to_pylist(), data.column("rows").to_pylist(), strict=True):
        if key not in drop:
            yield key, decode_rows(rows)


def check_digest(path: Path, expected: str | None) -> None:
    """A rows file must have the SHA-256 the manifest recorded: a damaged cache is refused, never trusted."""
    if expected is None or sha256_file(path) != expected:
        raise DamagedArchive(f"{path} does not match the manifest (damaged or edited): run `newsledger run --full`")


@dataclass(frozen=True)
class Source:
    """Where a part to build finds its rows, and whether it must be validated again."""

    rows: Path  # its rows file (checked against `digest`)
    digest: str
    drop: frozenset[str] = frozenset()  # article keys it lost (deleted or edited articles)
    validated: bool = False  # its rows passed every check and none was quarantined; only person ids or names change (repointed)


@dataclass
class Plan:
    """Which parts this run builds and which it carries over, and who every person record is."""

    people: resolve.People
    index: people_index.Resolved  # the people index of the new publication
    build: dict[str, Source]  # part → where its rows are
    link: list[str]  # parts carried over unchanged


def plan(archive: Archive, inputs: Inputs, extracted: list[Extracted], staging_state: Path) -> Plan:
    """Resolve people again where the archive's index is touched (by the removed articles and the
    new parts' records), then choose the parts to build: the new ones, those that lost articles,
    and those holding a record whose person id or canonical name changed."""
    published = archive.articles  # one copy of the manifest's articles, not one per removed article
    removed_ids = {published[k]["id"] for k in inputs.removed}
    previous = people_index.read(archive.state, bool(archive.last))
    resolved = people_index.resolve_archive(previous, removed_ids, [p for e in extracted for p in e.people], archive.person_registry())
    old_parts = set(archive.parts)
    removed_by_part: dict[str, set[str]] = {}
    for key in inputs.removed:
        removed_by_part.setdefault(published[key]["part"], set()).add(key)
    alive = {entry["part"] for entry in inputs.kept.values()}
    build: dict[str, Source] = {}
    for part in sorted((resolved.renamed | removed_by_part.keys()) & old_parts & alive):
        drop = frozenset(removed_by_part.get(part, set()))
        build[part] = Source(archive.rows_file(part), archive.last["rows"][part], drop, not drop and not _quarantined(archive, part))
    for e in extracted:
        build[e.part] = Source(publish.rows_path(staging_state, e.part), e.digest)
    link = sorted(old_parts & alive - build.keys())
    return Plan(resolved.people, resolved, build, link)


def _quarantined(archive: Archive, part: str) -> bool:
    """Did the part set rows aside when it was built? (Then a rename re-runs its checks too.)"""
    path = archive.output / "current" / publish.part_files("quarantine", part)[0]
    return not path.exists() or pq.ParquetFile(path).metadata.num_rows > 0


@dataclass
class Built:
    """What building one part gave (it is written already)."""

    part: str
    digests: dict[str, str]
    report: validate.Report
    rows_digest: str


class Lookup:
    """Who every person record is, and the people and places that exist: handed whole to each
    part's task (a plain object, which the task runner sends as it is instead of walking it)."""

    def __init__(self, people: resolve.People, known: validate.Known, current: Path, published: dict[str, str]):
        self.people = people
        self.known = known
        self.current = current  # the snapshot of the last publication (output/current)
        self.published = published  # SHA-256 of every file of the last publication (relative path → digest)


def build_part(folder: Path, part: str, source: Source, lookup: Lookup, max_quarantined: float) -> Built:
    """Resolve, type, gate and write one part's tables (and its rows file, when it lost articles).
    A part that changes only because people were renamed or re-merged is repointed instead: its
    other columns passed every check when it was built, and references are checked across all
    parts anyway."""
    if source.validated and (repointed := repoint_part(folder, part, source, lookup)) is not None:
        return repointed
    keyed = list(read_rows(source.rows, source.digest, source.drop))
    rows_path = publish.rows_path(folder / publish.STATE, part)
    digest = source.digest
    if source.drop:
        digest = write_rows(rows_path, keyed)
    elif source.rows != rows_path:
        publish.link_file(source.rows, rows_path)
    rows = resolve.part_rows([r for _, r in keyed], lookup.people)
    tables = {name: table(name).build(rows[name]) for name in PARTS if name != "quarantine"}
    gated = validate.gate(tables, max_quarantined, lookup.known)
    if not gated.report.success:
        return Built(part, {}, gated.report, digest)
    digests: dict[str, str] = {}
    for name, data in gated.tables.items():
        digests |= publish.write_part(folder, name, part, data)
    return Built(part, digests, gated.report, digest)


def repoint_part(folder: Path, part: str, source: Source, lookup: Lookup) -> Built | None:
    """A renamed part's tables from its published ones with only their person columns recomputed
    (flows/tables/repoint.py); a table none of whose values changed is linked, not written. None
    when the part cannot be repointed (its rows file predates refs, or a published file is missing)."""
    check_digest(source.rows, source.digest)
    files = {name: publish.part_files(name, part) for name in PARTS}
    if any(rel not in lookup.published for rels in files.values() for rel in rels) or (refs := repoint.read_refs(source.rows)) is None:
        return None
    publish.link_file(source.rows, publish.rows_path(folder / publish.STATE, part))
    digests: dict[str, str] = {}
    for name, (parquet, csv_file) in files.items():
        changed = False
        if name in repoint.COLUMNS:
            data, changed = repoint.repointed(name, pq.read_table(lookup.current / parquet), refs, lookup.people.of)
        if changed:
            digests |= publish.write_part(folder, name, part, data)
        else:
            for rel in (parquet, csv_file):
                publish.link_file(lookup.current / rel, folder / rel)
                digests[rel] = lookup.published[rel]
    return Built(part, digests, validate.Report([]), source.digest)


def count(folder: Path, name: str, column: str) -> Counter[str]:
    """How often each value of a column (or each item of a list column) occurs in a table's parts."""
    counted = _value_counts(read_table(folder / "parquet", name, [column]).column(column))
    return Counter(dict(zip(counted.field("values").to_pylist(), counted.field("counts").to_pylist(), strict=True)))


def _value_counts(values: pa.ChunkedArray) -> pa.StructArray:
    """In Arrow: only the distinct values become Python objects (list items counted one by one)."""
    if pa.types.is_list(values.type):
        values = pc.list_flatten(values)
    return pc.value_counts(values.drop_null())


def whole_tables(
    folder: Path, plan_: Plan, places: Iterable[Row], rejects: list[Reject], max_quarantined: float
) -> tuple[dict[str, pa.Table], validate.Report]:
    """People, places and rejects of the whole archive, from the published parts (counts, dates)
    and the index; gated together."""
    articles = read_table(folder / "parquet", "articles", ["article_id", "published_date"])
    published = dict(zip(*(articles.column(c).to_pylist() for c in ("article_id", "published_date")), strict=True))
    people = resolve.finish_people(plan_.people, count(folder, "mentions", "entity_id"), published)
    known_places = {p["place_id"]: p for p in places}
    place_rows = resolve.count_places(known_places, count(folder, "mentions", "place_id"), count(folder, "events", "place_id"))
    tables = {
        "people": table("people").build(people),
        "places": table("places").build(place_rows),
        "rejects": table("rejects").build(sorted((vars(r) for r in rejects), key=lambda r: (r["path"], r["reason"], r["detail"]))),
    }
    gated = validate.gate(tables, max_quarantined, {"articles": set(published)})
    return gated.tables, gated.report


def archive_checks(folder: Path, whole: dict[str, pa.Table]) -> list[validate.Check]:
    """Invariants no single part can check: keys unique across parts, and references from every
    part (built now or carried over) to the people and places published. Read column by column."""
    checks = []
    for name in PARTS:
        key = table(name).key
        refs = [c for c in table(name).columns if c.references and c.references.split(".")[0] in whole]
        data = read_table(folder / "parquet", name, [key, *(c.name for c in refs)])  # one read per table
        counted = _value_counts(data.column(key))
        twice = sorted(counted.filter(pc.greater(counted.field("counts"), 1)).field("values").to_pylist())
        checks.append(validate.Check(name, f"{key} unique across parts", not twice, twice[:5]))
        for col in refs:
            target = str(col.references).split(".")[0]
            values = _value_counts(data.column(col.name)).field("values")
            have = whole[target].column(table(target).key).combine_chunks()
            gone = sorted(values.filter(pc.invert(pc.is_in(values, have))).to_pylist())
            checks.append(validate.Check(name, f"{col.name} references {col.references} (every part)", not gone, gone[:5]))
    return checks


def write_whole(folder: Path, tables: dict[str, pa.Table]) -> dict[str, str]:
    digests: dict[str, str] = {}
    for name, data in tables.items():
        digests |= publish.write_part(folder, name, WHOLE, data)
    return digests


def write_index(state: Path, resolved: people_index.Resolved) -> None:
    people_index.write(state, resolved)


def write_person_ids(state: Path, people: resolve.People) -> None:
    person_ids.write(state / person_ids.FILE, people.registry)


def previous_places(archive: Archive) -> list[Row]:
    """The place rows of the last publication (places are looked up once, when their part is built)."""
    if not archive.last:
        return []
    rows = read_table(archive.output / "parquet", "places").to_pylist()
    return [{k: v for k, v in r.items() if k not in {"n_mentions", "n_events"}} for r in rows]
