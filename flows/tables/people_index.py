"""The people index: every per-article person record of the archive with the block it is compared
in, its full-name cluster and the person it was resolved to (state/people.parquet), beside the
people rows those records made (state/people_rows.parquet).

A run re-resolves only the blocks its records touch. People never span blocks, and a block's full
names join on that block's own records; only a bare surname looks outside its block, at who is
named beside it (resolve.Company). So the blocks resolved again are those of the new and removed
records and, where that changes the full-name cluster of a record, the blocks of every record of
that record's articles. Every other block keeps its people, ids and rows as the index holds them:
the result is the one resolving the whole archive again gives (`--full`), at the cost of the
blocks touched.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from flows.tables import person_ids, resolve
from flows.tables.schema import table

Row = dict[str, Any]
INDEX_FILE = "people.parquet"
ROWS_FILE = "people_rows.parquet"
INDEX = pa.schema(  # one per-article person record per row, with its block, full-name cluster and person
    [
        ("key", pa.string()),
        ("article_id", pa.string()),
        ("published_date", pa.date32()),
        ("name", pa.string()),
        ("aliases", pa.list_(pa.string())),
        ("titles", pa.list_(pa.string())),
        ("disputed_titles", pa.list_(pa.string())),
        ("gender", pa.string()),
        ("n_mentions", pa.int64()),
        ("part", pa.string()),
        ("person_id", pa.string()),
        ("person_name", pa.string()),
        ("block", pa.string()),
        ("full_cluster", pa.string()),
    ]
)


@dataclass
class Resolved:
    """Who every record of the archive is after this run, and what to keep for the next one."""

    people: resolve.People  # `of` and `rows` for the whole archive, the registry with every anchor
    index: pa.Table  # the index of the new publication (INDEX)
    renamed: set[str]  # parts holding an earlier record whose person id or canonical name changed
    blocks_resolved: int  # how many blocks were resolved again (all of them on a full run)


@dataclass(frozen=True)
class Previous:
    """What the last publication kept: its index and its people rows (None when there is none)."""

    index: pa.Table | None
    rows: pa.Table | None

    @property
    def incremental(self) -> bool:
        """Can this run resolve only the blocks it touches? (An index from before blocks were kept cannot.)"""
        return self.index is not None and self.rows is not None and {"block", "full_cluster"} <= set(self.index.column_names)


def read(state: Path, exists: bool) -> Previous:
    """The index and people rows in a publication's state folder (`exists`: is there a publication)."""
    index, rows = state / INDEX_FILE, state / ROWS_FILE
    return Previous(
        pq.read_table(index) if exists and index.exists() else None,
        pq.read_table(rows) if exists and rows.exists() else None,
    )


def write(state: Path, resolved: Resolved) -> None:
    state.mkdir(parents=True, exist_ok=True)
    pq.write_table(resolved.index, state / INDEX_FILE, compression="zstd")
    pq.write_table(table("people").build(list(resolved.people.rows.values())), state / ROWS_FILE, compression="zstd")


def resolve_archive(previous: Previous, removed: AbstractSet[str], new: list[Row], registry: person_ids.Registry) -> Resolved:
    """People of the archive: the last index without the `removed` articles' records, with the
    `new` records. Only the blocks they touch are resolved again, unless the last publication
    kept no usable index (`--full` keeps none: everything is resolved again)."""
    if previous.index is None:
        return _resolve_all([], new, registry)
    kept = previous.index.filter(pc.invert(_in(previous.index, "article_id", removed)))
    if not previous.incremental:
        return _resolve_all(kept.to_pylist(), new, registry)
    return _resolve_touched(previous, removed, kept, new, registry)


def _resolve_all(old: list[Row], new: list[Row], registry: person_ids.Registry) -> Resolved:
    people = resolve.resolve_people([*old, *new], registry)
    return Resolved(people, _index([*old, *new], people), _renamed(old, people), len(set(people.block.values())))


def _resolve_touched(
    previous: Previous, removed: AbstractSet[str], kept: pa.Table, new: list[Row], registry: person_ids.Registry
) -> Resolved:
    assert previous.index is not None and previous.rows is not None
    touched, joined = _touched_blocks(previous.index, removed, kept, new)
    stay = kept.filter(pc.invert(_in(kept, "block", touched)))
    if joined is not None:  # only the blocks of new and removed records: their records are at hand
        new_keys = {r["key"] for r in new}
        old = [r for r in joined.records if r["key"] not in new_keys]
    else:
        old = kept.filter(_in(kept, "block", touched)).to_pylist()
    articles = {r["article_id"] for r in [*old, *new]}
    beside = stay.filter(pc.and_(_in(stay, "article_id", articles), pc.is_valid(stay.column("full_cluster"))))
    elsewhere = zip(beside.column("article_id").to_pylist(), beside.column("full_cluster").to_pylist(), strict=True)
    people = resolve.resolve_people(joined if joined is not None else [*old, *new], registry, elsewhere)
    staying = set(stay.column("person_id").to_pylist())
    rows = {r["person_id"]: r for r in previous.rows.filter(_in(previous.rows, "person_id", staying)).to_pylist()}
    keys, ids, names = (stay.column(c).to_pylist() for c in ("key", "person_id", "person_name"))
    of = dict(zip(keys, zip(ids, names, strict=True), strict=True))
    redone = previous.index.filter(_in(previous.index, "block", touched))  # removed records too: their anchors go
    dropped = {person_ids.anchor_of(a, n) for a, n in zip(*(redone.column(c).to_pylist() for c in ("article_id", "name")), strict=True)}
    anchors = {a: p for a, p in registry.of_anchor.items() if a not in dropped} | people.registry.of_anchor
    everyone = resolve.People(of | people.of, rows | people.rows, person_ids.Registry(anchors, people.registry.names))
    index = pa.concat_tables([stay.select(INDEX.names), _index([*old, *new], people)])
    return Resolved(everyone, index, _renamed(old, people), len(touched))


def _touched_blocks(
    index: pa.Table, removed: AbstractSet[str], kept: pa.Table, new: list[Row]
) -> tuple[set[str], resolve.FullNames | None]:
    """The blocks of new and removed records and, where their full names now cluster otherwise,
    the blocks of every record of the articles whose full-name people changed (a bare surname
    there may now be named beside someone else). With them, when no block of the second kind is
    touched, the touched records with their full names joined already (else None)."""
    gone = index.filter(_in(index, "article_id", removed)).column("block").to_pylist()
    dirty = set(gone) | {resolve.block_of(r["name"]) for r in new}
    old = kept.filter(_in(kept, "block", dirty)).to_pylist()
    joined = resolve.FullNames([*old, *new])
    moved = {r["article_id"] for r in old if joined.full_cluster[r["key"]] != r["full_cluster"]}
    touched = dirty | set(kept.filter(_in(kept, "article_id", moved)).column("block").to_pylist())
    return touched, joined if touched == dirty else None


def _index(records: list[Row], people: resolve.People) -> pa.Table:
    rows = [
        {
            **r,
            "person_id": people.of[r["key"]][0],
            "person_name": people.of[r["key"]][1],
            "block": people.block[r["key"]],
            "full_cluster": people.full_cluster[r["key"]],
        }
        for r in records
    ]
    return pa.Table.from_pylist(rows, schema=INDEX)


def _renamed(old: list[Row], people: resolve.People) -> set[str]:
    return {r["part"] for r in old if people.of[r["key"]] != (r["person_id"], r["person_name"])}


def _in(data: pa.Table, column: str, values: Iterable[str]) -> pa.ChunkedArray:
    return pc.is_in(data.column(column), pa.array(sorted(values), pa.string()))
