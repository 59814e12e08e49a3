"""Events: trigger words from lexicons/events.yaml, typed, with status, actors, place, counts and date.

An event needs a date its sentence states, or one the context gives (the lead
sentence reports the news of the published date; a sentence that continues a
dated event takes its date). Events with no date at all are left out, so the
table holds what can be placed in time; `date_rule` names how each date was
resolved.
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from spacy.matcher import Matcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans
from spacy.vocab import Vocab

from flows import lexicons
from flows.annotate import AnnotatedArticle
from flows.dates import ResolvedDate, is_duration, resolve
from flows.extract import syntax
from flows.extract.numbers import parse_count
from flows.extract.people import LocalPerson

PLACE_KINDS = {"GPE", "LOC", "FAC"}


@dataclass
class Event:
    type: str
    status: str
    trigger: Token
    sentence: Span
    sentence_index: int
    actors: list[str] = field(default_factory=list)
    actor_people: list[LocalPerson] = field(default_factory=list)
    place: str | None = None
    date: ResolvedDate | None = None
    date_text: str | None = None
    counts: dict[str, tuple[int, str]] = field(default_factory=dict)
    rule: str = "trigger:lexicon"
    phrase: Span | None = None  # the whole trigger when the lexicon entry is several tokens ("cease-fire")

    @property
    def trigger_span(self) -> tuple[str, int, int]:
        """Trigger text and offsets: the phrase when there is one, else the trigger word."""
        if self.phrase is not None:
            return self.phrase.text, self.phrase.start_char, self.phrase.end_char
        return self.trigger.text, self.trigger.idx, self.trigger.idx + len(self.trigger)


def _trigger_index() -> tuple[dict[str, str], dict[str, str]]:
    verbs: dict[str, str] = {}
    nouns: dict[str, str] = {}
    for name, spec in lexicons.load("events")["types"].items():
        for lemma in spec.get("verbs", []):
            verbs.setdefault(lemma, name)
        for lemma in spec.get("nouns", []):
            nouns.setdefault(lemma, name)
    return verbs, nouns


_PHRASE_MATCHERS: dict[int, Matcher] = {}


def _phrase_matcher(vocab: Vocab) -> Matcher:
    """Lexicon entries of several tokens ("cease-fire", "sit-in", "re-elect", "peace deal"): the
    tokenizer splits them, so a lemma lookup never sees them; they are token patterns (the last
    token by lemma, so "cease-fires" and "re-elected" match too)."""
    if (matcher := _PHRASE_MATCHERS.get(id(vocab))) is not None:
        return matcher
    matcher = Matcher(vocab)
    for name, spec in lexicons.load("events")["types"].items():
        for entry in spec.get("verbs", []) + spec.get("nouns", []):
            parts = [p for p in re.split(r"(-)|\s+", entry) if p]
            if len(parts) > 1:
                head = [{"LOWER": p} for p in parts[:-1]]
                matcher.add(name, [[*head, {"LEMMA": parts[-1]}], [*head, {"LOWER": parts[-1]}]])
    _PHRASE_MATCHERS[id(vocab)] = matcher
    return matcher


def _phrase_triggers(doc: Doc) -> dict[int, tuple[str, Span]]:
    """Root token index → (event type, phrase) for every multi-token trigger in the Doc."""
    matcher = _phrase_matcher(doc.vocab)
    spans = [Span(doc, start, end, label=key) for key, start, end in matcher(doc)]
    return {span.root.i: (span.label_, span) for span in filter_spans(spans)}


def _trigger_type(tok: Token, verbs: dict[str, str], nouns: dict[str, str]) -> str | None:
    particles = lexicons.load("events")["particles"]
    if tok.pos_ == "VERB" and tok.lemma_ in verbs:
        needed = particles.get(tok.lemma_)
        if needed and not any(c.dep_ == "prt" and c.lower_ == needed for c in tok.children):
            return None
        return verbs[tok.lemma_]
    if tok.pos_ in {"NOUN", "PROPN"} and (tok.lower_ in nouns or tok.lemma_ in nouns):
        events = lexicons.load("events")
        if tok.head.lemma_ in events["not_after"].get(tok.lemma_, []):
            return None  # "exchanged fire" is fighting, not a fire
        if tok.dep_ == "pobj" and tok.head.lower_ in events["topic_prepositions"] and tok.head.head.pos_ in {"NOUN", "PROPN"}:
            return None  # "talks on a ceasefire": what the talks are about, not a ceasefire
        if tok.dep_ == "pobj" and tok.head.head.pos_ == "ADJ" and tok.head.head.lemma_.lower() in events["prospect_adjectives"]:
            return None  # "close to a deal": no deal yet
        modifiers = {c.lower_ for c in tok.children if c.dep_ in {"compound", "amod", "nmod"}}
        for kind, words in events["retyped_by_modifier"].get(tok.lemma_, {}).items():
            if modifiers & set(words):
                return kind  # "artillery fire"
        return nouns.get(tok.lower_) or nouns[tok.lemma_]
    return None


def _negated(trigger: Token, head: Token) -> bool:
    """ "did not protest", "no election was held" — but not "if he doesn't do well in the primary"
    (the primary is only where it happens) nor "the election is not until 2019" (a delay)."""
    if any(c.dep_ == "neg" for c in trigger.children):
        return True
    if not any(c.dep_ == "neg" for c in head.children):
        return False
    if any(c.lower_ == "until" for c in head.subtree if c.head == head or c.head.dep_ == "neg"):
        return False
    return trigger == head or trigger.pos_ == "VERB" or trigger.head == head and trigger.dep_ in {*syntax.SUBJECTS, "dobj", "attr"}


def _status(trigger: Token) -> str:
    """occurred / scheduled / cancelled / called_for / negated, from the trigger's clause."""
    status = lexicons.load("events")["status"]
    head = _event_clause(trigger)
    clauses = [head, *(c for c in head.children if c.dep_ == "conj" and c.pos_ in {"VERB", "AUX"})]
    chain = [trigger, *clauses, *list(head.ancestors)[:2]]
    words = {
        t.lemma_.lower()
        for node in chain
        for t in [node, *node.children]
        if t != trigger and (t.dep_ not in {"nsubj", "dobj", "pobj"} or t == node)
    }
    governing = {t.lemma_.lower() for t in chain if t != trigger}
    governing |= {f"{t.lemma_.lower()} {c.lower_}" for t in chain if t != trigger for c in t.children if c.dep_ == "prt"}
    if governing & set(status["cancelled"]["lemmas"]):
        return "cancelled"
    if _negated(trigger, head):
        return "negated"
    if head.lemma_ == "fail" or trigger.head.lemma_ == "fail":
        return "negated"
    if any(syntax.tense(c) == "future" for c in clauses) or words & set(status["scheduled"]["lemmas"]) and head.tag_ != "VBD":
        return "scheduled"
    if words & set(status["called_for"]["lemmas"]) or any(a.lemma_ == "call" and any(c.lower_ == "for" for c in a.children) for a in chain):
        return "called_for"
    return "occurred"


def _distance(a: Token, b: Token) -> int:
    """Path length between two tokens in the dependency tree."""
    up_a = [a, *a.ancestors]
    up_b = [b, *b.ancestors]
    index_b = {t.i: n for n, t in enumerate(up_b)}
    for n, t in enumerate(up_a):
        if t.i in index_b:
            return n + index_b[t.i]
    return 99


def _event_clause(trigger: Token) -> Token:
    """The verb that speaks of the event: the trigger verb, the verb of a relative
    clause on a noun trigger ("a consultation which was to be held …"), or the clause head."""
    if trigger.pos_ == "VERB":
        return trigger
    for child in trigger.children:
        if child.dep_ in {"relcl", "acl"} and child.pos_ in {"VERB", "AUX"}:
            return child
    return syntax.clause_head(trigger)


def _reported_by(trigger: Token, cue: Token) -> bool:
    """Is the trigger inside what the speech verb reports (its clausal complement)?"""
    return any(c.dep_ == "ccomp" and trigger.i in {t.i for t in c.subtree} for c in cue.children)


def _dates_by_closeness(trigger: Token, cue_lemmas: AbstractSet[str]) -> list[Span]:
    """DATE/TIME entities that can date the trigger: in its own phrase first, then in
    its clause, then in the clauses it depends on; never in an unrelated subordinate
    clause, and never the date of a speech verb ("…, police told reporters on Sunday")."""
    head = syntax.clause_head(trigger)
    own = {t.i for t in trigger.subtree}
    governing = {head.i} | {a.i for a in head.ancestors}
    ranked = []
    for ent in syntax.sentence_ents(trigger):
        if ent.label_ not in {"DATE", "TIME"}:
            continue
        ent_clause = syntax.clause_head(ent.root)
        if ent_clause.lemma_ in cue_lemmas and _reported_by(trigger, ent_clause):
            continue
        if ent.root.i in own:
            tier = 0
        elif syntax.clause_head(ent.root).i == head.i:
            tier = 1
        elif syntax.clause_head(ent.root).i in governing:
            tier = 2
        else:
            continue
        ranked.append(((tier, _distance(trigger, ent.root)), ent))
    return [ent for _, ent in sorted(ranked, key=lambda x: x[0])]


def _actors(trigger: Token, people: list[LocalPerson], skip_before: int) -> tuple[list[str], list[LocalPerson]]:
    head = trigger if trigger.pos_ == "VERB" else syntax.clause_head(trigger)
    slots: list[Token] = []
    if trigger.pos_ == "VERB":
        slots += [c for c in trigger.children if c.dep_ in {"nsubj", "dobj"}]
        slots += [g for c in trigger.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
        if not any(c.dep_ == "nsubj" for c in trigger.children) and (subj := syntax.subject(trigger)) is not None:
            slots.insert(0, subj)
    else:
        slots += [c for c in trigger.children if c.dep_ == "poss"]
        for prep in (c for c in trigger.children if c.dep_ == "prep" and c.lower_ in {"by", "of", "against"}):
            slots += [g for g in prep.children if g.dep_ == "pobj"]
        for acl in (c for c in trigger.children if c.dep_ == "acl"):
            slots += [g for a in acl.children if a.dep_ == "agent" for g in a.children if g.dep_ == "pobj"]
        if not slots and head.pos_ == "VERB":
            slots += [c for c in head.children if c.dep_ == "nsubj"]
    names, persons = [], []
    for slot in slots:
        if (
            slot.idx < skip_before
            or slot.pos_ == "PRON"
            or slot.ent_type_ in {"DATE", "TIME", "CARDINAL", "ORDINAL", "PERCENT", "MONEY", "QUANTITY"}
        ):
            continue
        person = next((p for p in people if any(m.start <= slot.i < m.end for m in p.mentions)), None)
        if person is not None:
            names.append(person.name)
            persons.append(person)
        elif slot.ent_type_ or slot.pos_ == "PROPN":
            ent = next((e for e in syntax.sentence_ents(slot) if e.start <= slot.i < e.end), None)
            names.append((ent.text if ent is not None else slot.text).removeprefix("the ").removeprefix("The "))
    return list(dict.fromkeys(names)), persons


def _place(trigger: Token, skip_before: int) -> str | None:
    scope = syntax.clause_head(trigger)
    ids = {t.i for t in scope.subtree}
    for ent in syntax.sentence_ents(trigger):
        if ent.label_ in PLACE_KINDS and ent.root.i in ids and ent.start_char >= skip_before:
            return ent.text.removeprefix("the ")
    return None


def _counts(sentence: Span) -> dict[str, tuple[int, str]]:
    """Numbers of people killed, injured, displaced or arrested stated in the sentence."""
    lexicon = lexicons.load("events")["counts"]
    found: dict[str, tuple[int, str]] = {}
    for ent in syntax.sentence_ents(sentence):
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
                    found[column] = parsed
                break
    # "four killed and seven wounded": a number whose verb is coordinated with the count verb
    for tok in sentence:
        if tok.like_num and tok.dep_ in {"nsubj", "nsubjpass", "dobj", "npadvmod"}:
            for column, lemmas in lexicon.items():
                if column not in found and (tok.head.lemma_ in lemmas or tok.head.lower_ in lemmas):
                    number = next((e for e in syntax.sentence_ents(sentence) if e.start <= tok.i < e.end), None)
                    if (parsed := parse_count(number.text if number is not None else tok.text)) is not None:
                        found[column] = parsed
    return found


def extract_events(ann: AnnotatedArticle, people: list[LocalPerson]) -> list[Event]:
    """Dated events of one article, in text order."""
    verbs, nouns = _trigger_index()
    base = ann.article.published_date
    events: list[Event] = []
    context = None  # date of the last dated event, for "two days later"
    context_sentence, context_type = -2, None
    article = ann.article
    dateline_end = article.dateline_end
    sentences = syntax.doc_index(ann.doc).sentences
    lead = next((i for i, s in enumerate(sentences) if s.start_char >= dateline_end and s.text.strip()), 0)
    cue_lemmas = lexicons.words("cues", "verbs")
    casualty_only = lexicons.words("events", "casualty_only")
    phrases = _phrase_triggers(ann.doc)
    in_phrase = {i for _, span in phrases.values() for i in range(span.start, span.end)}
    for index, sentence in enumerate(sentences):
        seen_types: set[str] = set()
        found_here: list[Event] = []
        kinds = {t.i: k for t in sentence if t.i not in in_phrase and (k := _trigger_type(t, verbs, nouns))}
        kinds |= {i: kind for i, (kind, _) in phrases.items() if sentence.start <= i < sentence.end}
        kinds = dict(sorted(kinds.items()))
        triggers = [sentence.doc[i] for i in kinds]
        for tok in triggers:
            kind = kinds[tok.i]
            if kind and tok.lemma_ in casualty_only and any(t.lemma_ not in casualty_only for t in triggers):
                continue  # "killing 30" in a sentence about an earthquake is its toll, not another event
            subjects = [c for c in tok.children if c.dep_ in syntax.SUBJECTS]
            subjects += [w for c in subjects for w in c.children if w.dep_ == "compound" and w.ent_type_ == "EVENT"]  # "Typhoon" Haiyan
            if kind and tok.pos_ == "VERB" and any(w in triggers for w in subjects):
                continue  # "an earthquake struck", "Typhoon Haiyan struck": the subject names the event
            storm_name = tok.ent_type_ == "EVENT" and tok.ent_iob_ == "B"  # "Hurricane Otis hit …"
            if kind is None or kind in seen_types or (tok.dep_ == "compound" and not storm_name) or tok.ent_type_ not in {"", "EVENT"}:
                continue
            if tok.idx < dateline_end:
                continue
            seen_types.add(kind)
            status = _status(tok)
            tense = "future" if status in {"scheduled", "cancelled", "called_for"} else "past"
            event = Event(kind, status, tok, sentence, index, phrase=phrases[tok.i][1] if tok.i in phrases else None)
            for ent in _dates_by_closeness(tok, cue_lemmas):
                if resolved := resolve(ent.text, base, tense, context.start if context else None):
                    event.date, event.date_text = resolved, ent.text
                    break
            head = syntax.clause_head(tok)
            main_clause = head.dep_ == "ROOT" or (head.dep_ == "ccomp" and head.head.dep_ == "ROOT" and head.head.lemma_ in cue_lemmas)
            if event.date is None and index == lead and base is not None and main_clause and status == "occurred":
                # the lead sentence of a news story reports the news of its day ("…, officials said")
                event.date = ResolvedDate(base, "day", "lead:published-date")
            elif (
                event.date is None
                and context is not None
                and kind == context_type
                and not any(e.label_ in {"DATE", "TIME"} and not is_duration(e.text) for e in syntax.sentence_ents(sentence))
                and index == context_sentence + 1
                and status == "occurred"
                and head.tag_ == "VBD"
                and (tok == head or tok.dep_ in syntax.SUBJECTS and tok.head == head)
            ):
                # an undated sentence that goes on about the same kind of event ("The fighting ended …")
                event.date = ResolvedDate(context.start, context.precision, "context:previous-event")
            if event.date is None:
                continue
            if base is not None and event.date.start > base and event.status == "occurred":
                event.status = "scheduled"  # a date after publication can only be planned
            event.actors, event.actor_people = _actors(tok, people, dateline_end)
            event.place = _place(tok, dateline_end)
            found_here.append(event)
        if found_here:
            counts = _counts(sentence)
            target = next((e for e in found_here if e.type == "ASSAULT"), found_here[0])
            target.counts = counts
            dated = [e for e in found_here if e.date and not e.date.rule.startswith(("lead", "context"))]
            if dated:
                context, context_sentence, context_type = dated[0].date, index, dated[0].type
            events.extend(found_here)
    return events
