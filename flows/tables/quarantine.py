"""Set rows that failed a row check aside, keeping the published tables consistent.

A quarantined row leaves its table and becomes a `quarantine` row (schemas/quarantine.yaml)
with the check, the offending values and the whole row as JSON. Rows that refer to it
follow (a claim of a quarantined article is quarantined too, check "refers to quarantined
articles"); a list of references (an event's actor_ids, a person's article_ids) loses the
quarantined ids instead, unless it would hold fewer than its `min_items` (a person left
with no article is quarantined). People whose
articles changed get their counts and dates recomputed from what is published.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from flows.tables.schema import Table, table


@dataclass(frozen=True)
class RowFailure:
    table: str
    key: str
    check: str
    columns: list[str]  # the columns whose values failed


def set_aside(tables: dict[str, pa.Table], failures: list[RowFailure]) -> tuple[dict[str, pa.Table], list[dict[str, Any]]]:
    """(tables without the quarantined rows, quarantine rows)."""
    if not failures:
        return dict(tables), []
    failures = _with_dependents(tables, list(failures))
    keys: dict[str, set[str]] = {}
    for f in failures:
        keys.setdefault(f.table, set()).add(f.key)
    rows_by_key = {name: _rows_by_key(table(name), tables[name], k) for name, k in keys.items()}
    moved = [_quarantine_row(table(f.table), rows_by_key[f.table][f.key], f) for f in failures]
    kept = {}
    for name, data in tables.items():
        spec = table(name)
        if name in keys:
            data = data.filter(pc.invert(pc.is_in(data.column(spec.key), pa.array(sorted(keys[name]), pa.string()))))
        kept[name] = _drop_list_references(spec, data, keys)
    if "people" in kept and ("articles" in keys or "mentions" in keys):
        kept["people"] = _refresh_people(kept)
    return kept, sorted(moved, key=lambda r: (r["table_name"], r["row_key"], r["check"]))


def _with_dependents(tables: dict[str, pa.Table], failures: list[RowFailure]) -> list[RowFailure]:
    """Add the rows that refer (by a single-valued reference) to a quarantined row, until none is left."""
    seen = {(f.table, f.key) for f in failures}
    frontier = list(seen)
    while frontier:
        gone: dict[str, set[str]] = {}
        for name, key in frontier:
            gone.setdefault(name, set()).add(key)
        frontier = []
        for name, data in tables.items():
            spec = table(name)
            for col in spec.columns:
                target = col.references.split(".")[0] if col.references else None
                if target not in gone or col.is_list and not col.min_items:
                    continue  # a list that may be empty just loses the ids (see _drop_list_references)
                for key, value in zip(data.column(spec.key).to_pylist(), data.column(col.name).to_pylist(), strict=True):
                    if value is None or (name, key) in seen:
                        continue
                    orphan = len(set(value) - gone[target]) < (col.min_items or 0) if col.is_list else value in gone[target]
                    if orphan:
                        seen.add((name, key))
                        frontier.append((name, key))
                        failures.append(RowFailure(name, key, f"refers to quarantined {target}", [col.name]))
    return failures


def _drop_list_references(spec: Table, data: pa.Table, gone: dict[str, set[str]]) -> pa.Table:
    """Take quarantined ids out of list references (an event's actor_ids), keeping the rest."""
    for col in spec.columns:
        target = col.references.split(".")[0] if col.references and col.is_list else None
        if target not in gone:
            continue
        values = [[i for i in ids if i not in gone[target]] for ids in data.column(col.name).to_pylist()]
        index = spec.column_names.index(col.name)
        data = data.set_column(index, spec.arrow_schema().field(col.name), pa.array(values, col.arrow_type))
    return data


def _refresh_people(tables: dict[str, pa.Table]) -> pa.Table:
    """n_mentions and first/last published dates of each person, from the published rows only."""
    counts: dict[str, int] = {}
    for person_id in tables["mentions"].column("entity_id").to_pylist():
        if person_id is not None:
            counts[person_id] = counts.get(person_id, 0) + 1
    published = dict(zip(*(tables["articles"].column(c).to_pylist() for c in ("article_id", "published_date")), strict=True))
    rows = tables["people"].to_pylist()
    for row in rows:
        row["n_mentions"] = counts.get(row["person_id"], row["n_mentions"])
        dates: list[date] = sorted(d for a in row["article_ids"] if (d := published.get(a)) is not None)
        row["first_published_date"], row["last_published_date"] = (dates[0], dates[-1]) if dates else (None, None)
    return table("people").build(rows)


def _rows_by_key(spec: Table, data: pa.Table, keys: set[str]) -> dict[str, dict[str, Any]]:
    chosen = data.filter(pc.is_in(data.column(spec.key), pa.array(sorted(keys), pa.string())))
    return {row[spec.key]: row for row in chosen.to_pylist()}


def _quarantine_row(spec: Table, row: dict[str, Any], failure: RowFailure) -> dict[str, Any]:
    digest = hashlib.sha256(f"{failure.table}\0{failure.key}\0{failure.check}".encode()).hexdigest()[:16]
    return {
        "quarantine_id": f"Q{digest}",
        "table_name": failure.table,
        "row_key": failure.key,
        "check": failure.check,
        "offending_values": _json({c: row.get(c) for c in failure.columns}),
        "article_id": row.get("article_id"),
        "rule": row.get("rule"),
        "row": _json(row),
    }


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
