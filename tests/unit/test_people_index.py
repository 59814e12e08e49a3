"""The people index: resolving only the blocks a run touches gives what resolving everything again
gives — the same person of every record, the same ids, rows and registry — over runs that add and
remove articles."""

from __future__ import annotations

import random
from datetime import date

import pytest

from flows.tables import people_index, person_ids
from flows.tables.people_index import Previous, Resolved, resolve_archive
from flows.tables.resolve import block_of

# Relatives and namesakes sharing surnames, bare surnames, a fuller form and an initial: what makes
# a bare surname depend on who is named beside it, and full names merge or split as articles come and go.
NAMES = [
    "Ivo Lenz",
    "Ivo M. Lenz",
    "Ana Lenz",
    "Lenz",
    "Ana Horvat",
    "Marko Horvat",
    "Horvat",
    "Marko Dorn",
    "M. Dorn",
    "Dorn",
    "Oskar Berg",
    "Olga Berg",
    "Berg",
    "Mila Kos",
    "Kos",
    "Petra Novak",
]


def person(article_id: str, n: int, name: str, gender: str | None = None, mentions: int = 1, part: str = "p0") -> dict:
    """A per-article person record, as extraction makes them."""
    return {
        "key": f"{article_id}:{n}",
        "article_id": article_id,
        "published_date": date(2024, 1, 1),
        "name": name,
        "aliases": [],
        "titles": [],
        "disputed_titles": [],
        "gender": gender,
        "n_mentions": mentions,
        "part": part,
    }


def article(rng: random.Random, number: int) -> list[dict]:
    article_id = f"A{rng.randrange(10**6):06d}-{number}"
    names = rng.sample(NAMES, rng.randint(1, 4))
    genders = [None, None, "male", "female"]
    return [person(article_id, n, name, rng.choice(genders), rng.randint(1, 6), f"p{number // 3}") for n, name in enumerate(names)]


def saved(resolved: Resolved, tmp_path) -> Previous:
    """What the next run reads: the index and people rows as written to a state folder."""
    people_index.write(tmp_path, resolved)
    return people_index.read(tmp_path, exists=True)


def by_key(resolved: Resolved) -> list[dict]:
    return sorted(resolved.index.to_pylist(), key=lambda r: r["key"])


@pytest.mark.parametrize("seed", range(12))
def test_resolving_the_touched_blocks_equals_resolving_everything(seed, tmp_path):
    rng = random.Random(seed)
    articles = {n: article(rng, n) for n in range(12)}
    resolved = resolve_archive(Previous(None, None), set(), [r for rs in articles.values() for r in rs], person_ids.Registry())
    numbered = 12
    for run in range(3):
        previous, registry = saved(resolved, tmp_path / str(run)), resolved.people.registry
        gone = set(rng.sample(sorted(articles), 2))
        removed = {articles.pop(n)[0]["article_id"] for n in gone}
        new = []
        for _ in range(rng.randint(1, 3)):
            numbered += 1
            articles[numbered] = article(rng, numbered)
            new += articles[numbered]
        incremental = resolve_archive(previous, removed, new, registry)
        full = resolve_archive(Previous(None, None), set(), [r for rs in articles.values() for r in rs], registry)
        assert incremental.people.of == full.people.of
        assert incremental.people.rows == full.people.rows
        assert incremental.people.registry == full.people.registry
        assert by_key(incremental) == by_key(full)
        before = {r["key"]: (r["person_id"], r["person_name"]) for r in previous.index.to_pylist()}  # type: ignore[union-attr]
        assert incremental.renamed == {
            r["part"]
            for r in by_key(full)
            if before.get(r["key"], (r["person_id"], r["person_name"])) != (r["person_id"], r["person_name"])
        }
        resolved = incremental


def test_a_run_touching_one_surname_resolves_only_its_block(tmp_path):
    rng = random.Random(3)
    first = [r for n in range(10) for r in article(rng, n)]
    resolved = resolve_archive(Previous(None, None), set(), first, person_ids.Registry())
    newcomer = person("Z9", 0, "Tomo Zec")
    again = resolve_archive(saved(resolved, tmp_path), set(), [newcomer], resolved.people.registry)
    assert again.blocks_resolved == 1 < resolved.blocks_resolved
    assert again.people.of["Z9:0"][1] == "Tomo Zec"
    assert {k: v for k, v in again.people.of.items() if k != "Z9:0"} == resolved.people.of


def test_an_index_without_blocks_is_resolved_whole(tmp_path):
    rng = random.Random(4)
    resolved = resolve_archive(Previous(None, None), set(), [r for n in range(6) for r in article(rng, n)], person_ids.Registry())
    old_layout = Previous(resolved.index.drop_columns(["block", "full_cluster"]), None)
    assert not old_layout.incremental
    new = article(rng, 7)
    again = resolve_archive(old_layout, set(), new, resolved.people.registry)
    assert again.blocks_resolved == len({block_of(r["name"]) for r in [*resolved.index.to_pylist(), *new]})
    assert {"block", "full_cluster"} <= set(again.index.column_names)


def named(article_id: str, *names: str) -> list[dict]:
    return [person(article_id, n, name) for n, name in enumerate(names)]


def test_a_bare_surname_follows_a_split_in_another_block(tmp_path):
    """ "Sasha Horvat" of no known gender makes the Sasha Horvat called "he" and the one called "she" one person;
    "Lenz", named beside her, then joins Ivo Lenz, who is named beside him. Deleting the article of the bridge
    splits the Horvats, and "Lenz" — in a block nothing was added to or removed from — must stand alone again,
    as a full run has it."""
    he, she = person("A1", 1, "Sasha Horvat", gender="male"), person("A5", 1, "Sasha Horvat", gender="female")
    records = [person("A1", 0, "Ivo Lenz"), he, *named("A2", "Ana Lenz"), person("A5", 0, "Lenz"), she]
    bridge = named("A6", "Sasha Horvat")
    joined = resolve_archive(Previous(None, None), set(), [*records, *bridge], person_ids.Registry())
    assert joined.people.of["A5:0"] == joined.people.of["A1:0"]  # Lenz is Ivo Lenz
    split = resolve_archive(saved(joined, tmp_path / "1"), {"A6"}, [], joined.people.registry)
    assert split.people.of["A5:0"] != split.people.of["A1:0"]
    assert split.people.of == resolve_archive(Previous(None, None), set(), records, joined.people.registry).people.of
    again = resolve_archive(saved(split, tmp_path / "2"), set(), bridge, split.people.registry)
    assert again.people.of["A5:0"] == again.people.of["A1:0"]
