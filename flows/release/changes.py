"""What changed between two releases: rows added, removed and changed per table (by id), and what
became of every person id that retired (merged into another person, split, or removed).

The changelog names the ids; `id_changes.csv` lists every one of them, so a researcher who cited
an id can look it up, like the deletion lists of event datasets.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field

import pyarrow as pa

from flows.tables.schema import TABLES, table

Row = dict[str, str]
ID_CHANGES = "id_changes.csv"
ID_CHANGE_COLUMNS = ("table", "change", "old_id", "new_id")
LISTED = 10  # ids named per table and kind in the changelog; id_changes.csv has them all


@dataclass
class TableDiff:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)


@dataclass
class Diff:
    tables: dict[str, TableDiff] = field(default_factory=dict)
    schema_changes: list[str] = field(default_factory=list)
    people: list[Row] = field(default_factory=list)  # id_changes rows of people ids that retired or split

    @property
    def empty(self) -> bool:
        return not self.schema_changes and not any(d.added or d.removed or d.changed for d in self.tables.values())


def _row_hashes(data: pa.Table, key: str) -> dict[str, str]:
    return {str(r[key]): hashlib.sha256(json.dumps(r, sort_keys=True, default=str).encode()).hexdigest() for r in data.to_pylist()}


def _schema_changes(name: str, before: pa.Schema, after: pa.Schema) -> list[str]:
    changes = []
    for f in after:
        if f.name not in before.names:
            changes.append(f"{name}: column {f.name} added ({f.type})")
        elif before.field(f.name).type != f.type:
            changes.append(f"{name}: column {f.name} retyped {before.field(f.name).type} → {f.type}")
    return changes + [f"{name}: column {c} removed" for c in before.names if c not in after.names]


def compare(old: dict[str, pa.Table], new: dict[str, pa.Table]) -> Diff:
    """Ids added, removed and changed per table (a changed row keeps its id), schema changes,
    and what became of the person ids that retired."""
    diff = Diff()
    for name in TABLES:
        diff.schema_changes += _schema_changes(name, old[name].schema, new[name].schema)
        key = table(name).key
        a, b = _row_hashes(old[name], key), _row_hashes(new[name], key)
        changed = sorted(k for k in a.keys() & b.keys() if a[k] != b[k])
        diff.tables[name] = TableDiff(added=sorted(b.keys() - a.keys()), removed=sorted(a.keys() - b.keys()), changed=changed)
    diff.people = person_fates(old["mentions"], new["mentions"], set(old["people"].column("person_id").to_pylist()))
    return diff


def person_fates(old_mentions: pa.Table, new_mentions: pa.Table, old_people: set[str]) -> list[Row]:
    """Where the mentions of each old person id went. An id whose mentions all went to one other
    person was merged into it; to several, split; to none (their articles gone), removed. An id
    still in use whose mentions partly went to new ids split too."""
    now = dict(zip(new_mentions.column("mention_id").to_pylist(), new_mentions.column("entity_id").to_pylist(), strict=True))
    went: dict[str, set[str]] = defaultdict(set)
    for mention, person in zip(old_mentions.column("mention_id").to_pylist(), old_mentions.column("entity_id").to_pylist(), strict=True):
        if person is not None and (later := now.get(mention)) is not None:
            went[person].add(later)
    alive = {p for p in now.values() if p is not None}
    rows = []
    for person in sorted(old_people):
        targets = sorted(went[person] - {person})
        if person not in alive:
            change = "removed" if not targets else "merged" if len(targets) == 1 else "split"
            rows += [_change("people", change, person, t) for t in targets] or [_change("people", change, person, "")]
        else:
            rows += [_change("people", "split", person, t) for t in targets if t not in old_people]
    return rows


def _change(name: str, change: str, old_id: str, new_id: str) -> Row:
    return {"table": name, "change": change, "old_id": old_id, "new_id": new_id}


def id_changes(diff: Diff | None) -> list[Row]:
    """Every row of id_changes.csv: people ids merged, split or removed, then every id added,
    removed or changed per table (an id whose person merged or split is not listed again as removed)."""
    if diff is None:
        return []
    explained = {r["old_id"] for r in diff.people}
    rows = list(diff.people)
    for name, d in diff.tables.items():
        rows += [_change(name, "removed", i, "") for i in d.removed if not (name == "people" and i in explained)]
        rows += [_change(name, "added", "", i) for i in d.added]
        rows += [_change(name, "changed", i, i) for i in d.changed]
    return rows


def _named(ids: list[str]) -> str:
    shown = ", ".join(f"`{i}`" for i in ids[:LISTED])
    return shown + (f" … ({len(ids)} in all, every one in {ID_CHANGES})" if len(ids) > LISTED else "")


def changelog_entry(version: str, previous: str | None, diff: Diff | None, counts: dict[str, int], day: str) -> str:
    """The release's CHANGELOG.md section: counts per table, then the ids themselves."""
    lines = [f"## {version} — {day}", ""]
    if previous is None or diff is None:
        lines.append("First release. Rows: " + ", ".join(f"{n} {c}" for n, c in counts.items()) + ".")
        return "\n".join(lines) + "\n"
    lines += [f"Compared with {previous}:", "", "| table | rows | added | removed | changed |", "|---|---|---|---|---|"]
    for name, d in diff.tables.items():
        lines.append(f"| {name} | {counts[name]} | {len(d.added)} | {len(d.removed)} | {len(d.changed)} |")
    lines += ["", "Schema changes: " + ("; ".join(diff.schema_changes) if diff.schema_changes else "none") + ".", ""]
    fates = defaultdict(list)
    for r in diff.people:
        fates[r["change"]].append(f"`{r['old_id']}` → `{r['new_id']}`" if r["new_id"] else f"`{r['old_id']}`")
    for change, said in sorted(fates.items()):
        lines.append(f"- people ids {change}: " + ", ".join(said[:LISTED]) + (f" … ({len(said)} in all)" if len(said) > LISTED else ""))
    for name, d in diff.tables.items():
        for kind, ids in (("added", d.added), ("removed", d.removed), ("changed", d.changed)):
            if ids:
                lines.append(f"- {name} {kind}: {_named(ids)}")
    return "\n".join(lines) + "\n"
