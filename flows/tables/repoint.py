"""Point a part's published rows at renamed or re-merged people, without reading its rows again.

When new articles make a lone surname join another full name, or a fuller form becomes a
person's canonical name, parts built earlier hold the old person ids and names. Their other
columns passed every check and stay as they are, so instead of decoding the part's rows and
building its tables again, the published Parquet is read and only the person columns are
recomputed — by the same functions the rebuild uses (resolve.mention_person, claim_speaker,
event_people), from the part's `refs`: each row's local person keys and the texts renaming
works on, kept beside its rows when the part was extracted. The result is the table a rebuild
would give.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from flows.extract.rows import ArticleRows
from flows.tables import resolve
from flows.tables.schema import table

Row = dict[str, Any]
Of = dict[str, tuple[str, str]]  # local person key → (person id, canonical name)
COLUMNS = {  # the columns repointing changes; every other column of a part stays as published
    "mentions": ("entity_id",),
    "claims": ("speaker_id", "speaker_name"),
    "events": ("actors", "actor_ids", "targets", "target_ids", "reported_by"),
    "titles": ("person_id",),
}


def person_refs(rows: ArticleRows) -> Row:
    """What repointing needs of one article: its people's local names, and by row id the local
    person keys of every row that names a person (with the texts renaming works on)."""
    return {
        "names": {p["key"]: p["name"] for p in rows.people},
        "mentions": {m["mention_id"]: m["_person_key"] for m in rows.mentions if m["_person_key"]},
        "claims": {c["claim_id"]: [c["_person_key"], c["speaker_name"]] for c in rows.claims if c["_person_key"]},
        "events": {
            e["event_id"]: [e["_actor_keys"], e["actors"], e["_target_keys"], e["targets"], e["_reporter_key"], e["reported_by"]]
            for e in rows.events
            if e["_actor_keys"] or e["_target_keys"] or e["_reporter_key"]
        },
        "titles": {resolve.title_id(p, title): p["key"] for p in rows.people for _, title in resolve.titles_of(p)},
    }


def read_refs(path: Path) -> Row | None:
    """The refs of a part's articles merged (keys and row ids are unique across articles); None
    when its rows file was written before refs were kept."""
    schema = pq.read_schema(path)
    if "refs" not in schema.names:
        return None
    merged: Row = {name: {} for name in ("names", *COLUMNS)}
    for refs in pq.read_table(path, columns=["refs"]).column("refs").to_pylist():
        for name, values in json.loads(refs).items():
            merged[name].update(values)
    return merged


def person_columns(name: str, ref: Any, names: dict[str, str], of: Of) -> Row:
    """A row's person columns from its refs entry."""
    if name == "mentions":
        return {"entity_id": resolve.mention_person(ref, of)}
    if name == "claims":
        return resolve.claim_speaker(ref[0], ref[1], of)
    if name == "events":
        actor_keys, actors, target_keys, targets, reporter, reported_by = ref
        keys, texts = {"actor": actor_keys, "target": target_keys}, {"actor": actors, "target": targets}
        return resolve.event_people(keys, texts, reporter, reported_by, names, of)
    return {"person_id": of[ref][0]}


def repointed(name: str, data: pa.Table, refs: Row, of: Of) -> tuple[pa.Table, bool]:
    """A published part table with its person columns recomputed, and whether any value changed."""
    spec = table(name)
    new: dict[int, Row] = {}
    for i, row_id in enumerate(data.column(spec.key).to_pylist()):
        if (ref := refs[name].get(row_id)) is not None:
            new[i] = person_columns(name, ref, refs["names"], of)
    changed = False
    for column in COLUMNS[name]:
        values = data.column(column).to_pylist()
        updated = list(values)
        for i, row in new.items():
            updated[i] = row[column]
        if updated != values:
            changed = True
            index = data.schema.get_field_index(column)
            data = data.set_column(index, data.schema.field(index), pa.array(updated, type=data.schema.field(index).type))
    if changed and spec.sort_by and set(spec.sort_by) & set(COLUMNS[name]):
        data = data.sort_by([(c, "ascending") for c in spec.sort_by])  # the titles are sorted by person
    return data, changed
