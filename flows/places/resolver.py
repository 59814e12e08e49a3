"""Which place each place mention of an article means: an ordered list of rules over the
article's place mentions (`mentions.place_rule` says which rule decided).

Disambiguation reads the article, not the first match: a state or country named beside the
name ("Paris, Texas"), the countries the article's unambiguous places and demonyms lie in, and
population as a prior. A seat of government or a capital acting ("the Kremlin said", "Moscow
denied") is its country, flagged as a metonym.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from spacy.tokens import Span

from flows import rules
from flows.article import content_id
from flows.names import fold, without_article
from flows.places.gazetteer import Gazetteer, Place, demonyms, gazetteer, seats_of_government
from flows.rules import rule

PLACE_KINDS = {"GPE", "LOC", "FAC"}
FAMOUS = 10  # a city this many times larger than any namesake is the one meant, whatever the article's country
BIG_CITY = 1_000_000  # "New York" is the city, not the state, from this size (and any national capital)
STATIC_VERBS = {"be", "have", "lie", "sit", "remain", "become", "look", "seem", "feel", "get"}  # "Moscow is cold": the city


@dataclass(frozen=True)
class PlaceMatch:
    place: Place
    rule: str
    metonym: bool = False


@dataclass
class PlaceContext:
    """The article's evidence for choosing between namesakes."""

    gaz: Gazetteer
    countries: Counter[str] = field(default_factory=Counter)  # alpha-2 of every unambiguous place or demonym
    subdivisions: Counter[str] = field(default_factory=Counter)  # ISO 3166-2 of the unambiguous subdivisions and their towns
    by_sentence: dict[int, Counter[str]] = field(default_factory=dict)
    ents_at: dict[int, Span] = field(default_factory=dict)  # the article's entities by the token they start at
    sentence_starts: list[int] = field(default_factory=list)

    def sentence(self, ent: Span) -> int:
        return bisect_right(self.sentence_starts, ent.start) - 1

    def named_near(self, sentence: int, code2: str | None) -> bool:
        return code2 is not None and self.by_sentence.get(sentence, Counter())[code2] > 0


def _key(ent: Span) -> str:
    return fold(without_article(ent.text.strip()))


@rule("place:seat-of-government", "mentions.place_rule")
def seat_of_government(ent: Span, pc: PlaceContext) -> PlaceMatch | None:
    """ "the Kremlin said", "the White House announced": the country whose government sits there (a metonym)."""
    code = seats_of_government().get(_key(ent))
    country = pc.gaz.countries.get(code or "")
    return PlaceMatch(country, "place:seat-of-government", True) if country else None


@rule("place:capital-as-government", "mentions.place_rule")
def capital_as_government(ent: Span, pc: PlaceContext) -> PlaceMatch | None:
    """ "Moscow denied the report", "Beijing's response": a national capital acting is its country's government (a metonym)."""
    code = pc.gaz.capitals.get(_key(ent))
    root = ent.root
    acting = root.dep_ == "nsubj" and root.head.pos_ == "VERB" and root.head.lemma_ not in STATIC_VERBS or root.dep_ == "poss"
    if ent.label_ != "GPE" or code is None or not acting or is_dateline(ent):
        return None
    return PlaceMatch(pc.gaz.countries[code], "place:capital-as-government", True)


def is_dateline(ent: Span) -> bool:
    """ "WASHINGTON (AP) —", "KYIV —": a place opening a paragraph in capitals, where the story was filed."""
    after = ent.doc[ent.end] if ent.end < len(ent.doc) else None
    at_start = ent.start == 0 or "\n" in ent.doc[ent.start - 1].text or ent.doc[ent.start - 1].is_space
    return at_start and (ent.text.isupper() or after is not None and after.text in {"(", "—", "–", "-", "--"})


@rule("place:demonym", "mentions.place_rule")
def demonym(ent: Span, pc: PlaceContext) -> PlaceMatch | None:
    """ "Georgian villages", "Russian troops", "two Ukrainians": the country a nationality adjective names."""
    if ent.label_ != "NORP":
        return None
    key = _key(ent)
    code = demonyms().get(key) or (demonyms().get(key[:-1]) if key.endswith("s") else None)
    country = pc.gaz.countries.get(code or "")
    return PlaceMatch(country, "place:demonym") if country else None


def _qualifier(ent: Span, ents_at: dict[int, Span]) -> Span | None:
    """The state or country written after a town and a comma ("Paris, Texas", "Gori, Georgia")."""
    doc = ent.doc
    if ent.end + 1 >= len(doc) or doc[ent.end].text != ",":
        return None
    after = ents_at.get(ent.end + 1)
    if after is not None and after.label_ in PLACE_KINDS:
        return after
    return doc[ent.end + 1 : ent.end + 2] if doc[ent.end + 1].text.endswith(".") or doc[ent.end + 1].is_upper else None


@rule("place:qualified", "mentions.place_rule")
def qualified(ent: Span, pc: PlaceContext) -> PlaceMatch | None:
    """ "Paris, Texas", "Ames, Iowa", "Gori, Georgia": the town of that name in the state or country named after it
    (a town too small for GeoNames' list gets a row of its own in that state or country)."""
    if ent.label_ not in PLACE_KINDS:
        return None
    town, _, written_after = ent.text.partition(", ")  # "Ames, Iowa" tagged as one place
    after = written_after or (q.text if (q := _qualifier(ent, pc.ents_at)) is not None else "")
    area = next((p for p in pc.gaz.lookup(after) if p.kind in {"admin1", "country"}), None) if after else None
    if area is None:
        return None
    inside = [
        p
        for p in pc.gaz.lookup(town)
        if p.kind == "city" and (p.admin1_code == area.admin1_code if area.kind == "admin1" else p.country_code == area.country_code)
    ]
    if inside:
        return PlaceMatch(max(inside, key=lambda p: p.population or 0), "place:qualified")
    if pc.gaz.lookup(town):
        return None  # a known place of another kind ("Washington, D.C."): the gazetteer decides
    unlisted = Place(
        content_id("L", "unlisted", fold(without_article(town.strip())), area.admin1_code or area.country_code),
        without_article(town.strip()),
        "other",
        area.country_code,
        area.country_code2,
        area.admin1_code,
        area.admin1_name,
        disputed=area.disputed,
        claimants=area.claimants,
        source="named with its state or country in the text; not among GeoNames' cities of 15,000 people or more",
    )
    return PlaceMatch(unlisted, "place:qualified")


def _prefer_kind(found: list[Place], pc: PlaceContext) -> list[Place]:
    """A country over a city of its name (Mexico, Singapore); a subdivision over a country of its name only
    when the article is about the subdivision's country (Georgia in American news). Between a subdivision and
    cities: a big city or a capital (New York, Washington); a subdivision of a country the article names; a US
    state (Florida, not the Uruguayan department); the city a subdivision is named after (Constanta, Kharkiv);
    else the cities, for population and context to decide (Manchester)."""
    kinds = {p.kind for p in found}
    if "region" in kinds or "water" in kinds:
        return [p for p in found if p.kind in {"region", "water"}]  # a lexicon entry (or a disputed territory) was meant
    if "country" in kinds:
        countries = [p for p in found if p.kind == "country"]
        subdivisions = [p for p in found if p.kind == "admin1"]
        at_home = [s for s in subdivisions if pc.countries[s.country_code2 or ""] > max(1, pc.countries[countries[0].country_code2 or ""])]
        return at_home or countries
    if "admin1" in kinds and "city" in kinds:
        subdivisions = [p for p in found if p.kind == "admin1"]
        cities = [p for p in found if p.kind == "city"]
        big = [c for c in cities if (c.population or 0) >= BIG_CITY or pc.gaz.capitals.get(fold(c.name)) == c.country_code2]
        in_article = [s for s in subdivisions if pc.countries[s.country_code2 or ""]]
        states = [s for s in subdivisions if s.country_code2 == "US"]  # the subdivisions English-language news names most
        named_after = [c for c in cities if c.country_code2 in {s.country_code2 for s in subdivisions}]  # "Constanta", "Kharkiv"
        return big or in_article or states or named_after or cities
    return found


@rule("place:only", "mentions.place_rule")
def only_candidate(ent: Span, pc: PlaceContext) -> PlaceMatch | None:
    """ "in Kyiv", "across Iowa", "the Netherlands": a name only one place of the gazetteer bears."""
    found = pc.gaz.lookup(ent.text) if ent.label_ in PLACE_KINDS else []
    chosen = _prefer_kind(found, pc) if len(found) > 1 else found
    return PlaceMatch(chosen[0], "place:only") if len(chosen) == 1 else None


@rule("place:context", "mentions.place_rule")
def by_context(ent: Span, pc: PlaceContext) -> PlaceMatch | None:
    """ "Springfield" in an article about Illinois: of namesakes of like size, the one in the country named in
    the same sentence, else in the state the article's other places lie in most, else in their country."""
    found = _prefer_kind(pc.gaz.lookup(ent.text), pc) if ent.label_ in PLACE_KINDS else []
    if len(found) < 2 or _famous(found) is not None:
        return None
    sentence = pc.sentence(ent)
    near = [p for p in found if pc.named_near(sentence, p.country_code2)]
    ranked = sorted(
        near or found,
        key=lambda p: (pc.subdivisions[p.admin1_code or "-"], pc.countries[p.country_code2 or ""], p.population or 0),
        reverse=True,
    )
    return PlaceMatch(ranked[0], "place:context") if pc.countries[ranked[0].country_code2 or ""] or near else None


def _famous(found: list[Place]) -> Place | None:
    ranked = sorted(found, key=lambda p: p.population or 0, reverse=True)
    return ranked[0] if (ranked[0].population or 0) >= FAMOUS * max(1, ranked[1].population or 0) else None


@rule("place:population", "mentions.place_rule")
def by_population(ent: Span, pc: PlaceContext) -> PlaceMatch | None:
    """ "Paris" in an article that names no other French or Texan place: the most populous namesake."""
    found = _prefer_kind(pc.gaz.lookup(ent.text), pc) if ent.label_ in PLACE_KINDS else []
    if len(found) < 2:
        return None
    return PlaceMatch(_famous(found) or max(found, key=lambda p: p.population or 0), "place:population")


PLACE_RULES: tuple[Callable[[Span, PlaceContext], PlaceMatch | None], ...] = (
    seat_of_government,
    capital_as_government,
    demonym,
    qualified,
    only_candidate,
    by_context,
    by_population,
)


def is_place_mention(ent: Span) -> bool:
    """Entities the resolver looks at: places, nationalities, and seats of government named as organisations."""
    if ent.text.islower():
        return False  # "us", "the state": a pronoun or a common noun the tagger took for a place
    return ent.label_ in PLACE_KINDS or ent.label_ == "NORP" or ent.label_ in {"ORG", "FAC"} and _key(ent) in seats_of_government()


def _a_name(ent: Span, names: set[str], pc: PlaceContext) -> bool:
    """ "Preston" tagged a place in an article that names Ivo Preston: a person's name, not the town of Preston."""
    qualified = ", " in ent.text or _qualifier(ent, pc.ents_at) is not None  # "Preston, Lancashire" is the town whoever else is called so
    return not qualified and _key(ent) in names and all(p.kind == "city" for p in pc.gaz.lookup(ent.text))


def resolve_places(ents: list[Span]) -> dict[int, PlaceMatch]:
    """The place each place mention means, by the token index it starts at. Two passes: what is certain
    (one candidate, a qualifier, a demonym) gives the article's countries; then every mention is decided."""
    starts = [s.start for s in ents[0].doc.sents] if ents else []
    pc = PlaceContext(gazetteer(), ents_at={e.start: e for e in ents}, sentence_starts=starts)
    active = rules.active(PLACE_RULES)
    surnames = {fold(e[-1].text) for e in ents if e.label_ == "PERSON" and len(e) > 1}
    mentions = [e for e in ents if is_place_mention(e) and not _a_name(e, surnames, pc)]
    for ent in mentions:
        for certain in (seat_of_government, demonym, qualified, only_candidate):
            if certain in active and (match := certain(ent, pc)) and match.place.country_code2:
                pc.countries[match.place.country_code2] += 1
                pc.subdivisions[match.place.admin1_code or ""] += 1
                pc.by_sentence.setdefault(pc.sentence(ent), Counter())[match.place.country_code2] += 1
                break
    found: dict[int, PlaceMatch] = {}
    for ent in mentions:
        match = next((m for place_rule in active if (m := place_rule(ent, pc))), None)
        if match is not None:
            found[ent.start] = match
    return found
