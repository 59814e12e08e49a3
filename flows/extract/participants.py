"""Who took part in an event, where, and how many people it killed, injured, displaced or arrested.

Actors are who did it (the subject, the agent of a passive, "the army's offensive", "an attack
by rebels"); targets are to whom or what ("shelled the village", "the arrest of the mayor",
"two people were killed"). Both come from names — linked to the local people — and from common
nouns that name groups ("police", "protesters", "the army"), each with its type.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from flows import lexicons
from flows.extract import syntax
from flows.extract.context import ArticleContext
from flows.extract.numbers import parse_count
from flows.extract.people import LocalPerson
from flows.names import fold, without_article
from flows.places.resolver import PLACE_KINDS

NOT_PARTICIPANTS = {"DATE", "TIME", "CARDINAL", "ORDINAL", "PERCENT", "MONEY", "QUANTITY"}
PLACE_PREPOSITIONS = {"in", "at", "near", "outside", "inside", "across", "around", "on", "into", "from", "along"}


@dataclass(frozen=True)
class Participant:
    name: str
    type: str  # person, organization, country or group
    person: LocalPerson | None = None


def _slots(trigger: Token) -> tuple[list[Token], list[Token]]:
    """The words that name the actors and the targets of a trigger, from its dependencies."""
    actors: list[Token] = []
    targets: list[Token] = []
    if trigger.pos_ == "VERB":
        actors += [c for c in trigger.children if c.dep_ == "nsubj"]
        actors += [g for c in trigger.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
        if not actors and not any(c.dep_ == "nsubjpass" for c in trigger.children) and (subj := syntax.subject(trigger)) is not None:
            actors.append(subj)
        targets += [c for c in trigger.children if c.dep_ in {"dobj", "nsubjpass"}]
        targets += [
            g for c in trigger.children if c.dep_ == "prep" and c.lower_ in {"against", "on", "at"} for g in c.children if g.dep_ == "pobj"
        ]
    else:
        actors += [c for c in trigger.children if c.dep_ == "poss"]
        for prep in (c for c in trigger.children if c.dep_ == "prep"):
            objects = [g for g in prep.children if g.dep_ == "pobj"]
            if prep.lower_ == "by":
                actors += objects
            elif prep.lower_ in {"of", "against", "on"}:
                targets += objects
        for acl in (c for c in trigger.children if c.dep_ == "acl"):
            actors += [g for a in acl.children if a.dep_ == "agent" for g in a.children if g.dep_ == "pobj"]
        head = syntax.clause_head(trigger)
        if not actors and head.pos_ == "VERB" and trigger.dep_ in {"dobj", "nsubj", "attr"}:
            actors += [c for c in head.children if c.dep_ == "nsubj" and c != trigger]  # "rebels launched an attack"
    return actors, targets


def participant_type(tok: Token, name: str) -> str | None:
    """person, organization, country or group for a word that names a participant; None when it names none."""
    if tok.ent_type_ == "PERSON":
        return "person"
    if tok.ent_type_ == "GPE" or fold(name) in lexicons.countries():
        return "country"
    if tok.ent_type_ in {"ORG", "FAC"}:
        return "organization"
    if tok.ent_type_ == "NORP":
        return "group"
    words = {tok.lemma_.lower(), tok.lower_}
    if words & lexicons.words("cues", "institution_nouns"):
        return "organization"
    if words & lexicons.words("titles", "heads") and tok.tag_ in {"NN", "NNP"}:
        return "person"  # "the mayor", "the village chief": one person named by office
    if words & (lexicons.words("events", "actor_nouns") | lexicons.words("cues", "speaker_nouns")):
        return "group"
    return None


def _participant(slot: Token, ctx: ArticleContext, skip_before: int) -> Participant | None:
    if slot.idx < skip_before or slot.pos_ == "PRON" or slot.ent_type_ in NOT_PARTICIPANTS:
        return None
    if (person := ctx.person_at(slot)) is not None:
        return Participant(person.name, "person", person)
    if slot.ent_type_ or slot.pos_ == "PROPN":
        ent = ctx.entity_at(slot)
        name = without_article(ent.text if ent is not None else slot.text)
        return Participant(name, participant_type(slot, name) or "group")
    if slot.pos_ == "NOUN" and (kind := participant_type(slot, slot.text)):
        return Participant(_phrase_name(syntax.noun_phrase(slot)), kind)
    return None


def _phrase_name(phrase: Span) -> str:
    """A group's noun phrase as a name: "the Russian army's" → "Russian army", "whose government" → "government"."""
    words = [t for t in phrase if t.tag_ not in {"WP$", "WDT", "POS"} and t.dep_ not in {"prep", "case"}]
    while words and (words[-1].is_punct or words[-1].lower_ in {"of", "'s", "’s"}):
        words.pop()
    return without_article(phrase.doc[words[0].i : words[-1].i + 1].text) if words else without_article(phrase.text)


def participants(trigger: Token, ctx: ArticleContext, skip_before: int) -> tuple[list[Participant], list[Participant]]:
    """(actors, targets) of a trigger, each named once, in text order of their slots."""
    actor_slots, target_slots = _slots(trigger)
    found: list[list[Participant]] = []
    for slots in (actor_slots, target_slots):
        named = [p for slot in slots if (p := _participant(slot, ctx, skip_before))]
        found.append(list({p.name: p for p in named}.values()))
    return found[0], found[1]


def place_of(trigger: Token, ctx: ArticleContext, skip_before: int) -> Span | None:
    """The place attached to the trigger ("clashes in Tripoli", "a blast near the port"), else the
    first place of its clause; never one inside a title or an organisation's name, nor a capital
    standing for its government ("Moscow denied …")."""
    scope = syntax.clause_head(trigger)
    ids = {t.i for t in scope.subtree}
    places = [
        e
        for e in ctx.sentence_ents(trigger)
        if e.label_ in PLACE_KINDS and e.root.i in ids and e.start_char >= skip_before and not _inside_name(e) and not _metonym(e, ctx)
    ]
    attached = [
        e for e in places if e.root.head.dep_ == "prep" and e.root.head.lower_ in PLACE_PREPOSITIONS and e.root.head.head == trigger
    ]
    chosen = attached or places
    return chosen[0] if chosen else None


def _metonym(place: Span, ctx: ArticleContext) -> bool:
    match = ctx.place_match(place)
    return match is not None and match.metonym


def _inside_name(place: Span) -> bool:
    """ "the President of the United States", "the Bank of England": the place names an office or a body."""
    head = place.root.head
    return (
        head.dep_ == "prep"
        and head.lower_ == "of"
        and (head.head.ent_type_ in {"ORG", "PERSON"} or head.head.lemma_.lower() in lexicons.words("titles", "heads"))
    )


Count = tuple[str, tuple[int, str], Token]  # column, (number, its words), the number's token


def counts_in(sentence: Span, ctx: ArticleContext) -> dict[str, tuple[int, str]]:
    """Numbers of people killed, injured, displaced or arrested stated in the sentence."""
    return {column: parsed for column, parsed, _ in count_mentions(sentence, ctx)}


def count_mentions(sentence: Span, ctx: ArticleContext) -> list[Count]:
    """Each number of people killed, injured, displaced or arrested the sentence states, with its
    token (the first number per column)."""
    lexicon = lexicons.load("events")["counts"]
    found: dict[str, tuple[tuple[int, str], Token]] = {}
    for ent in ctx.sentence_ents(sentence):
        if ent.label_ != "CARDINAL":
            continue
        near = [ent.root.head, ent.root.head.head, *ent.root.ancestors][:3]
        words = [
            *near,
            *(c for w in near if w.pos_ == "VERB" for c in w.children if c.dep_ in {"acomp", "oprd"}),  # "shot dead"
            *(g for w in near for c in w.children if c.lower_ == "from" for g in c.children if g.dep_ == "pobj"),  # "from their homes"
        ]
        for column, lemmas in lexicon.items():
            if column not in found and any(w.lemma_.lower() in lemmas or w.lower_ in lemmas for w in words):
                if (parsed := parse_count(ent.text)) is not None:
                    found[column] = (parsed, ent.root)
                break
    # "four killed and seven wounded": a number whose verb is coordinated with the count verb
    for tok in sentence:
        if tok.like_num and tok.dep_ in {"nsubj", "nsubjpass", "dobj", "npadvmod"}:
            for column, lemmas in lexicon.items():
                if column not in found and (tok.head.lemma_ in lemmas or tok.head.lower_ in lemmas):
                    number = ctx.entity_at(tok)
                    if (parsed := parse_count(number.text if number is not None else tok.text)) is not None:
                        found[column] = (parsed, tok)
    return [(column, parsed, tok) for column, (parsed, tok) in found.items()]
