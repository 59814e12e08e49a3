"""Places: mentions resolved offline to a country, a GeoNames id and coordinates, on fixtures
written for each case (namesakes, demonyms, metonyms, disputed territories, names of bodies)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from flows.extract.rows import extract_article
from flows.places.gazetteer import alpha3, gazetteer
from flows.places.resolver import resolve_places
from flows.release.release_page import event_points

PUBLISHED = date(2024, 3, 15)


def resolved(annotate_text, text: str) -> tuple[dict[str, dict], list[dict]]:
    """mention text → (mention row merged with its place row); and the event rows."""
    rows = extract_article(annotate_text(text, PUBLISHED))
    places = {p["place_id"]: p for p in rows.places}
    found = {m["text"]: {**m, **places.get(m["place_id"], {})} for m in rows.mentions if m["place_rule"]}
    return found, rows.events


def test_disputed_territories_follow_the_stated_policy():
    gaz = gazetteer()
    for name, country, claimants in [
        ("South Ossetia", "GEO", ("GEO", "RUS")),
        ("Abkhazia", "GEO", ("GEO", "RUS")),
        ("Donetsk oblast", "UKR", ("UKR", "RUS")),
        ("Luhansk region", "UKR", ("UKR", "RUS")),
        ("Crimea", "UKR", ("UKR", "RUS")),
        ("Kosovo", "SRB", ("SRB", "XKX")),
        ("Taiwan", "CHN", ("CHN", "TWN")),
        ("Western Sahara", "ESH", ("MAR", "ESH")),
    ]:
        (place,) = gaz.lookup(name)
        assert (place.disputed, place.country_code, place.claimants) == (True, country, claimants), name
    (kashmir,) = gaz.lookup("Kashmir")
    assert kashmir.disputed and kashmir.country_code is None  # two UN members claim it; the UN assigns neither
    assert not gaz.lookup("France")[0].disputed


def test_a_city_inside_a_disputed_territory_is_disputed_but_its_namesake_elsewhere_is_not():
    donetsk = {p.country_code: p for p in gazetteer().lookup("Donetsk") if p.kind == "city"}
    assert donetsk["UKR"].disputed and donetsk["UKR"].claimants == ("UKR", "RUS")
    assert not donetsk["RUS"].disputed  # the small town of the same name in Rostov oblast
    (by_other_name,) = gazetteer().lookup("Sukhumi")  # GeoNames' other name of Sokhumi: the same disputed row
    assert by_other_name == gazetteer().lookup("Sokhumi")[0] and by_other_name.disputed


def test_country_codes_come_in_both_iso_forms():
    assert alpha3("GE") == "GEO" and alpha3("XK") == "XKX"
    (georgia,) = [p for p in gazetteer().lookup("Georgia") if p.kind == "country"]
    assert (georgia.country_code, georgia.country_code2, georgia.geonames_id) == ("GEO", "GE", georgia.geonames_id)
    assert georgia.latitude is not None  # its capital's coordinates


@pytest.mark.parametrize(
    ("text", "mention", "country", "admin1", "rule"),
    [
        ("Crowds gathered in Paris, Texas, on Monday.", "Paris", "USA", "US-TX", "place:qualified"),
        ("The summit in Paris ended on Monday.", "Paris", "FRA", None, "place:population"),
        ("The governor of Illinois spoke in Springfield on Monday.", "Springfield", "USA", "US-IL", "place:context"),
        ("Ana Horvat met voters in Atlanta and Savannah. Georgia votes in May.", "Georgia", "USA", "US-GA", "place:only"),
        ("Ana Horvat flew to Tbilisi. Georgia has long sought closer ties with the West.", "Georgia", "GEO", None, "place:only"),
    ],
)
def test_namesakes_are_told_apart_by_context(annotate_text, text, mention, country, admin1, rule):
    found, _ = resolved(annotate_text, text)
    assert (found[mention]["country_code"], found[mention]["admin1_code"], found[mention]["place_rule"]) == (country, admin1, rule)


def test_a_nationality_names_its_country(annotate_text):
    found, _ = resolved(annotate_text, "Georgian villages were shelled on Monday.")
    assert (found["Georgian"]["country_code"], found["Georgian"]["place_rule"]) == ("GEO", "place:demonym")


@pytest.mark.parametrize(
    ("text", "mention"),
    [("The Kremlin said on Monday that talks would resume.", "Kremlin"), ("Moscow denied the report on Monday.", "Moscow")],
)
def test_a_seat_of_government_or_an_acting_capital_is_its_country_flagged_as_a_metonym(annotate_text, text, mention):
    found, events = resolved(annotate_text, text)
    assert (found[mention]["kind"], found[mention]["country_code"], found[mention]["metonym"]) == ("country", "RUS", True)
    assert all(e["place"] != mention for e in events)  # the government acting is no event place


def test_a_capital_where_something_happens_is_the_city(annotate_text):
    found, events = resolved(annotate_text, "Protesters marched in Warsaw on Monday.")
    assert (found["Warsaw"]["kind"], found["Warsaw"]["metonym"]) == ("city", False)
    assert [(e["place"], e["country_code"], e["geo_precision"]) for e in events] == [("Warsaw", "POL", "exact")]


def test_an_event_in_a_disputed_territory(annotate_text):
    found, events = resolved(annotate_text, "Troops clashed with militias in South Ossetia on Monday.")
    assert (found["South Ossetia"]["disputed"], found["South Ossetia"]["claimants"]) == (True, ["GEO", "RUS"])
    assert [(e["place"], e["country_code"], e["geo_precision"]) for e in events] == [("South Ossetia", "GEO", "region")]


def test_a_place_in_an_office_or_a_body_is_no_event_place(annotate_text):
    _, events = resolved(annotate_text, "The President of France visited Warsaw on Monday.")
    assert [(e["place"], e["country_code"]) for e in events] == [("Warsaw", "POL")]


def test_a_town_too_small_for_the_gazetteer_keeps_its_state(annotate_text):
    found, events = resolved(annotate_text, "Rebels attacked a convoy near Tinyville, Iowa, on Monday.")
    town = found["Tinyville"]
    assert (town["kind"], town["admin1_code"], town["geonames_id"], town["country_code"]) == ("other", "US-IA", None, "USA")
    assert events[0]["geo_precision"] == "region"


def _doc(words: list[str], starts: list[int], ents: list[tuple[int, int, str]]) -> Doc:
    """A hand-built article (words, sentence starts, entities): the tagger's mistake written out, so the
    test does not depend on the model making it."""
    doc = Doc(Vocab(), words=words, sent_starts=[i in starts for i in range(len(words))])
    doc.ents = [Span(doc, a, b, label) for a, b, label in ents]
    return doc


def test_a_surname_of_the_article_tagged_a_place_is_not_the_town_of_that_name():
    words = ["Ivo", "Preston", "spoke", ".", "Later", ",", "Preston", "agreed", "."]
    with_the_man = _doc(words, [0, 4], [(0, 2, "PERSON"), (6, 7, "GPE")])
    assert 6 not in resolve_places(list(with_the_man.ents))
    without = _doc(words, [0, 4], [(6, 7, "GPE")])  # no one of that name: the town
    assert resolve_places(list(without.ents))[6].place.kind == "city"


def test_a_pronoun_tagged_a_place_is_none():
    words = ["She", "told", "us", "about", "the", "US", "."]
    doc = _doc(words, [0], [(2, 3, "GPE"), (5, 6, "GPE")])
    found = resolve_places(list(doc.ents))
    assert 2 not in found and found[5].place.country_code == "USA"


def test_events_are_counted_at_their_place_else_at_their_country():
    places = pd.DataFrame(
        [
            {"place_id": "L1", "name": "Warsaw", "kind": "city", "latitude": 52.2, "longitude": 21.0},
            {"place_id": "L2", "name": "Zaporizhzhia region", "kind": "region", "latitude": None, "longitude": None},
        ]
    )
    events = pd.DataFrame({"place_id": ["L1", "L1", "L2", None], "country_code": ["POL", "POL", "UKR", None]})
    points = event_points(events, places).set_index("name")
    assert points.loc["Warsaw", "events"] == 2 and points.loc["Warsaw", "level"] == "place"
    assert points.loc["Ukraine", "events"] == 1 and points.loc["Ukraine", "level"] == "country"  # a region without one point
    assert points["events"].sum() == 3  # the unplaced event is not drawn


def test_saint_and_its_abbreviation_are_one_name(annotate_text):
    found, _ = resolved(annotate_text, "Ana Horvat spoke in St. Paul, Minnesota, on Monday.")
    town = found["St. Paul"]
    assert (town["name"], town["kind"], town["admin1_code"]) == ("Saint Paul", "city", "US-MN")  # GeoNames' row, not a new one
