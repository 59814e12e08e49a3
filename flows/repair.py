"""The entity repair: a document-level spaCy component that fixes entity labels and spans the small model
gets wrong, as an ordered list of named rules (`REPAIR_STEPS`), and the second reading of a Title Case
headline (`reparse_headline`). What it learns — per entity span the rule that set it, and the long form of
each acronym — is noted on the Doc (`notes_of`), read through `annotate.AnnotatedArticle`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import spacy
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from flows import lexicons, rules
from flows.article import Article
from flows.extract.frames import cue_verbs
from flows.extract.triggers import trigger_index
from flows.ingest import is_title_case
from flows.names import fold, is_census_given_name, without_article
from flows.places.gazetteer import gazetteer
from flows.rules import rule

ARTICLES = {"the", "a", "an"}  # "the Border Patrol", "the Zenbook": what follows one is no person
# Kinds a name can be mislabelled as ("Pavel Orlov" → WORK_OF_ART): the surname rule may relabel them.
RENAMEABLE = {"ORG", "GPE", "LOC", "NORP", "FAC", "WORK_OF_ART", "PRODUCT", "EVENT", "LAW"}


def span_key(start: int, end: int) -> str:
    """Key of a span in the Doc's notes; a string, as user_data must survive msgpack (n_process > 1)."""
    return f"{start}:{end}"


def notes_of(doc: Doc) -> dict[str, Any]:
    """What newsledger's components note on a Doc (`entity_rules`, `acronyms`): plain data in user_data."""
    notes: dict[str, Any] = doc.user_data.setdefault("newsledger", {})
    return notes


@cache
def _title_words() -> frozenset[str]:
    """Every word of a title head, and the abbreviated titles ("col.")."""
    data = lexicons.load("titles")
    words = {h for head in data["heads"] for h in head.split()}
    plurals = {f"{w}s" for w in words if w.isalpha() and len(w) > 3}  # "Senators Lenz and Horvat"
    return frozenset(words | plurals | set(data["abbreviations"]))


def _trim(span: Span, drop: AbstractSet[str]) -> Span | None:
    """Strip punctuation and title/honorific words from the edges of an entity."""
    start, end = span.start, span.end
    while start < end and (span.doc[start].is_punct or span.doc[start].lower_ in drop or span.doc[start].is_space):
        start += 1
    while end > start and (span.doc[end - 1].is_punct or span.doc[end - 1].is_space or span.doc[end - 1].lower_ in {"'s", "’s"}):
        end -= 1
    return Span(span.doc, start, end, label=span.label_) if end > start else None


@dataclass
class Repair:
    """The entity repair's working state for one Doc: the entities so far and the rule that set each."""

    doc: Doc
    ents: list[Span]
    rules: dict[str, str] = field(default_factory=dict)
    acronyms: dict[str, str] = field(default_factory=dict)
    honorifics: AbstractSet[str] = frozenset()
    titles: AbstractSet[str] = frozenset()
    places: AbstractSet[str] = frozenset()
    surnames: AbstractSet[str] = frozenset()  # of the PERSON names so far, for the surname rules
    lone_names: AbstractSet[str] = frozenset()  # one-word PERSON names of the document ("Berg"), for repair:full-name

    def mark(self, start_char: int, end_char: int, rule_name: str) -> None:
        self.rules[span_key(start_char, end_char)] = rule_name

    def commit(self) -> None:
        """Write the entities back to the Doc (the longer span wins an overlap)."""
        self.doc.ents = spacy.util.filter_spans(self.ents)
        self.ents = list(self.doc.ents)


@rule("repair:edges", "mentions.rule")
def trim_edges(repair: Repair) -> None:
    """ "(ECHR", "Ms. Ana Horvat": punctuation, honorifics and titles are trimmed off names."""
    trimmed = []
    for ent in repair.ents:
        kept = _trim(ent, repair.honorifics | repair.titles if ent.label_ == "PERSON" else set())
        if kept is None:
            continue
        if (kept.start, kept.end) != (ent.start, ent.end):
            repair.mark(kept.start_char, kept.end_char, "repair:edges")
        trimmed.append(kept)
    repair.ents = trimmed


NAME_JOINERS = {"and", "&", "or", "versus", "vs", "vs.", "v.", "v"}  # "Lenz and Horvat": two people
VERB_SUFFIXES = (("s", ""), ("es", ""), ("ies", "y"), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e"))


@cache
def _lexicon_verbs() -> frozenset[str]:
    """Lemmas of the cue and event verbs: a capitalised form of one is no part of a name."""
    return frozenset(cue_verbs()) | frozenset(trigger_index()[0])


def _is_verb_form(tok: Token | str, more_verbs: AbstractSet[str] = frozenset()) -> bool:
    """ "Endorses", "Blasted": an inflected cue or event verb, or of `more_verbs` (a bare "Mark" or "Will" may be a given name)."""
    low, verbs = (tok if isinstance(tok, str) else tok.text).lower(), _lexicon_verbs()
    return any(low.endswith(end) and ((stem := low[: -len(end)] + add) in verbs or stem in more_verbs) for end, add in VERB_SUFFIXES)


def body_verbs(doc: Doc, start_char: int) -> frozenset[str]:
    """Lemmas of the verbs the body (from `start_char`) writes in lower case: "Lenz Returns" in a headline over
    "Lenz returned on Monday" is a verb there, not a name."""
    return frozenset(t.lemma_.lower() for t in doc if t.idx >= start_char and t.pos_ == "VERB" and t.is_lower and len(t.lemma_) > 2)


def _is_name_part(tok: Token, particles: AbstractSet[str]) -> bool:
    """A word that can be part of a name: capitalised and no inflected verb, an initial, a particle, an inner hyphen."""
    if tok.text in {".", "'", "’"} or tok.lower_ in particles:
        return True
    if tok.text == "-":  # "al-Assad", "Jean-Luc": a hyphen inside a word
        return not tok.whitespace_ and tok.i > 0 and not tok.doc[tok.i - 1].whitespace_
    if tok.text.endswith((".", "'s", "’s")) and tok.text[0].isupper():  # "W.", "Jr.", "Lenz's"
        return True
    if _apostrophe_name(tok.text):  # "O'Dorn", "D’Avella"
        return True
    return tok.is_alpha and not tok.is_lower and not _is_verb_form(tok)


def _apostrophe_name(word: str) -> bool:
    """ "O'Dorn", "D’Avella", "N'Golo": a capitalised word with an apostrophe inside it and letters around it."""
    letters = word.replace("'", "").replace("’", "")
    return letters != word and word[0].isupper() and letters.isalpha() and word[-1] not in "'’"


def _name_runs(ent: Span, particles: AbstractSet[str]) -> list[tuple[int, int]]:
    """The runs of name words in a PERSON span, without what follows a colon's left side ("Book: Ana Horvat")."""
    runs, start = [], None
    for tok in ent:
        if _is_name_part(tok, particles):
            start = tok.i if start is None else start
            continue
        if start is not None:
            runs.append((start, tok.i))
        start = None
        if tok.text == ":":
            runs = []
    if start is not None:
        runs.append((start, ent.end))
    return [(a, b) for a, b in runs if any(t.is_alpha and t.lower_ not in particles for t in ent.doc[a:b])]


@rule("repair:fragments", "mentions.rule")
def split_fragments(repair: Repair) -> None:
    """ "Lenz and Horvat", "Ana Horvat 2", "Lenz Endorses Ana Horvat", "Ivo Lenz of Acme": a PERSON span holding
    words that are no part of a name is cut into the names around them; a lone word stays a name only when it is
    a surname of the document or one of names joined by "and"/"versus"; "the Border Patrol" is no person but a body."""
    doc, particles = repair.doc, lexicons.words("names", "particles")
    surnames = {e[-1].text for e in repair.ents if e.label_ == "PERSON" and len(e) > 1 and all(_is_name_part(t, particles) for t in e)}
    out: list[Span] = []
    for ent in repair.ents:
        if ent.label_ == "PERSON" and len(ent) > 1 and ent[0].lower_ in ARTICLES and ent[1].lower_ not in repair.titles:
            out.append(Span(doc, ent.start, ent.end, label="ORG"))  # "the Border Patrol": a body, not a person
            repair.mark(ent.start_char, ent.end_char, "repair:fragments")
            continue
        runs = _name_runs(ent, particles) if ent.label_ == "PERSON" else [(ent.start, ent.end)]
        if runs == [(ent.start, ent.end)]:
            out.append(ent)
            continue
        joined = any(t.lower_ in NAME_JOINERS for t in ent)
        for a, b in runs:
            words = doc[a:b]
            if words[0].lower_ in ARTICLES or b - a == 1 and not joined and words.text not in surnames:
                continue
            out.append(Span(doc, a, b, label="PERSON"))
            repair.mark(words.start_char, words.end_char, "repair:fragments")
    repair.ents = out
    repair.commit()


@rule("repair:name-particle", "mentions.rule")
def extend_over_particles(repair: Repair) -> None:
    """ "Ursula von der" + "Leyen": a PERSON cut after a name particle takes the capitalised words after it."""
    doc, ents = repair.doc, repair.ents
    particles = lexicons.words("names", "particles")
    people = [e for e in ents if e.label_ == "PERSON" and e[-1].lower_ in particles and e[-1].is_lower]
    for person in people:
        end = person.end
        while end < len(doc) and end - person.end < 2 and doc[end].is_title and doc[end].is_alpha:
            end += 1
        if end == person.end:
            continue
        extended = Span(doc, person.start, end, label="PERSON")
        ents = [e for e in ents if e is person or not (e.start < end and e.end > person.end)]
        ents[ents.index(person)] = extended
        repair.mark(extended.start_char, extended.end_char, "repair:name-particle")
    repair.ents = ents


@rule("repair:named-after", "mentions.rule")
def named_after_people(repair: Repair) -> None:
    """ "Nelson Mandela Bay", "Typhoon Haiyan": a place, body or storm named after a person is not one."""
    doc = repair.doc
    kinds = {word: kind for kind, words in lexicons.load("names")["named_after"].items() for word in words}
    storms = lexicons.words("names", "storms")
    starting = {e.start: e for e in repair.ents}
    out = []
    for ent in repair.ents:
        end, label = ent.end, None
        if ent.label_ != "EVENT" and len(ent) > 1 and ent[0].is_title and ent[0].lower_ in storms:
            label = "EVENT"  # "Typhoon Haiyan"
        elif ent.label_ == "PERSON" and doc[end - 1].is_title and doc[end - 1].lower_ in kinds:
            label = kinds[doc[end - 1].lower_]  # a noun of lexicons/names.yaml `named_after` ends it
        elif ent.label_ == "PERSON" and end < len(doc) and doc[end].is_title and doc[end].lower_ in kinds:
            label = kinds[doc[end].lower_]  # or follows it ("Bay city" joins)
            end = starting[end].end if end in starting else end + 1
        if label:
            ent = Span(doc, ent.start, end, label=label)
            repair.mark(ent.start_char, ent.end_char, "repair:named-after")
        out.append(ent)
    repair.ents = spacy.util.filter_spans(out)  # the longer span wins: "Bay city" goes into "Nelson Mandela Bay city"


@rule("repair:lowercase", "mentions.rule", "(the entity is dropped)")
def is_lowercase_name(ent: Span, repair: Repair) -> bool:
    """ "solidarity" tagged ORG: an all-lowercase ORG or PERSON is not a name, and is dropped."""
    return ent.label_ in {"ORG", "PERSON"} and all(t.is_lower for t in ent if t.is_alpha)


@rule("repair:gazetteer", "mentions.rule")
def gazetteer_place(ent: Span, repair: Repair) -> str | None:
    """ "Luhansk" tagged PERSON: a PERSON, ORG or NORP whose text is a known place is a GPE."""
    text = fold(ent.text)
    if ent.label_ in {"PERSON", "ORG", "NORP"} and (text in repair.places or without_article(text) in repair.places):
        return "GPE"
    return None


@rule("repair:honorific", "mentions.rule")
def after_honorific(ent: Span, repair: Repair) -> str | None:
    """ "Mr. Lenz" with "Lenz" tagged ORG: a name after "Mr."/"Ms." is a PERSON."""
    before = repair.doc[ent.start - 1].lower_ if ent.start > 0 else ""
    return "PERSON" if ent.label_ != "PERSON" and before in repair.honorifics else None


@rule("repair:surname", "mentions.rule")
def known_surname(ent: Span, repair: Repair) -> str | None:
    """ "Orlov" tagged WORK_OF_ART after "Pavel Orlov": a name ending in a surname of the document is that person."""
    if ent.label_ in RENAMEABLE and ent[-1].lower_ in repair.surnames and fold(ent.text) not in repair.places:
        return "PERSON"
    return None


@rule("repair:full-name", "mentions.rule")
def full_name(ent: Span, repair: Repair) -> str | None:
    """ "Oskar Berg" tagged ORG, when "Berg" alone is a PERSON of the same article: two or three capitalised
    words that open with a census given name and end in a name the article uses for a person are that person."""
    words = [t for t in ent if not t.is_punct]
    if ent.label_ not in RENAMEABLE or not 2 <= len(words) <= 3 or not all(t.is_alpha and t.is_title for t in words):
        return None
    if not is_census_given_name(words[0].text) or words[0].lower_ in _title_words() or fold(ent.text) in repair.places:
        return None
    return "PERSON" if words[-1].text in repair.lone_names else None


@rule("repair:determiner", "mentions.rule")
def after_determiner(ent: Span, repair: Repair) -> str | None:
    """ "the Zenbook", "a Lumera": a PERSON right after an article is a named thing (a product, a band), not a person —
    unless the article belongs to a noun the name modifies ("the Ivo Lenz campaign", "a Horvat presidency")."""
    before = repair.doc[ent.start - 1].lower_ if ent.start > 0 else ""
    if ent.label_ != "PERSON" or before not in ARTICLES:
        return None
    head = ent.root.head
    modifies = ent.root.dep_ in {"compound", "nmod", "amod"} and head.i >= ent.end and head.pos_ == "NOUN"
    return None if modifies and head.lower_ not in _kind_nouns() else "ORG"


STOCK_WORDS = {"shares", "share", "stock", "stocks", "stake", "shareholders", "investors"}


@rule("repair:company-context", "mentions.rule")
def company_context(ent: Span, repair: Repair) -> str | None:
    """ "shares of Lenz fell", "a stake in Horvat", "Lenz shares rose": a PERSON whose shares are traded is a company."""
    doc = repair.doc
    before = [t.lower_ for t in doc[max(0, ent.start - 2) : ent.start]]
    after = doc[ent.end] if ent.end < len(doc) else None
    stock_after = after is not None and after.lower_ in STOCK_WORDS and after.pos_ == "NOUN"  # not "Lenz shares his view"
    traded = len(before) == 2 and before[0] in STOCK_WORDS and before[1] in {"of", "in"} or stock_after
    return "ORG" if ent.label_ == "PERSON" and traded else None


@rule("repair:product-context", "mentions.rule")
def product_context(ent: Span, repair: Repair) -> str | None:
    """ "Acme launched Zenbook", "users downloaded Lumo": a one-word PERSON that a product verb takes as its object is a product."""
    root = ent.root
    taken = root.dep_ == "dobj" and root.head.lemma_.lower() in lexicons.words("names", "product_verbs")
    return "PRODUCT" if ent.label_ == "PERSON" and len(ent) == 1 and taken and ent[0].lower_ not in repair.surnames else None


@cache
def _kind_nouns() -> dict[str, str]:
    return {word: kind for kind, words in lexicons.load("names")["kind_nouns"].items() for word in words}


@rule("repair:kind-noun", "mentions.rule")
def described_kind(ent: Span, repair: Repair) -> str | None:
    """ "retailer Lumera", "the airline, Skyjet, said", "browser Kestrel": a PERSON that a company or
    product noun right before it names is a company (ORG) or a product."""
    if ent.label_ != "PERSON" or ent.start == 0 or not ent[0].is_alpha:  # not a span glued to a possessive ("'s Lenz")
        return None
    noun = repair.doc[ent.start - 1]
    if noun.text == "," and ent.start > 2:
        noun = repair.doc[ent.start - 2]  # "the airline, Skyjet,", but not "Lumo magazine, Ivo Lenz," (a name's own noun)
        if repair.doc[noun.i - 1].pos_ == "PROPN":
            return None
    kind = _kind_nouns().get(noun.lower_) if noun.is_lower and noun.pos_ in {"NOUN", "PROPN"} else None
    names_it = noun.head in ent or (ent.root.head == noun and ent.root.dep_ in {"appos", "compound"})
    after = repair.doc[ent.end] if ent.end < len(repair.doc) else None
    relative = after is not None and after.tag_ in {"VBD", "VBZ", "VBP"} and after.dep_ in {"acl", "relcl"}  # "the firm Lenz founded"
    return kind if kind and names_it and not relative else None


@rule("repair:city-country", "mentions.rule")
def city_of_country(ent: Span, repair: Repair) -> str | None:
    """ "flew to Tarvik, Norway", "a plant in Tarvik in Norway": a PERSON or ORG that names a city of
    the country (or US state) written right after it is that city."""
    doc = repair.doc
    if ent.label_ not in {"PERSON", "ORG"} or ent.end + 1 >= len(doc) or doc[ent.end].lower_ not in {",", "in"}:
        return None
    after = next((e for e in repair.ents if e.start == ent.end + 1 and e.label_ == "GPE"), None)
    if after is None:
        return None
    places = gazetteer().lookup(after.text)
    countries = {p.country_code2 for p in places if p.kind == "country"}
    states = {p.admin1_code for p in places if p.kind == "admin1"}
    cities = [p for p in gazetteer().lookup(ent.text) if p.kind == "city"]
    return "GPE" if any(c.country_code2 in countries or (c.admin1_code and c.admin1_code in states) for c in cities) else None


@rule("repair:org-first-word", "mentions.rule")
def first_word_of_org(ent: Span, repair: Repair) -> str | None:
    """ "Lumera Capital Partners bought it … Lumera said": a one-word PERSON that opens a company name
    of the article (one ending in a company word: not "the Lenz Foundation"), and is no person's
    surname there, is that company."""
    if ent.label_ != "PERSON" or len(ent) != 1 or ent[0].lower_ in repair.surnames:
        return None
    suffixes = lexicons.words("names", "company_suffixes")
    companies = (e for e in repair.ents if e.label_ == "ORG" and len(e) > 1 and e[-1].lower_.rstrip(".") in suffixes)
    return "ORG" if any(e[0].text == ent[0].text for e in companies) else None


RELABELS = (
    gazetteer_place,
    city_of_country,
    after_honorific,
    after_determiner,
    described_kind,
    company_context,
    product_context,
    first_word_of_org,
    known_surname,
    full_name,
)  # the first that applies


def relabel(repair: Repair) -> None:
    """Drop lowercase names, then give each entity the label of the first relabel rule that applies."""
    doc, honorifics = repair.doc, repair.honorifics
    honorific_starts = {e.start for e in repair.ents if e.start > 0 and doc[e.start - 1].lower_ in honorifics}
    repair.surnames = {e[-1].lower_ for e in repair.ents if e.label_ == "PERSON" and (len(e) > 1 or e.start in honorific_starts)}
    repair.lone_names = {e.text for e in repair.ents if e.label_ == "PERSON" and len(e) == 1}
    drop_lowercase = rules.is_on("repair:lowercase")
    relabels = rules.active(RELABELS)
    kept: list[Span] = []
    for ent in repair.ents:
        if drop_lowercase and is_lowercase_name(ent, repair):
            continue
        label = ent.label_
        for relabel_rule in relabels:
            if new_label := relabel_rule(ent, repair):
                label = new_label
                repair.mark(ent.start_char, ent.end_char, rules.name_of(relabel_rule))
                break
        kept.append(Span(doc, ent.start, ent.end, label=label))
    repair.ents = kept
    repair.commit()


def _surnames(ents: list[Span]) -> set[str]:
    """Last words of the multi-word PERSON names: the document's surnames."""
    return {e[-1].text for e in ents if e.label_ == "PERSON" and len(e) > 1}


def _is_name_word(tok: Token, stop: AbstractSet[str]) -> bool:
    return tok.pos_ == "PROPN" and tok.is_title and tok.lower_ not in stop and not tok.ent_type_ and not _is_verb_form(tok)


@rule("repair:given-name", "mentions.rule")
def given_names(repair: Repair) -> None:
    """ "Mayor Sadiq" + "Khan": capitalised compound words right before a PERSON belong to it."""
    doc, stop = repair.doc, repair.honorifics | repair.titles
    changed = False
    for n, ent in enumerate(repair.ents):
        start = ent.start
        while ent.label_ == "PERSON" and start > 0 and _is_name_word(doc[start - 1], stop) and doc[start - 1].dep_ == "compound":
            start -= 1
        if start != ent.start:
            repair.ents[n] = Span(doc, start, ent.end, label="PERSON")
            repair.mark(repair.ents[n].start_char, repair.ents[n].end_char, "repair:given-name")
            changed = True
    if changed:
        repair.commit()


@rule("repair:bare-surname", "mentions.rule")
def bare_surname(start: int, end: int, repair: Repair) -> bool:
    """ "Petrović said" after "Ana Petrović": an untagged word equal to a surname of the document is that person."""
    return end - start == 1 and repair.doc[start].text in repair.surnames


@rule("repair:evidence", "mentions.rule")
def titled_name(start: int, end: int, repair: Repair) -> bool:
    """ "Gen. Ivo Marek", "Ivo Marek, the spokesman": untagged capitalised words a title or honorific vouches for."""
    doc = repair.doc
    before = doc[start - 1].lower_ if start > 0 else ""
    after = [t.lower_ for t in doc[end : end + 5]]
    titled = before in repair.honorifics | repair.titles or (after[:1] == [","] and any(a in repair.titles for a in after[1:]))
    return end - start >= 2 and titled


MISSED_NAMES = (bare_surname, titled_name)


def missed_names(repair: Repair) -> None:
    """Runs of up to three untagged capitalised proper nouns become a PERSON when a rule vouches for them."""
    doc, stop = repair.doc, repair.honorifics | repair.titles
    repair.surnames = _surnames(repair.ents)
    vouchers = rules.active(MISSED_NAMES)
    taken = {t.i for e in repair.ents for t in e}
    added = False
    i = 0
    while i < len(doc):
        if i in taken or not _is_name_word(doc[i], stop):
            i += 1
            continue
        end = i
        while end < len(doc) and end - i < 3 and end not in taken and _is_name_word(doc[end], stop):
            end += 1
        voucher = next((v for v in vouchers if v(i, end, repair)), None)
        if voucher is not None:
            repair.ents.append(Span(doc, i, end, label="PERSON"))
            repair.mark(doc[i].idx, doc[end - 1].idx + len(doc[end - 1]), rules.name_of(voucher))
            taken.update(range(i, end))
            added = True
        i = end
    if added:
        repair.commit()


@rule("repair:acronym", "mentions.rule")
def acronyms(repair: Repair) -> None:
    """ "the International Criminal Court (ICC)": every later "ICC" is a mention of the same kind."""
    doc = repair.doc
    long_forms: dict[str, Span] = {}
    for ent in doc.ents:
        if ent.label_ in {"PERSON", "DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"} or ent.end + 2 >= len(doc):
            continue
        opening, short, closing = doc[ent.end], doc[ent.end + 1], doc[ent.end + 2]
        initials = "".join(t.text[0] for t in ent if (t.is_title or t.is_upper) and not t.is_stop)
        if opening.text == "(" and closing.text == ")" and short.is_upper and 2 <= len(short) <= 8 and short.text[0] == initials[:1]:
            long_forms[short.text] = ent
    if not long_forms:
        return
    taken = {t.i for e in doc.ents for t in e}
    added = []
    for tok in doc:
        if tok.text in long_forms and tok.i not in taken:
            added.append(Span(doc, tok.i, tok.i + 1, label=long_forms[tok.text].label_))
            repair.mark(tok.idx, tok.idx + len(tok), "repair:acronym")
    doc.ents = sorted([*doc.ents, *added], key=lambda e: e.start)
    repair.ents = list(doc.ents)
    repair.acronyms = {short: without_article(ent.text) for short, ent in long_forms.items()}


# The repair, in order: each step reads what the steps before it left.
REPAIR_STEPS: tuple[Callable[[Repair], None], ...] = (
    trim_edges,
    extend_over_particles,
    named_after_people,
    relabel,
    split_fragments,  # after relabel: a book title relabelled PERSON ("Book: Ana Horvat") is cut too
    given_names,
    missed_names,
    acronyms,
)


@Language.component("newsledger_entity_repair")
def repair_entities(doc: Doc) -> Doc:
    """Correct entity labels with document evidence, recording per span the rule that set it
    (the REPAIR_STEPS above, each a named rule but `relabel` and `missed_names`, which run the
    rule lists RELABELS and MISSED_NAMES)."""
    honorifics = lexicons.words("titles", "honorifics")
    repair = Repair(doc, list(doc.ents), honorifics=honorifics, titles=_title_words(), places=lexicons.places())
    for step in rules.active(REPAIR_STEPS):
        step(repair)
    notes_of(doc).update(entity_rules=repair.rules, acronyms=repair.acronyms)
    return doc


def truecase(headline: str, body: str, verbs: AbstractSet[str] = frozenset()) -> str:
    """ "Rebels Seize Town Near Border" → "Rebels seize town near border": a Title Case headline in the case its
    words take in the body (a word the body writes capitalised mid-sentence keeps its capital, one it writes in
    lower case or a function word loses it; a word the body lacks is left as it is). Same length, same offsets."""
    capitalised = set(re.findall(r"(?<=[a-z,;] )([A-Z][\w'’-]*)", body))
    lower = {w for w in re.findall(r"\b[a-z][\w'’-]*", body)}
    out, first = [], True
    for piece in re.split(r"(\W+)", headline):
        word = piece.lower()
        common = word in lower or word in STOP_WORDS or word in _lexicon_verbs() or _is_verb_form(word, verbs)
        if piece[:1].isupper() and not first and piece not in capitalised and common:
            piece = word
        first = first and not piece.strip(" \"'“‘")
        out.append(piece)
    return "".join(out)


@rule("repair:headline-case", "mentions.rule")
def reparse_headline(nlp: Language, doc: Doc, article: Article) -> None:
    """ "Rebels Seize Town": a Title Case headline's names are read from it in the body's case ("Rebels seize town"),
    so capitalised verbs and nouns are not taken for names."""
    end = article.headline_end
    if not end or not is_title_case(doc.text[:end]):
        return
    cased = nlp(truecase(doc.text[:end], doc.text[end:], body_verbs(doc, end)))
    notes = notes_of(doc).setdefault("entity_rules", {})
    kept = [e for e in doc.ents if e.start_char >= end]
    for ent in cased.ents:
        span = doc.char_span(ent.start_char, ent.end_char, label=ent.label_, alignment_mode="expand")
        if span is not None and span.end_char <= end:
            kept.append(span)
            rule_name = notes_of(cased).get("entity_rules", {}).get(span_key(ent.start_char, ent.end_char), "repair:headline-case")
            notes[span_key(span.start_char, span.end_char)] = rule_name
    surnames = _surnames(kept)
    taken = {t.i for e in kept for t in e}
    for tok in doc.char_span(0, end, alignment_mode="expand") or []:
        if tok.text in surnames and tok.i not in taken:  # "Horvat" in the headline, "Ana Horvat" in the body
            kept.append(Span(doc, tok.i, tok.i + 1, label="PERSON"))
            notes[span_key(tok.idx, tok.idx + len(tok))] = "repair:headline-case"
    doc.ents = spacy.util.filter_spans(kept)
