"""Event triggers: which words of a sentence signal an event, and of which type.

A word is a trigger when its lemma is in lexicons/events.yaml (or it is part of a listed phrase:
"car bomb", "blew up", "cease-fire"). A lemma listed under several types, or one whose sense
depends on its words around it ("fire", "strike", "rally", "launch"), is decided by SENSE_RULES
from the parse: the first rule with an opinion decides — a type, or REFUSED (not an event at
all) — and the event's `rule` column names it. Without one, the first type listed wins.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from spacy.matcher import Matcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans
from spacy.vocab import Vocab

from flows import lexicons, rules
from flows.extract import syntax
from flows.rules import rule

REFUSED = ""  # a sense rule's verdict: this word is not an event here
LEXICON_RULE = "trigger:lexicon"


@dataclass(frozen=True)
class Trigger:
    token: Token  # the head word (the root of a phrase)
    type: str
    rule: str  # the sense rule that chose the type, or trigger:lexicon
    phrase: Span | None = None  # the whole trigger when it is several tokens


@cache
def trigger_index() -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """lemma → the types it may signal, in lexicon order, for verbs and for nouns."""
    verbs: dict[str, list[str]] = {}
    nouns: dict[str, list[str]] = {}
    for name, spec in lexicons.load("events")["types"].items():
        for lemma in spec.get("verbs", []):
            verbs.setdefault(lemma, []).append(name)
        for lemma in spec.get("nouns", []):
            nouns.setdefault(lemma, []).append(name)
    return verbs, nouns


_PHRASE_MATCHERS: dict[int, Matcher] = {}


def _phrase_matcher(vocab: Vocab) -> Matcher:
    """Lexicon entries of several tokens ("cease-fire", "car bomb", "blow up", "take over"): the
    tokenizer splits them, so a lemma lookup never sees them; each token matches by its form or
    its lemma ("blew up", "car bombs")."""
    if (matcher := _PHRASE_MATCHERS.get(id(vocab))) is not None:
        return matcher
    matcher = Matcher(vocab)
    for name, spec in lexicons.load("events")["types"].items():
        for entry in spec.get("verbs", []) + spec.get("nouns", []):
            parts = [p for p in re.split(r"(-)|\s+", entry) if p]
            if len(parts) > 1:
                matcher.add(name, [[{"LOWER": p} if p == "-" else {"LEMMA": p} for p in parts], [{"LOWER": p} for p in parts]])
    _PHRASE_MATCHERS[id(vocab)] = matcher
    return matcher


def phrase_triggers(doc: Doc) -> dict[int, tuple[str, Span]]:
    """Root token index → (event type, phrase) for every multi-token trigger in the Doc."""
    matcher = _phrase_matcher(doc.vocab)
    spans = [Span(doc, start, end, label=key) for key, start, end in matcher(doc)]
    return {span.root.i: (span.label_, span) for span in filter_spans(spans)}


def _candidates(tok: Token, in_headline: bool = False) -> list[str]:
    """The types the word's lemma may signal (none when it is not a trigger word). In a Title Case
    headline the tagger often takes verbs for names ("Rebels Seize Town"): a capitalised word
    that is a form of a trigger verb counts as that verb there."""
    verbs, nouns = trigger_index()
    events = lexicons.load("events")
    title_word = in_headline and tok.pos_ in {"PROPN", "NOUN", "ADJ", "VERB"} and tok.is_title and tok.lower_ not in nouns
    if title_word and (lemma := syntax.verb_lemma(tok.text, verbs.keys())) is not None and lemma not in events["particles"]:
        return verbs[lemma]
    if tok.pos_ == "VERB" and tok.lemma_ in verbs:
        needed = events["particles"].get(tok.lemma_)
        if needed and not any(c.dep_ == "prt" and c.lower_ == needed for c in tok.children):
            return []  # "set" without "up", "step" without "down"
        return verbs[tok.lemma_]
    if tok.pos_ in {"NOUN", "PROPN"} and (tok.lower_ in nouns or tok.lemma_ in nouns):
        return nouns.get(tok.lower_) or nouns[tok.lemma_]
    return []


def is_event_word(tok: Token) -> bool:
    """Could this word be a trigger (before its sense is read)? Not inside a name or a date ("March 4")."""
    return tok.ent_type_ in {"", "EVENT"} and bool(_candidates(tok))


@cache
def _senses(name: str) -> frozenset[str]:
    return frozenset(lexicons.load("events")["senses"][name])


def _modifiers(tok: Token) -> set[str]:
    return {c.lower_ for c in tok.children if c.dep_ in {"compound", "amod", "nmod"}}


def _objects(tok: Token) -> list[Token]:
    return [c for c in tok.children if c.dep_ in {"dobj", "obj"}]


def _is_person(tok: Token) -> bool:
    return tok.ent_type_ == "PERSON" or tok.lemma_.lower() in lexicons.words("titles", "heads") or tok.lower_ in {"him", "her", "them"}


# --- sense rules: (trigger word, the types its lemma may signal) → a type, REFUSED or None


@rule("sense:topic", "events.rule", "(the word is not an event)")
def topic_not_event(tok: Token, types: list[str]) -> str | None:
    """ "talks on a ceasefire", "close to a deal": an event noun that is a topic or a prospect, not an event."""
    events = lexicons.load("events")
    if tok.pos_ not in {"NOUN", "PROPN"} or tok.dep_ != "pobj":
        return None
    if tok.head.lower_ in events["topic_prepositions"] and tok.head.head.pos_ in {"NOUN", "PROPN"}:
        return REFUSED
    if tok.head.head.pos_ == "ADJ" and tok.head.head.lemma_.lower() in events["prospect_adjectives"]:
        return REFUSED
    return None


@rule("sense:idiom", "events.rule", "(the word is not an event)")
def idiom(tok: Token, types: list[str]) -> str | None:
    """ "came under fire", "in charge of": an idiom, not an event."""
    before = lexicons.load("events")["senses"]["idioms"].get(tok.lemma_, [])
    return REFUSED if tok.dep_ == "pobj" and tok.head.lower_ in before else None


@rule("sense:light-verb", "events.rule", "(the word is not an event)")
def light_verb(tok: Token, types: list[str]) -> str | None:
    """ "launched an offensive", "the establishment of a ceasefire": the event is the object, the word only carries it."""
    if tok.pos_ == "VERB" and tok.lemma_ in lexicons.words("events", "light_verbs"):
        return REFUSED if any(_candidates(o) for o in _objects(tok)) else None
    if tok.pos_ == "NOUN" and tok.lemma_ in lexicons.words("events", "light_nouns"):
        of = [g for c in tok.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children if g.dep_ == "pobj"]
        return REFUSED if any(_candidates(g) for g in of) else None
    return None


SPEECH_ACTS = {"ACCUSE", "CRITICIZE", "SUPPORT", "REJECT", "THREATEN", "REQUEST"}


@rule("sense:speech-act", "events.rule", "(the verb is a claim, not an event)")
def speech_act_with_clause(tok: Token, types: list[str]) -> str | None:
    """ "threatened to resign", "denounced that the vote was rigged": a speech act with a clause is a claim; with a noun object an event."""
    if tok.pos_ != "VERB" or not SPEECH_ACTS & set(types):
        return None
    return REFUSED if any(c.dep_ in {"ccomp", "xcomp"} for c in tok.children) else None


@rule("sense:after-verb", "events.rule")
def noun_after_verb(tok: Token, types: list[str]) -> str | None:
    """ "opened fire", "exchanged fire" (a shooting); "set fire to", "ceased fire" (not a blaze)."""
    events = lexicons.load("events")
    if tok.pos_ not in {"NOUN", "PROPN"}:
        return None
    for kind, verbs in events["retyped_after"].get(tok.lemma_, {}).items():
        if tok.head.lemma_ in verbs:
            return str(kind)
    return REFUSED if tok.head.lemma_ in events["not_after"].get(tok.lemma_, []) else None


@rule("sense:modifier", "events.rule")
def retyped_by_modifier(tok: Token, types: list[str]) -> str | None:
    """ "artillery fire", "air strike", "general strike", "gas explosion", "campaign rally": the modifier gives the type."""
    if tok.pos_ not in {"NOUN", "PROPN"}:
        return None
    modifiers = _modifiers(tok)
    for kind, words in lexicons.load("events")["retyped_by_modifier"].get(tok.lemma_, {}).items():
        if modifiers & set(words):
            return str(kind)
    if tok.lemma_ == "rally" and any(c.ent_type_ == "PERSON" and c.dep_ in {"compound", "poss"} for c in tok.children):
        return "CAMPAIGN"  # "a Smith rally"
    return None


@rule("sense:weapon-fire", "events.rule")
def fire_sense(tok: Token, types: list[str]) -> str | None:
    """ "troops fired rockets at the town" is a shooting; "the board fired its chairman" a dismissal."""
    if tok.pos_ != "VERB" or tok.lemma_ != "fire":
        return None
    objects = _objects(tok) + [c for c in tok.children if c.dep_ == "nsubjpass"]  # "she was fired", "a gun being fired"
    at = [g for c in tok.children if c.dep_ == "prep" and c.lower_ in {"on", "at", "into"} for g in c.children if g.dep_ == "pobj"]
    aimed = any(g.ent_type_ not in {"DATE", "TIME"} for g in at)  # "fired at the crowd", not "fired on Monday"
    if any(o.lemma_.lower() in _senses("weapons") for o in objects) or aimed:
        return "SHOOTING"
    if any(_is_person(o) or o.pos_ == "PRON" or o.dep_ == "nsubjpass" for o in objects):
        return "RESIGN"  # a person, or whoever "was fired" that is not a weapon
    return "SHOOTING" if not objects else REFUSED


@rule("sense:strike", "events.rule")
def strike_sense(tok: Token, types: list[str]) -> str | None:
    """ "warplanes struck the depot", "a strike on the camp" are air strikes; "dock workers struck" a strike by workers."""
    if tok.lemma_ != "strike":
        return None
    if tok.pos_ != "VERB":
        aimed = [g for c in tok.children if c.dep_ == "prep" and c.lower_ in {"on", "against"} for g in c.children if g.dep_ == "pobj"]
        return "AIRSTRIKE" if any(g.ent_type_ not in {"DATE", "TIME"} for g in aimed) else None  # not "a strike on Thursday"
    subjects = [c for c in tok.children if c.dep_ in {"nsubj", "nsubjpass"}]
    words = {w.lower_ for s in subjects for w in s.subtree}
    if words & _senses("workers"):
        return "PROTEST"
    if words & _senses("aircraft"):
        return "AIRSTRIKE"
    return REFUSED  # "struck a chord", "struck down a law": no event of these types


@rule("sense:market", "events.rule")
def market_sense(tok: Token, types: list[str]) -> str | None:
    """ "shares fell 3 %", "a rise in prices" are market moves; "tensions rose", "the toll rose to 30", "the fall of the city" are not."""
    if "MARKET" not in types:
        return None
    market, not_market = _senses("market_words"), _senses("not_market")
    if tok.pos_ == "VERB":
        subjects = [w for c in tok.children if c.dep_ in {"nsubj", "nsubjpass"} for w in c.subtree]
        if any(w.lemma_.lower() in not_market for w in subjects):
            return REFUSED
        moved = any(w.lower_ in market or w.ent_type_ in {"ORG", "MONEY"} for w in subjects)
        by_figure = any(c.ent_type_ in {"PERCENT", "MONEY", "CARDINAL", "QUANTITY"} or c.like_num for c in tok.subtree if c.i > tok.i)
        if moved or by_figure:
            return "MARKET"
        people = any(w.ent_type_ in {"PERSON", "NORP"} or w.pos_ == "PRON" for w in subjects)
        return REFUSED if people or types == ["MARKET"] and not subjects else ("MARKET" if types == ["MARKET"] else None)
    of = [g for c in tok.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj" and c.lower_ in {"of", "in"}]
    if any(g.ent_type_ in {"GPE", "LOC", "FAC", "PERSON", "ORG"} or g.lemma_.lower() in not_market or is_event_word(g) for g in of):
        return REFUSED  # "the fall of Kabul", "a surge in attacks"
    around = {w.lower_ for w in tok.sent} | {w.lemma_.lower() for w in tok.sent}
    figures = any(c.ent_type_ in {"PERCENT", "MONEY"} for c in tok.sent)
    return "MARKET" if around & market or figures else REFUSED  # not "a surge of solidarity"


@rule("sense:earnings", "events.rule")
def earnings_figure(tok: Token, types: list[str]) -> str | None:
    """ "posted a profit of $3 million", "lost $2 billion": a company's figure reported, not any mention of sales."""
    if types != ["EARNINGS"]:
        return None
    if tok.pos_ == "VERB":
        return "EARNINGS" if any(c.ent_type_ in {"MONEY", "PERCENT"} for c in tok.subtree) else REFUSED  # not "lost the vote"
    reported = tok.head.lemma_ in _senses("earnings_verbs") and tok.dep_ in {"dobj", "obj"}
    figure = any(c.ent_type_ in {"MONEY", "PERCENT"} for c in tok.subtree)
    return "EARNINGS" if reported or figure else REFUSED


@rule("sense:dismiss", "events.rule")
def dismiss_sense(tok: Token, types: list[str]) -> str | None:
    """ "dismissed the minister" is a dismissal; "dismissed the claims" a rejection."""
    if tok.pos_ != "VERB" or tok.lemma_ != "dismiss":
        return None
    return "RESIGN" if any(_is_person(o) for o in _objects(tok)) else "REJECT"


@rule("sense:sink", "events.rule")
def sink_sense(tok: Token, types: list[str]) -> str | None:
    """ "the ferry sank" is a disaster; "shares sank 8 %" a market move."""
    if tok.pos_ != "VERB" or tok.lemma_ != "sink":
        return None
    return "MARKET" if market_sense(tok, ["MARKET"]) == "MARKET" else "DISASTER"


@rule("sense:rally", "events.rule")
def rally_verb(tok: Token, types: list[str]) -> str | None:
    """ "stocks rallied" is a market move; "supporters rallied for the senator" a campaign event; else a protest."""
    if tok.pos_ != "VERB" or tok.lemma_ != "rally":
        return None
    if market_sense(tok, ["MARKET"]) == "MARKET":
        return "MARKET"
    words = {w for c in tok.children for w in c.subtree}
    return "CAMPAIGN" if any(w.ent_type_ == "PERSON" or w.lower_ in {"campaign", "supporters"} for w in words) else "PROTEST"


@rule("sense:launch", "events.rule")
def launch_sense(tok: Token, types: list[str]) -> str | None:
    """ "launched a new phone", "unveiled a tablet" are product launches; "launched a charity" a founding; "released a memo" none."""
    if tok.pos_ != "VERB" or not (tok.lemma_ == "launch" or "PRODUCT" in types):
        return None
    objects = _objects(tok) + [c for c in tok.children if c.dep_ == "nsubjpass"]
    if any(o.ent_type_ in {"PRODUCT", "ORG", "WORK_OF_ART"} or o.pos_ == "PROPN" or o.lemma_ in _senses("products") for o in objects):
        return "PRODUCT"
    return None if tok.lemma_ == "launch" else REFUSED  # "released a statement"


@rule("sense:order", "events.rule")
def order_sense(tok: Token, types: list[str]) -> str | None:
    """ "ordered 40 aircraft" is trade; "an executive order", "ordered an evacuation" decrees; "in order to" nothing."""
    if tok.lemma_ != "order" or "TRADE" not in types:
        return None
    if tok.pos_ != "VERB" and (tok.dep_ == "pobj" and tok.head.lower_ == "in" or "executive" in _modifiers(tok)):
        return "DECREE" if "executive" in _modifiers(tok) else REFUSED
    goods = [w for c in tok.children if c.dep_ in {"dobj", "prep"} for w in c.subtree]
    things = _senses("products") | _senses("aircraft")
    if any(w.like_num or w.ent_type_ in {"MONEY", "PRODUCT", "CARDINAL"} or w.lemma_ in things for w in goods):
        return "TRADE"
    return "DECREE" if tok.pos_ == "VERB" and any(_candidates(o) or _is_person(o) for o in _objects(tok)) else REFUSED


@rule("sense:trade", "events.rule")
def trade_sense(tok: Token, types: list[str]) -> str | None:
    """ "sold 3 million phones", "bought the refinery" are trade; "delivered a speech", "sold the idea" are not."""
    if "TRADE" not in types or tok.lemma_ == "order" or tok.pos_ != "VERB":
        return None
    objects = [c for c in tok.children if c.dep_ in {"dobj", "nsubjpass", "attr"}]
    if any(o.lemma_.lower() in _senses("not_goods") or o.pos_ == "PRON" or o.ent_type_ == "PERSON" for o in objects):
        return REFUSED  # "delivered a speech", "sold him on the plan"
    if any(c.dep_ == "prt" for c in tok.children):
        return REFUSED  # "sold out"
    return "TRADE"


@rule("sense:name", "events.rule")
def name_sense(tok: Token, types: list[str]) -> str | None:
    """ "named her chief of staff", "was named coach" are appointments; "named Britain" is not."""
    if tok.pos_ != "VERB" or tok.lemma_ != "name":
        return None
    people = [c for c in tok.children if c.dep_ in {"dobj", "nsubjpass", "oprd"} and (_is_person(c) or c.pos_ in {"PROPN", "PRON"})]
    office = any(c.dep_ in {"oprd", "xcomp", "attr"} and c not in people or c.dep_ == "prep" and c.lower_ == "as" for c in tok.children)
    return "APPOINT" if people and office else REFUSED


@rule("sense:job-cuts", "events.rule")
def job_cuts(tok: Token, types: list[str]) -> str | None:
    """ "will cut 2,000 jobs", "shed 10 % of its workforce" are layoffs; "cut interest rates" is not."""
    if tok.pos_ != "VERB" or types != ["LAYOFF"] or tok.lemma_ == "lay":
        return None
    cut = {w.lemma_.lower() for c in tok.children if c.dep_ in {"dobj", "nsubjpass", "prep"} for w in c.subtree}
    return "LAYOFF" if cut & _senses("jobs") else REFUSED


@rule("sense:file", "events.rule")
def file_sense(tok: Token, types: list[str]) -> str | None:
    """ "filed for bankruptcy" is a bankruptcy; "filed a lawsuit" legal action; "filed a report" nothing."""
    if tok.pos_ != "VERB" or tok.lemma_ != "file":
        return None
    words = {w.lemma_.lower() for c in tok.children if c.dep_ in {"dobj", "prep"} for w in c.subtree}
    if words & {"bankruptcy", "insolvency", "chapter"}:
        return "BANKRUPTCY"
    return "LEGAL_ACTION" if words & {"lawsuit", "suit", "complaint", "charge", "appeal", "case", "motion", "petition"} else REFUSED


@rule("sense:close", "events.rule")
def close_sense(tok: Token, types: list[str]) -> str | None:
    """ "shares closed at $4.37", "the index closed lower" are market moves; "closed the border" a closure."""
    if tok.pos_ != "VERB" or tok.lemma_ != "close":
        return None
    at_figure = any(c.dep_ == "prep" and c.lower_ in {"at", "up", "down"} for c in tok.children) and any(
        w.ent_type_ in {"MONEY", "PERCENT", "CARDINAL"} or w.like_num for w in tok.subtree if w.i > tok.i
    )
    moved = any(c.lower_ in {"higher", "lower", "up", "down", "flat", "unchanged"} for c in tok.children)
    subjects = {w.lower_ for c in tok.children if c.dep_ == "nsubj" for w in c.subtree}
    if at_figure or moved or subjects & _senses("market_words") and not _objects(tok):
        return "MARKET"
    return None


@rule("sense:court-rule", "events.rule")
def court_rule(tok: Token, types: list[str]) -> str | None:
    """ "the court ruled that …", "ruled against the firm" are rulings; "ruled the region for centuries" is not."""
    if tok.pos_ != "VERB" or tok.lemma_ != "rule":
        return None
    subjects = {w.lemma_.lower() for c in tok.children if c.dep_ in {"nsubj", "nsubjpass"} for w in c.subtree}
    ruling = any(c.dep_ == "ccomp" or c.dep_ == "prep" and c.lower_ in {"against", "in", "on"} for c in tok.children)
    return "LEGAL_ACTION" if ruling or subjects & _senses("courts") else REFUSED


@rule("sense:verbal-conflict", "events.rule")
def verbal_conflict(tok: Token, types: list[str]) -> str | None:
    """ "Smith's attacks on Jones", "the battle for the nomination": conflict words about words are criticism, not violence."""
    if tok.lemma_ not in _senses("verbal_conflict") and tok.lower_ not in _senses("verbal_conflict"):
        return None
    subjects = [c for c in tok.head.children if c.dep_ in {"nsubj", "nsubjpass"} and c != tok]
    around = [w for c in [*tok.children, *subjects] for w in c.subtree]
    armed = _senses("armed") | _senses("weapons")
    if any(w.lower_ in armed or w.lemma_.lower() in armed for w in around):
        return None
    if tok.lemma_ == "attack" and any(o.ent_type_ == "PERSON" for o in _objects(tok)):
        return "CRITICIZE"  # "attacking Ana Horvat", wherever it was said
    if any(w.ent_type_ in {"GPE", "LOC", "FAC"} for w in around):
        return None  # "the war in Syria", "the Paris attacks": a place
    people = any(w.ent_type_ in {"PERSON", "ORG"} for w in around)
    if tok.lemma_ == "attack":
        return "CRITICIZE" if people else None
    return REFUSED if people or any(c.dep_ == "prep" and c.lower_ in {"for", "over", "on", "against"} for c in tok.children) else None


SENSE_RULES: tuple[Callable[[Token, list[str]], str | None], ...] = (
    topic_not_event,
    idiom,
    light_verb,
    speech_act_with_clause,
    noun_after_verb,
    retyped_by_modifier,
    fire_sense,
    strike_sense,
    sink_sense,
    rally_verb,
    market_sense,
    earnings_figure,
    dismiss_sense,
    launch_sense,
    order_sense,
    trade_sense,
    name_sense,
    job_cuts,
    file_sense,
    close_sense,
    court_rule,
    verbal_conflict,
)


def word_trigger(tok: Token, in_headline: bool = False) -> Trigger | None:
    """The trigger a single word is, with the type its sense gives, or None."""
    types = _candidates(tok, in_headline)
    if not types:
        return None
    for sense in rules.active(SENSE_RULES):
        verdict = sense(tok, types)
        if verdict is not None:
            return Trigger(tok, verdict, rules.name_of(sense)) if verdict else None
    return Trigger(tok, types[0], LEXICON_RULE)


def sentence_triggers(sentence: Span, phrases: dict[int, tuple[str, Span]], headline_end: int = 0) -> list[Trigger]:
    """Every trigger of the sentence, in text order: phrases first claim their words."""
    in_phrase = {i for _, span in phrases.values() for i in range(span.start, span.end)}
    found = {t.i: trigger for t in sentence if t.i not in in_phrase and (trigger := word_trigger(t, t.idx < headline_end))}
    for i, (kind, span) in phrases.items():
        if sentence.start <= i < sentence.end:
            found[i] = Trigger(sentence.doc[i], kind, LEXICON_RULE, span)
    return [found[i] for i in sorted(found)]
