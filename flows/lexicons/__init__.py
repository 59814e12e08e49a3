"""Word lists (cue verbs, event triggers, titles, places) kept as data files.

Rules read their vocabulary from here, so a researcher can extend a lexicon
without touching code.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import pycountry
import yaml

from flows.names import fold


@cache
def load(name: str) -> dict[str, Any]:
    """One lexicon file, parsed."""
    text = resources.files(__package__).joinpath(f"{name}.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


@cache
def words(name: str, key: str) -> frozenset[str]:
    """One word list of a lexicon file as a set (cached: rules test membership often)."""
    return frozenset(load(name)[key])


def vocabulary(name: str) -> list[str]:
    """A controlled vocabulary named in a schema (`allowed_from`)."""
    if name == "event_types":
        return sorted(load("events")["types"])
    raise KeyError(f"unknown vocabulary {name!r}")


@cache
def places() -> frozenset[str]:
    """Folded names of countries, their subdivisions and a few extra places."""
    names: set[str] = set(load("places")["extra_places"])
    for sub in pycountry.subdivisions:
        names.update(subdivision_names(sub.name))
    return frozenset(fold(n) for n in names | countries() if len(n) > 2)


def subdivision_names(name: str) -> list[str]:
    """A subdivision's ISO name and its everyday forms: "Kharkivska oblast" → also "Kharkiv" and "Kharkivsk"
    (every suffix of `subdivision_suffixes` that matches adds one)."""
    suffixes = load("places")["subdivision_suffixes"]
    return [name, *(name[: -len(s)].strip() for s in suffixes if name.lower().endswith(s))]


def country_names(country: Any) -> list[str]:
    """The names pycountry gives a country: formal, common and official."""
    return [getattr(country, attr) for attr in ("name", "common_name", "official_name") if hasattr(country, attr)]


@cache
def countries() -> frozenset[str]:
    """Folded country names: formal, common and everyday forms."""
    names = set(load("places")["country_aliases"])  # a mapping: its names
    for country in pycountry.countries:
        names.update(country_names(country))
    return frozenset(fold(n) for n in names)
