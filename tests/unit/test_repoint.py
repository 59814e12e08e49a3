"""Repointing a published part at renamed people gives the tables a rebuild from its rows gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.annotate import annotate
from flows.extract.rows import extract_article
from flows.ingest import read_folder
from flows.tables import repoint, resolve
from flows.tables.schema import table

FIXTURES = Path(__file__).parents[1] / "fixtures"


@pytest.fixture(scope="module")
def extracted():
    articles = [a for folder in ("articles", "people") for a in read_folder(FIXTURES / folder)[0]]
    return [extract_article(a) for a in annotate(articles)]


def tables_of(rows, people):
    built = resolve.part_rows(rows, people)
    return {name: table(name).build(built[name]) for name in repoint.COLUMNS}


def merged_refs(rows):
    refs: dict = {name: {} for name in ("names", *repoint.COLUMNS)}
    for r in rows:
        for name, values in repoint.person_refs(r).items():
            refs[name].update(values)
    return refs


def renamed(people: resolve.People) -> resolve.People:
    """Every person re-merged: people sharing a surname become one, named by its longest form plus a suffix."""
    by_surname: dict[str, list[str]] = {}
    for key, (_, name) in people.of.items():
        by_surname.setdefault(name.split()[-1], []).append(key)
    of = {}
    for surname, keys in by_surname.items():
        name = max((people.of[k][1] for k in keys), key=len) + " Jr."
        of |= {k: (f"P-{surname}", name) for k in keys}
    return resolve.People(of, {})


def test_repointed_tables_equal_a_rebuild_under_the_new_people(extracted):
    before = resolve.resolve_people([p for r in extracted for p in r.people])
    after = renamed(before)
    published, rebuilt, refs = tables_of(extracted, before), tables_of(extracted, after), merged_refs(extracted)
    for name in repoint.COLUMNS:
        data, changed = repoint.repointed(name, published[name], refs, after.of)
        assert changed == (published[name].num_rows > 0 and not published[name].equals(rebuilt[name])), name
        assert data.equals(rebuilt[name]), name
    assert any(published[n].num_rows for n in repoint.COLUMNS)
    assert rebuilt["events"].column("actor_ids").to_pylist() != published["events"].column("actor_ids").to_pylist()


def test_repointing_under_the_same_people_changes_nothing(extracted):
    people = resolve.resolve_people([p for r in extracted for p in r.people])
    published, refs = tables_of(extracted, people), merged_refs(extracted)
    for name in repoint.COLUMNS:
        data, changed = repoint.repointed(name, published[name], refs, people.of)
        assert not changed and data.equals(published[name]), name


def test_refs_hold_only_rows_that_name_a_person(extracted):
    refs = merged_refs(extracted)
    mentions = [m for r in extracted for m in r.mentions]
    assert set(refs["mentions"]) == {m["mention_id"] for m in mentions if m["_person_key"]}
    assert len(refs["mentions"]) < len(mentions)  # places and organisations carry no person key
