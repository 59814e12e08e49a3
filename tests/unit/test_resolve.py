"""People across articles: spelling variants merge, different people with one surname do not."""

from datetime import date

from flows.names import block_key, normalise_name
from flows.tables.resolve import cluster_people


def record(name, key, gender=None, article="A1"):
    return {
        "key": key,
        "name": name,
        "aliases": [],
        "titles": [],
        "disputed_titles": [],
        "gender": gender,
        "article_id": article,
        "published_date": date(2024, 1, 1),
    }


def groups(records):
    return sorted(sorted(r["name"] for r in g) for g in cluster_people(records))


def test_transliteration_and_diacritics_share_a_block():
    assert block_key("Alan Gagloev") == block_key("Alan Gagloyev")
    assert block_key("Zurab Chkheidze") == block_key("Zurab Tchkheidze")
    assert normalise_name("Petrović") == normalise_name("PETROVIC")


def test_spelling_variants_are_one_person():
    found = groups(
        [
            record("Alan Gagloev", "a:0", article="A1"),
            record("Alan Gagloyev", "b:0", article="A2"),
            record("Davit Tchkheidze", "c:0"),
            record("David Chkheidze", "d:0", article="A2"),
            record("Marko Petrović", "e:0"),
            record("Marko Petrovic", "f:0", article="A2"),
        ]
    )
    assert found == [["Alan Gagloev", "Alan Gagloyev"], ["David Chkheidze", "Davit Tchkheidze"], ["Marko Petrovic", "Marko Petrović"]]


def test_same_surname_different_people_stay_apart():
    found = groups([record("Karim Khan", "a:0"), record("Sadiq Khan", "b:0"), record("Imran Khan", "c:0")])
    assert len(found) == 3


def test_gender_conflict_blocks_a_merge():
    assert len(groups([record("A. Rusu", "a:0", gender="male"), record("Ana Rusu", "b:0", gender="female")])) == 2


def test_a_lone_surname_joins_the_one_full_name_with_it():
    found = groups([record("Zurab Chkheidze", "a:0", article="A1"), record("Tchkheidze", "b:0", article="A2"), record("Lungu", "c:0")])
    assert found == [["Lungu"], ["Tchkheidze", "Zurab Chkheidze"]]


def test_a_lone_surname_shared_by_namesakes_stays_apart():
    found = groups([record("Sadiq Khan", "a:0"), record("Imran Khan", "b:0", article="A2"), record("Khan", "c:0", article="A3")])
    assert ["Khan"] in found and len(found) == 3


def test_a_lone_surname_of_the_other_gender_stays_apart():
    found = groups([record("Ana Rusu", "a:0", gender="female"), record("Rusu", "b:0", gender="male", article="A2")])
    assert len(found) == 2


def test_a_surname_with_particles_joins_the_full_name_across_articles():
    found = groups([record("Ursula von der Leyen", "a:0"), record("Von der Leyen", "b:0", article="A2")])
    assert found == [["Ursula von der Leyen", "Von der Leyen"]]
