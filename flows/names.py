"""Names: their parts, the form they are compared in, and the two "same person?" policies.

Names are parsed into given, middle, surname, suffix and nickname (`nameparser`). Two given names
are one person's when they are equal, an initial of each other, a nickname pair of the maintained
`nicknames` list ("Bill" / "William") or a spelling variant of the same length ("Mikheil" /
"Mikhail"); a letter added makes another name ("Mila" / "Milka"). Gender evidence from a given
name comes from US Census first-name frequencies (the `names` package's data).

Within one article (`same_person_in_article`) a shorter mention joins a longer name when the
surnames are spelling variants and the given names are compatible: "Ms. Horvat", "A. Horvat"
and "Ana Horvat" are one person. Across articles (`same_person_across_articles`) a surname alone
matches only a surname alone (resolve.py joins it to a full name) and genders must not differ.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from nameparser import HumanName
from nicknames import NickNamer
from rapidfuzz import fuzz

# rapidfuzz ratios (0–100). Within an article: above this, two surnames (or a surname and a given
# name) are spelling variants ("Saakashvili" / "Saakaschwili").
SURNAME_SIMILARITY = 85
# Across articles: above this, two normalised surnames are one surname …
NAME_SIMILARITY = 85
# … and above this, two given names of the same length are variants of one name ("Mikheil" / "Mikhail").
GIVEN_SIMILARITY = 80
# Suffixes that name a younger namesake (normalised: "Jr." → "jr", "III" → "ii" after doubled letters fold).
JUNIOR_SUFFIXES = {"jr", "ii", "i", "iv"}
# Transliteration variants unified before names are compared across articles.
TRANSLITERATIONS = [("tch", "ch"), ("dzh", "j"), ("dj", "j"), ("kh", "h"), ("ph", "f"), ("w", "v"), ("y", "i"), ("ck", "k"), ("q", "k")]


def fold(text: str) -> str:
    """Lower-case, strip diacritics and unify apostrophes: the form names are compared in."""
    if text.isascii():  # nothing to strip: the gazetteer folds 145k names per process, most of them plain
        return text.lower().strip()
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


@dataclass(frozen=True)
class NameParts:
    """A name's parts in the form they are compared in (normalised, see `normalise_name`)."""

    surname: str  # the last word of the surname, without particles or suffix ("von der Leyen" → "leien")
    given: str | None  # None for a surname alone
    middles: tuple[str, ...] = ()
    nickname: str | None = None  # written in quotes: Ana "Nana" Horvat
    suffix: str | None = None  # "jr", "iii": a son named after his father

    def generation_differs(self, other: NameParts) -> bool:
        """ "Ivo Lenz Jr." is not Ivo Lenz (his father); "Ivo Lenz Sr." may be written "Ivo Lenz"."""
        junior = {self.suffix, other.suffix} & JUNIOR_SUFFIXES
        return bool(junior) and self.suffix != other.suffix

    @property
    def called(self) -> set[str]:
        """The given names the person may go by: "W. Ivo Lenz" goes by Ivo, and "Ana Maria Horvat" may go by Maria."""
        names = {n for n in (self.given, self.nickname) if n}
        if self.given and self.middles and len(self.middles[0]) > 1:
            names.add(self.middles[0])
        return names


@cache
def name_parts(name: str) -> NameParts:
    """Parts of a bare name (no honorific), by `nameparser`: given, middle, surname, suffix, nickname."""
    words = without_leading_particles(name.split())
    if len(words) == 1:  # "Horvat", "Von der Leyen": a surname alone
        return NameParts(surname=normalise_name(words[0]), given=None)
    parsed = HumanName(name)
    surname_words = without_leading_particles(normalise_name(parsed.last).split())
    given = normalise_name(parsed.first) or None
    if not surname_words:  # one word: a surname alone ("Horvat said")
        return NameParts(surname=given or normalise_name(name), given=None)
    middles = tuple(normalise_name(m) for m in parsed.middle.split() if normalise_name(m))
    suffix = normalise_name(parsed.suffix.split(",")[0]) or None
    return NameParts(surname_words[-1], given, middles, normalise_name(parsed.nickname) or None, suffix)


# A given name is one gender's when the 1990 US Census counts it this many times more often for it.
GIVEN_NAME_GENDER_RATIO = 10


@cache
def _census_given_names() -> dict[str, str]:
    """Normalised given name → "male"/"female", from the US Census 1990 first-name frequencies the `names`
    package ships (dist.male.first, dist.female.first); names common for both genders are left out."""
    share: dict[str, dict[str, float]] = {}
    for gender in ("male", "female"):
        for line in resources.files("names").joinpath(f"dist.{gender}.first").read_text().splitlines():
            name, frequency, *_ = line.split()
            counts = share.setdefault(normalise_name(name), {})
            counts[gender] = counts.get(gender, 0.0) + float(frequency)  # "Kym" and "Kim" fold into one
    found = {}
    for name, by_gender in share.items():
        male, female = by_gender.get("male", 0.0), by_gender.get("female", 0.0)
        if male >= GIVEN_NAME_GENDER_RATIO * female:
            found[name] = "male"
        elif female >= GIVEN_NAME_GENDER_RATIO * male:
            found[name] = "female"
    return found


def is_census_given_name(word: str) -> bool:
    """ "Ana", "Bill": a given name the census list counts clearly for one gender (not "Jordan", not "Page")."""
    return len(word) > 1 and normalise_name(word) in _census_given_names()


def given_name_gender(parts: NameParts) -> str | None:
    """ "Ana Horvat" → female, "Ivo Lenz" → None (a name the census list lacks): evidence, weaker than an honorific."""
    return _census_given_names().get(parts.given or "") if parts.given and len(parts.given) > 1 else None


@cache
def _nicknames() -> dict[str, frozenset[str]]:
    """Normalised given name → its nicknames and the names it is a nickname of (the `nicknames` list)."""
    table: dict[str, set[str]] = {}
    for name, nicks in NickNamer().nickname_lookup.items():
        for nick in nicks:
            a, b = normalise_name(name), normalise_name(nick)
            table.setdefault(a, set()).add(b)
            table.setdefault(b, set()).add(a)
    return {name: frozenset(others) for name, others in table.items()}


def given_names_match(a: str, b: str) -> bool:
    """One given name: the same, an initial of it, a nickname of it (the `nicknames` list: Bill and William,
    Fred and Frederick) or a spelling variant of the same length ("Mikheil" / "Mikhail"). Not "Eric" and
    "Erica", nor "Mila" and "Milka": a letter added makes another name."""
    if a == b or (len(a) == 1 or len(b) == 1) and a[0] == b[0]:
        return True
    if len(a) == len(b) and fuzz.ratio(a, b) >= GIVEN_SIMILARITY:
        return True
    return b in _nicknames().get(a, ())


def given_compatible(a: NameParts, b: NameParts) -> bool:
    """Do the given and middle names of two names allow one person? (A surname alone allows anyone.)"""
    if a.generation_differs(b):
        return False
    if a.given is None or b.given is None:
        return True
    if not any(given_names_match(x, y) for x in a.called for y in b.called):
        return False
    # "Ivo H. Lenz" and "Ivo W. Lenz": two middle names that differ are two people
    return not (a.middles and b.middles and a.middles[0][0] != b.middles[0][0])


def same_person_in_article(person: NameParts, name: str) -> bool:
    """Does `name` (a mention) name the article's person with these name parts?"""
    mention = name_parts(name)
    surname_close = fuzz.ratio(mention.surname, person.surname) >= SURNAME_SIMILARITY
    if mention.given is None:
        return surname_close or mention.surname == person.given
    return surname_close and given_compatible(person, mention)


@cache
def normalise_name(name: str) -> str:
    """Folded name with common transliteration variants unified ("Tchkheidze" ≈ "Chkheidze").
    Cached: an archive names its people over and over (anchors, blocks)."""
    text = re.sub(r"[^a-z ]", "", fold(name).replace("-", " "))
    for a, b in TRANSLITERATIONS:
        text = text.replace(a, b)
    return re.sub(r"(.)\1", r"\1", " ".join(text.split()))


@cache
def surname_key(surname: str) -> str:
    """First letter and consonants of the normalised surname: the blocking key across articles."""
    return surname[:1] + re.sub(r"[aeiou]", "", surname[1:])


def genders_differ(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return bool(a.get("gender") and b.get("gender") and a["gender"] != b["gender"])


def same_person_across_articles(a: dict[str, Any], b: dict[str, Any], na: NameParts, nb: NameParts) -> bool:
    """Two people of one block: same person when the surnames agree, the given names are compatible
    (`given_compatible`) and the genders do not differ. A surname alone matches only a surname alone here;
    resolve.py joins it to a dominant full name."""
    if (na.given is None) != (nb.given is None):
        return False
    if fuzz.ratio(na.surname, nb.surname) < NAME_SIMILARITY or genders_differ(a, b):
        return False
    return given_compatible(na, nb)
