"""Headline claims: "Mayor: Bridge Will Close" and "Senator Says Vote Will Go Ahead" (Title Case hides
the verb from the tagger, so the cue is found by its form)."""

from __future__ import annotations

import re

from spacy.tokens import Doc

from flows import lexicons, rules
from flows.extract import frames, syntax
from flows.extract.attribution import Claim, Speech
from flows.extract.context import ArticleContext
from flows.extract.speakers import Speaker, group_type
from flows.rules import rule


def _cue_lemma(word: str, cues: dict[str, list[str]]) -> str | None:
    """The cue verb a headline word is a form of ("Says", "warns", "Slammed"), or None."""
    return syntax.verb_lemma(word, cues.keys())


@rule("speaker:headline", "claims.speaker_rule")
def headline_speaker(doc: Doc, start: int, end: int, ctx: ArticleContext) -> Speaker | None:
    """ "Mayor Ana Horvat: …", "Ministry Says …": the capitalised words opening the headline are the source."""
    phrase = doc.char_span(start, end, alignment_mode="expand")
    if phrase is None or not phrase.text[:1].isupper():
        return None
    source = ctx.text[start:end].strip()
    if person := ctx.last_person_in(phrase):
        return Speaker(person.name, person, "person", source, "speaker:headline")
    return Speaker(source, None, group_type(phrase, ctx), source, "speaker:headline")


def _headline(speech: Speech) -> str | None:
    """The headline's text, when there is one and no claim already starts in it."""
    end = speech.ctx.article.headline_end
    if not end or any(c.start < end for c in speech.claims):
        return None
    return speech.ctx.text[:end]


def _colon_source(headline: str) -> int:
    """Where the colon of "Source: what they said" stands in a headline (-1: none)."""
    colon = headline.find(": ")
    return colon if colon > 0 and len(headline[:colon].split()) <= lexicons.load("cues")["headline_source_words"] else -1


def _headline_claim(speech: Speech, source_end: int, start: int, cue_text: str, name: str) -> list[Claim]:
    headline = speech.ctx.text[: speech.ctx.article.headline_end]
    content_end = len(headline.rstrip(" .!?"))
    speaker = headline_speaker(speech.ctx.doc, 0, source_end, speech.ctx) if rules.is_on("speaker:headline") else None
    if speaker is None or len(headline[start:content_end].split()) < 2:
        return []
    return [Claim(start, content_end, "indirect", None, cue_text, speaker, name)]


@rule("headline:colon", "claims.rule")
def headline_colon(speech: Speech) -> list[Claim]:
    """ "Mayor: Bridge Will Close": a short source before a colon said the rest of the headline."""
    headline = _headline(speech)
    if headline is None or (colon := _colon_source(headline)) < 0:
        return []
    return _headline_claim(speech, colon, colon + 2, ":", "headline:colon")


@rule("headline:cue", "claims.rule")
def headline_cue(speech: Speech) -> list[Claim]:
    """ "Senator Says Vote Will Go Ahead": a speech verb among the headline's first words."""
    headline = _headline(speech)
    if headline is None or _colon_source(headline) >= 0:
        return []
    most, cues = lexicons.load("cues")["headline_source_words"], frames.cue_verbs()
    words = list(re.finditer(r"[\w'’.-]+", headline))
    cue = next((w for w in words[1 : most + 1] if _cue_lemma(w.group(), cues)), None)
    if cue is None:
        return []
    start = cue.end() + 1
    if headline[start:].lower().startswith("that "):
        start += 5
    return _headline_claim(speech, cue.start(), start, cue.group(), "headline:cue")
