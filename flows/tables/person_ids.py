"""Person ids that stay put: minted once, kept in a registry, handed back to the same person.

A person id used to be a hash of the person's canonical name, so it changed whenever a fuller form
of the name turned up later ("Lenz" → "Ivo Lenz"). Now every per-article person record is filed
under an anchor (its article and normalised local name), and the registry remembers which id each
anchor had. After people are resolved again, each person takes back the id most of its records had
(by mentions), and an id goes to one person only: when two people merge, the one holding more
mentions keeps its id and the other id retires; when one splits, the larger share keeps it. Only a
person none of whose records had an id gets a new one, and an id once minted is never minted again
for someone else. The registry lives in output/current/state/ and survives `--full` and new
pipeline versions; a release lists what changed (id_changes.csv).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from flows.article import content_id
from flows.names import normalise_name

Row = dict[str, Any]
FILE = "person_ids.parquet"
SCHEMA = pa.schema([("person_id", pa.string()), ("name", pa.string()), ("anchors", pa.list_(pa.string()))])


def anchor(record: Row) -> str:
    """Where a per-article person record is found again by a later run: its article and its
    normalised name ("A1f…|ana horvat"), not its position in the article, which a new rule can shift."""
    return anchor_of(record["article_id"], record["name"])


def anchor_of(article_id: str, name: str) -> str:
    return f"{article_id}|{normalise_name(name)}"


@dataclass
class Registry:
    """Every person id minted so far: the id each anchor had, and the name it was last given."""

    of_anchor: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # person id → canonical name (retired ids too)

    def assign(self, groups: list[tuple[str, list[Row]]]) -> list[str]:
        """A person id for each (canonical name, records) group, in order: the id held by most of
        its records' mentions if no other group holds more of it, else a new one."""
        votes = [Counter[str]() for _ in groups]
        for n, (_, records) in enumerate(groups):
            for r in records:
                if (old := self.of_anchor.get(anchor(r))) is not None:
                    votes[n][old] += int(r.get("n_mentions") or 1)
        claims = sorted(((-w, old, n) for n, v in enumerate(votes) for old, w in v.items()))
        ids: dict[int, str] = {}
        taken: set[str] = set()
        for _, old, n in claims:
            if n not in ids and old not in taken:
                ids[n], taken = old, taken | {old}
        for n, (name, records) in enumerate(groups):
            if n not in ids:
                ids[n] = self._mint(name, records, taken)
                taken.add(ids[n])
        return [ids[n] for n in range(len(groups))]

    def _mint(self, name: str, records: list[Row], taken: set[str]) -> str:
        """A new id: a hash of the canonical name, or of the name and its records when that id was
        minted before (for a namesake, or for a person since merged away)."""
        person_id = content_id("P", normalise_name(name))
        if person_id in taken or person_id in self.names:
            person_id = content_id("P", normalise_name(name), *sorted(r["key"] for r in records))
        return person_id

    def updated(self, people: dict[str, tuple[str, list[Row]]]) -> Registry:
        """The registry after a run: the anchors of every person now (person id → name, records);
        ids no record holds any more stay listed, retired, so they are never minted again."""
        of_anchor = {anchor(r): person_id for person_id, (_, records) in people.items() for r in records}
        return Registry(of_anchor, {**self.names, **{person_id: name for person_id, (name, _) in people.items()}})


def read(path: Path) -> Registry:
    """The registry written by the last publication (empty when there is none)."""
    if not path.exists():
        return Registry()
    registry = Registry()
    for row in pq.read_table(path).to_pylist():
        registry.names[row["person_id"]] = row["name"]
        registry.of_anchor |= dict.fromkeys(row["anchors"], row["person_id"])
    return registry


def write(path: Path, registry: Registry) -> None:
    anchors: dict[str, list[str]] = {person_id: [] for person_id in registry.names}
    for a, person_id in sorted(registry.of_anchor.items()):
        anchors[person_id].append(a)
    rows = [{"person_id": p, "name": registry.names[p], "anchors": anchors[p]} for p in sorted(registry.names)]
    pq.write_table(pa.Table.from_pylist(rows, schema=SCHEMA), path, compression="zstd")
