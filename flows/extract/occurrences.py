"""Untyped events: what the headline or the lead reports when no word of the vocabulary does.

The headline and the lead sentence carry an article's main event, and many are outside any typed
vocabulary ("Carmaker delays its new model", "The city council renamed the square"). Their main
verb is an event of type OCCURRENCE (no PLOVER or ACLED type), so that every article has a main
event and a date for it; researchers who want typed events only filter `event_type`.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from flows import lexicons
from flows.extract import syntax
from flows.extract.frames import cue_verbs
from flows.extract.triggers import Trigger
from flows.rules import rule

OCCURRENCE = "OCCURRENCE"


def _reported(verb: Token) -> Token:
    """A speech verb's reported clause ("officials said the plant closed": closed), else the verb."""
    if verb.lemma_ in cue_verbs():
        return next((c for c in verb.children if c.dep_ == "ccomp" and c.pos_ == "VERB"), verb)
    return verb


@rule("trigger:main-clause", "events.rule")
def main_clause_trigger(sentence: Span) -> Trigger | None:
    """ "Carmaker delays its new model": the main verb of a headline or lead with no typed event is an OCCURRENCE."""
    root = sentence.root
    if root.pos_ != "VERB":
        return None
    verb = _reported(root)
    if verb.lemma_ in lexicons.words("events", "not_occurrences") or verb.lemma_ in cue_verbs() and verb.i == root.i:
        return None  # "is", "has", "said": nothing happens in them
    if any(c.dep_ == "neg" for c in verb.children) or syntax.tense(verb) == "future":
        return None
    return Trigger(verb, OCCURRENCE, "trigger:main-clause")
