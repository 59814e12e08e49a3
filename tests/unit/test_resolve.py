"""People across articles: spelling variants merge, different people with one surname do not."""

from datetime import date

import pytest

from flows.names import name_parts, normalise_name, surname_key
from flows.tables.resolve import _canonical, _title_rows, cluster_people, resolve_clusters


def record(name, key, gender=None, article="A1", mentions=1):
    return {
        "n_mentions": mentions,
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
    def block_key(name: str) -> str:
        return surname_key(name_parts(name).surname)

    assert block_key("Alan Gagloev") == block_key("Alan Gagloyev")
    assert block_key("Zurab Chkheidze") == block_key("Zurab Tchkheidze")
    assert block_key("Ivo Lenz Sr.") == block_key("Ivo Lenz")
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


def test_a_name_without_middle_initial_does_not_bridge_father_and_son():
    found = groups(
        [
            record("Oskar B. Berg", "a:0", article="A1"),
            record("Oskar B. Berg", "b:0", article="A2"),
            record("Oskar B. Berg", "c:0", article="A3"),
            record("Oskar Berg", "d:0", article="A4"),
            record("Oskar T.B. Berg", "e:0", article="A5"),
        ]
    )
    assert found == [["Oskar B. Berg", "Oskar B. Berg", "Oskar B. Berg", "Oskar Berg"], ["Oskar T.B. Berg"]]


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


def test_a_lone_surname_joins_a_clearly_dominant_full_name_not_a_rare_namesake():
    lone = record("Lenz", "c:0", article="A3")
    found = groups([record("Ivo Lenz", "a:0", mentions=40), record("Ana Lenz", "b:0", article="A2", mentions=3), lone])
    assert ["Ivo Lenz", "Lenz"] in found and ["Ana Lenz"] in found
    balanced = groups([record("Ivo Lenz", "a:0", mentions=4), record("Ana Lenz", "b:0", article="A2", mentions=3), lone])
    assert ["Lenz"] in balanced


def test_an_honorific_surname_joins_the_full_name_of_its_gender_even_when_a_namesake_dominates():
    records = [
        record("Ivo Lenz", "a:0", gender="male", mentions=40),
        record("Ana Lenz", "b:0", gender="female", article="A2", mentions=3),
        record("Lenz", "c:0", gender="female", article="A3"),
    ]
    assert ["Ana Lenz", "Lenz"] in groups(records)


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Bill Marsh", "William Marsh", True),  # a nickname of the maintained list
        ("Fred Dorn", "Frederick C. Dorn", True),
        ("W. Ivo Lenz", "Ivo Lenz", True),  # goes by the middle name
        ("A. Horvat", "Ana Horvat", True),
        ("Eric Dorn", "Erica Dorn", False),  # a letter added is another name
        ("Mila Dorn", "Milka Dorn", False),
        ("George H. Dorn", "George W. Dorn", False),  # two middle names that differ
        ("Ivo Lenz Sr.", "Ivo Lenz", True),  # a suffix is not the surname
    ],
)
def test_given_names_match_by_nickname_initial_and_spelling_not_by_first_letter(a, b, same):
    assert (len(groups([record(a, "a:0"), record(b, "b:0", article="A2")])) == 1) is same


def test_each_person_says_how_its_records_were_joined():
    batch_people = [record("Ivo Lenz", "a:0", mentions=9), record("Ivo Lenz", "b:0", article="A2"), record("Lenz", "c:0", article="A3")]
    ((group, joins),) = [g for g in resolve_clusters(batch_people) if len(g[0]) > 1]
    assert joins["same name"] == 1.0 and joins["surname alone, dominant full name"] == 1.0
    ((alone, nothing),) = resolve_clusters([record("Ana Horvat", "x:0")])
    assert nothing == {}


def test_the_canonical_name_is_the_most_frequent_complete_form():
    records = [
        record("Ivo Lenz", "a:0", mentions=30),
        record("Coach Ivo Lenz", "b:0", article="A2", mentions=2),
        record("Lenz", "c:0", article="A3"),
    ]
    group = max(cluster_people(records), key=len)
    assert len(group) == 3 and _canonical(group) == "Ivo Lenz"


def test_a_lone_surname_joins_the_namesake_named_beside_its_articles_people():
    records = [
        record("Ivo Lenz", "a:0", article="A1", mentions=50),  # the minister, in many articles
        record("Marko Lenz", "b:0", article="A2", mentions=2),  # the footballer
        record("Ana Horvat", "b:1", article="A2"),  # his coach
        record("Ana Horvat", "c:1", article="A3"),
        record("Lenz", "c:0", article="A3"),  # a match report: the coach and a bare "Lenz"
    ]
    found = groups(records)
    assert ["Lenz", "Marko Lenz"] in found and ["Ivo Lenz"] in found


def test_each_title_is_kept_with_its_article_and_date():
    first = record("Ivo Lenz", "a:0", article="A1") | {"titles": ["foreign minister"], "published_date": date(2023, 5, 1)}
    later = record("Ivo Lenz", "b:0", article="A2") | {"titles": ["former foreign minister"], "disputed_titles": ["president"]}
    rows = _title_rows([first, later], {"a:0": "P1", "b:0": "P1"})
    assert {(r["title"], r["article_id"], r["published_date"], r["disputed"]) for r in rows} == {
        ("foreign minister", "A1", date(2023, 5, 1), False),
        ("former foreign minister", "A2", date(2024, 1, 1), False),
        ("president", "A2", date(2024, 1, 1), True),
    }


def test_a_title_also_written_in_scare_quotes_is_one_disputed_row():
    # "the 'mayor' Ivo Lenz ... Lenz, the mayor, said": one title, disputed in this article
    both = record("Ivo Lenz", "a:0") | {"titles": ["mayor", "minister"], "disputed_titles": ["mayor"]}
    rows = _title_rows([both], {"a:0": ("P1", "Ivo Lenz")})
    assert sorted((r["title"], r["disputed"]) for r in rows) == [("mayor", True), ("minister", False)]
    assert len({r["title_id"] for r in rows}) == len(rows)


def test_a_junior_is_not_his_father():
    assert len(groups([record("Ivo Lenz Jr.", "a:0"), record("Ivo Lenz", "b:0", article="A2")])) == 2
    assert len(groups([record("Ivo Lenz Sr.", "a:0"), record("Ivo Lenz", "b:0", article="A2")])) == 1


def test_given_name_gender_comes_from_census_frequencies_and_only_when_clear():
    from flows.names import given_name_gender

    assert given_name_gender(name_parts("Ana Horvat")) == "female"
    assert given_name_gender(name_parts("Mark Lenz")) == "male"
    assert given_name_gender(name_parts("Ivo Lenz")) is None  # not in the list
    assert given_name_gender(name_parts("Kim Park")) is None  # common for both
    assert given_name_gender(name_parts("Horvat")) is None


def test_bare_surnames_joining_different_namesakes_never_merge_the_namesakes():
    records = [
        record("Ana Lenz", "a:0", gender="female", article="A1", mentions=60),
        record("Marko Lenz", "b:0", gender="male", article="A2", mentions=5),
        record("Ivo Horvat", "b:1", article="A2"),
        record("Ivo Horvat", "c:1", article="A3"),
        record("Lenz", "c:0", article="A3"),  # beside Ivo Horvat, as Marko Lenz was: Marko
        record("Lenz", "d:0", article="A4"),  # nothing beside it: the dominant Ana Lenz
    ]
    found = groups(records)
    assert ["Ana Lenz", "Lenz"] in found and ["Lenz", "Marko Lenz"] in found


def test_a_person_s_confidence_is_its_weakest_join_of_each_kind():
    from flows.tables.resolve import Clusters

    for first, second in ((0.8, 0.95), (0.95, 0.8)):
        clusters = Clusters(list(range(4)))
        clusters.join(0, 1, "surname alone, dominant full name", first)
        clusters.join(2, 3, "surname alone, dominant full name", second)
        clusters.join(0, 2, "same name", 1.0)
        assert clusters.joins[clusters.find(3)] == {"surname alone, dominant full name": 0.8, "same name": 1.0}
