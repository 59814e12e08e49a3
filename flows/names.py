"""Names: the form names are compared in, and the two "same person?" policies side by side.

Within one article (`same_person_in_article`) a shorter mention joins a longer name when the
surnames are spelling variants and the given names do not disagree: "Ms. Horvat" and "Ana Horvat"
are one person, and so are "A. Horvat" and "Ana Horvat". The first letter of a given name is
enough there, because one article rarely holds two people with one surname and one initial.

Across articles (`same_person_across_articles`) a mistake merges two people everywhere, so the
policy is stricter: transliteration-normalised names, a surname alone only with a surname alone,
no gender conflict, and given names that are variants ("Mikheil" and "Mikhail"), or an initial
that matches a full given name.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from rapidfuzz import fuzz

# rapidfuzz ratios (0–100). Within an article: above this, two surnames (or a surname and a given
# name) are spelling variants ("Saakashvili" / "Saakaschwili").
SURNAME_SIMILARITY = 85
# Across articles: above this, two normalised surnames are one surname …
NAME_SIMILARITY = 85
# … and above this, two given names are variants of one name ("Mikheil" / "Mikhail"). A known
# weakness: "Ivana" and "Ivanka" score 91 and merge unless their titles give different genders.
GIVEN_SIMILARITY = 80
# Transliteration variants unified before names are compared across articles.
TRANSLITERATIONS = [("tch", "ch"), ("dzh", "j"), ("dj", "j"), ("kh", "h"), ("ph", "f"), ("w", "v"), ("y", "i"), ("ck", "k"), ("q", "k")]


def fold(text: str) -> str:
    """Lower-case, strip diacritics and unify apostrophes: the form names are compared in."""
    text = unicodedata.normalize("NFKD", text.replace("’", "'"))
    return "".join(c for c in text if not unicodedata.combining(c)).lower().strip()


def without_article(text: str) -> str:
    """ "the International Criminal Court" → "International Criminal Court" (either case of "the")."""
    return text.removeprefix("the ").removeprefix("The ")


def without_leading_particles(name_words: list[str]) -> list[str]:
    """ "Von der Leyen" → ["Leyen"]: a name that starts with particles is a surname."""
    from flows import lexicons

    particles = lexicons.words("names", "particles")
    n = 0
    while n < len(name_words) - 1 and name_words[n].lower() in particles:
        n += 1
    return name_words[n:]


def same_person_in_article(surname: str, given: str | None, name: str) -> bool:
    """Does `name` (a mention) name the article's person with this folded surname and given name?"""
    parts = [fold(p) for p in without_leading_particles(name.split())]
    surname_close = fuzz.ratio(parts[-1], surname) >= SURNAME_SIMILARITY
    if len(parts) == 1:
        return surname_close or parts[0] == given
    if not surname_close:
        return False
    return given is None or fuzz.ratio(parts[0], given) >= SURNAME_SIMILARITY or parts[0][0] == given[0]


def normalise_name(name: str) -> str:
    """Folded name with common transliteration variants unified ("Tchkheidze" ≈ "Chkheidze")."""
    text = re.sub(r"[^a-z ]", "", fold(name).replace("-", " "))
    for a, b in TRANSLITERATIONS:
        text = text.replace(a, b)
    return re.sub(r"(.)\1", r"\1", " ".join(text.split()))


def block_key(name: str) -> str:
    """First letter and consonants of the normalised surname: the blocking key across articles."""
    return surname_key(normalise_name(name).split() or [""])


def surname_key(words: list[str]) -> str:
    return words[-1][:1] + re.sub(r"[aeiou]", "", words[-1][1:])


def genders_differ(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return bool(a.get("gender") and b.get("gender") and a["gender"] != b["gender"])


def same_person_across_articles(a: dict[str, Any], b: dict[str, Any], na: list[str], nb: list[str]) -> bool:
    """Two people of one block (na, nb: their normalised name words): same person when the names
    agree and neither has a different given name or gender."""
    if len(na) == 1 or len(nb) == 1:
        return len(na) == len(nb) and fuzz.ratio(na[0], nb[0]) >= NAME_SIMILARITY
    if fuzz.ratio(na[-1], nb[-1]) < NAME_SIMILARITY:
        return False
    if genders_differ(a, b):
        return False
    ga, gb = na[0], nb[0]
    if len(ga) == 1 or len(gb) == 1:
        return ga[0] == gb[0]
    return fuzz.ratio(ga, gb) >= GIVEN_SIMILARITY
