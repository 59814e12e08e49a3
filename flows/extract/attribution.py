"""What the claim rules share: a claim (one attribution, in one or more pieces), a cue's report, an article's speech."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from spacy.tokens import Doc, Span, Token

from flows.extract import syntax
from flows.extract.context import ArticleContext
from flows.extract.quotes import Quote
from flows.extract.speakers import Speaker

ADJACENT_TOKENS = 12  # a cue this close after or before a quote ("“…,” the mayor, Ana Horvat, said") is its cue
Quoted = tuple[Quote, Span]  # a quote and its tokens


@dataclass
class Claim:
    start: int
    end: int
    quote_type: str
    cue: Token | None
    cue_text: str | None
    speaker: Speaker
    rule: str
    date: date | None = None
    date_text: str | None = None
    joins: Claim | None = None  # the claim this piece continues ("“A,” she said, “B.”"): one claim, two fragments
    fragments: list[tuple[int, int]] = field(default_factory=list)  # set when pieces are joined; else [(start, end)]
    quoted: list[tuple[int, int]] = field(default_factory=list)  # the words inside quotation marks

    def pieces(self) -> list[tuple[int, int]]:
        """The [start, end) character spans the claim is made of, in text order."""
        return self.fragments or [(self.start, self.end)]


@dataclass
class Report:
    """One speech verb with what it governs: its speaker, the quotes attached to it, its content."""

    cue: Token
    speaker: Speaker
    quoted: list[Quoted]
    content: Span | None
    when: date | None
    when_text: str | None
    frame: str | None = None  # the frame that found the content (frames.FRAMES)


@dataclass
class Speech:
    """What the claim rules of one article share: the context, each cue's report, the quotes no
    cue governs, and the claims found so far."""

    ctx: ArticleContext
    reports: list[Report]
    loose: list[Quoted]
    claims: list[Claim] = field(default_factory=list)

    def holds(self, start: int, end: int) -> bool:
        """Is the text [start, end) inside a claim found already? ("the mayor said the plan is reportedly dead" is the mayor's)"""
        return any(c.start <= start and end <= c.end for c in self.claims)

    def free_sentences(self) -> Iterator[Span]:
        """The sentences no claim found so far starts in: where a sentence-level source may still speak."""
        for sent in self.ctx.sentences:
            if len(sent) and not any(sent.start_char <= c.start < sent.end_char for c in self.claims):
                yield sent


NO_SOURCE = Speaker(None, None, "none", None, "none")  # a hedge: "the plan seems to work"
UNKNOWN_SOURCE = Speaker(None, None, "unknown", None, "none")  # a quote whose cue names nobody the parse can find


def char_span(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    """Character bounds of tokens [start, end) without edge punctuation (None if nothing is left)."""
    start, end = syntax.strip_span(doc, start, end)
    return (doc[start:end].start_char, doc[start:end].end_char) if end > start else None


def content_chars(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    """Character bounds of tokens [start, end) without edge punctuation, when three words or more are left."""
    start, end = syntax.strip_span(doc, start, end)
    return (doc[start:end].start_char, doc[start:end].end_char) if end - start >= 3 else None


def quote_type_of(doc: Doc, quote: Quote, text: str) -> str:
    """direct when the quote is a sentence of its own, partial when it is words inside ours."""
    inner = text[quote.start : quote.end]
    before = re.sub(r"[\s“”\"«»„‘’']+$", "", text[: quote.start])
    starts_sentence = not before or before[-1] in ".:!?,\n—–-"
    return "direct" if inner[:1].isupper() and starts_sentence or inner[:1].isdigit() and starts_sentence else "partial"
