"""Person ids are minted once and kept: a fuller name, a merge or a split moves no id it need not."""

from flows.tables import person_ids
from flows.tables.resolve import resolve_people


def record(article: str, n: int, name: str, mentions: int = 1) -> dict:
    return {
        "key": f"{article}:{n}",
        "article_id": article,
        "published_date": None,
        "name": name,
        "aliases": [],
        "titles": [],
        "disputed_titles": [],
        "gender": None,
        "n_mentions": mentions,
    }


def ids_by_name(people) -> dict[str, str]:
    return {row["name"]: person_id for person_id, row in people.rows.items()}


def test_a_first_run_mints_ids_from_canonical_names():
    first = resolve_people([record("A1", 0, "Ana Horvat"), record("A2", 0, "Ivo Lenz")])
    second = resolve_people([record("A2", 0, "Ivo Lenz"), record("A1", 0, "Ana Horvat")])
    assert ids_by_name(first) == ids_by_name(second)  # deterministic, whatever the order
    assert len(set(ids_by_name(first).values())) == 2


def test_a_fuller_name_found_later_keeps_the_id():
    before = resolve_people([record("A1", 0, "Lenz", 3)])
    [old_id] = before.rows
    after = resolve_people([record("A1", 0, "Lenz", 3), record("A2", 0, "Ivo Lenz")], before.registry)
    assert ids_by_name(after) == {"Ivo Lenz": old_id}  # renamed, same id
    fresh = resolve_people([record("A1", 0, "Lenz", 3), record("A2", 0, "Ivo Lenz")])
    assert ids_by_name(fresh)["Ivo Lenz"] != old_id  # without the registry the name would have moved it


def test_in_a_merge_the_person_with_more_mentions_keeps_the_id_and_the_other_retires():
    registry = person_ids.Registry({"A1|marko dorn": "Pbig", "A9|marko dorn": "Psmall"}, {"Pbig": "Marko Dorn", "Psmall": "Marko Dorn"})
    merged = resolve_people([record("A1", 0, "Marko Dorn", 5), record("A9", 0, "Marko Dorn", 1)], registry)
    assert list(merged.rows) == ["Pbig"]
    assert "Psmall" in merged.registry.names and "Psmall" not in merged.registry.of_anchor.values()


def test_in_a_split_the_larger_share_keeps_the_id_and_the_rest_gets_a_new_one():
    registry = person_ids.Registry({"A1|oskar berg": "Pkept", "A2|oskar berg": "Pkept", "A3|olga berg": "Pkept"}, {"Pkept": "Oskar Berg"})
    split = resolve_people([record("A1", 0, "Oskar Berg", 2), record("A2", 0, "Oskar Berg", 2), record("A3", 0, "Olga Berg", 1)], registry)
    assert ids_by_name(split)["Oskar Berg"] == "Pkept"
    assert ids_by_name(split)["Olga Berg"] not in {"Pkept"}


def test_an_id_once_minted_is_never_minted_again_for_someone_else():
    first = resolve_people([record("A1", 0, "Ana Horvat")])
    [old_id] = first.rows
    gone = resolve_people([record("A5", 0, "Ivo Lenz")], first.registry)  # her only article was deleted
    assert old_id in gone.registry.names and old_id not in gone.rows
    namesake = resolve_people([record("A7", 0, "Ana Horvat")], gone.registry)  # a new Ana Horvat, in an unrelated article
    assert old_id not in namesake.rows


def test_the_registry_survives_a_round_trip_through_parquet(tmp_path):
    people = resolve_people([record("A1", 0, "Ana Horvat"), record("A2", 0, "Ivo Lenz")])
    path = tmp_path / person_ids.FILE
    person_ids.write(path, people.registry)
    assert person_ids.read(path) == people.registry
    assert person_ids.read(tmp_path / "missing.parquet") == person_ids.Registry()
