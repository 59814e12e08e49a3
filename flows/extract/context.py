"""The one per-article context every extraction rule reads: the annotated article, its
sentence and entity index, and the local person at each token — built once per article.

`span.sent.ents` and `doc.sents` rebuild their Spans on every call, and the rules ask for them
per token; the index here computes them once.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Span, Token

from flows.annotate import AnnotatedArticle
from flows.article import Article
from flows.extract.people import LocalPerson, group_people
from flows.places.resolver import PlaceMatch, resolve_places

if TYPE_CHECKING:
    from flows.extract.attribution import Claim


@dataclass
class ArticleContext:
    ann: AnnotatedArticle
    sentences: list[Span]
    people: list[LocalPerson]
    sentence_starts: list[int] = field(default_factory=list)
    ents_by_sentence: list[list[Span]] = field(default_factory=list)
    person_by_token: dict[int, LocalPerson] = field(default_factory=dict)
    # (token index, person) of every speaker found so far: who a later "she said" may mean
    salient: list[tuple[int, LocalPerson]] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)  # once extracted: who reports each event

    @classmethod
    def build(cls, ann: AnnotatedArticle) -> ArticleContext:
        sentences = list(ann.doc.sents)
        ctx = cls(ann, sentences, group_people(ann), [s.start for s in sentences])
        ctx.ents_by_sentence = [[] for _ in sentences]
        for ent in ann.doc.ents:
            n = ctx.sentence_number(ent.start)
            if ent.end <= sentences[n].end:  # as Span.ents: wholly inside the sentence
                ctx.ents_by_sentence[n].append(ent)
        for person in ctx.people:
            for mention in person.mentions:
                for i in range(mention.start, mention.end):
                    ctx.person_by_token.setdefault(i, person)
        return ctx

    @property
    def article(self) -> Article:
        return self.ann.article

    @property
    def doc(self) -> Doc:
        return self.ann.doc

    @property
    def text(self) -> str:
        return self.ann.article.text

    @property
    def published(self) -> date | None:
        return self.ann.article.published_date

    def sentence_number(self, token_i: int) -> int:
        return bisect_right(self.sentence_starts, token_i) - 1

    def sentence_ents(self, item: Token | Span) -> list[Span]:
        """The entities of the sentence a token or span starts in (`item.sent.ents`)."""
        start = item.i if isinstance(item, Token) else item.start
        return self.ents_by_sentence[self.sentence_number(start)]

    def ents_within(self, span: Span) -> list[Span]:
        """`span.ents`: entities wholly inside the span."""
        return [e for e in self.sentence_ents(span) if e.start >= span.start and e.end <= span.end]

    def entity_at(self, token: Token) -> Span | None:
        return next((e for e in self.sentence_ents(token) if e.start <= token.i < e.end), None)

    def person_at(self, token: Token) -> LocalPerson | None:
        """The local person whose mention holds the token."""
        return self.person_by_token.get(token.i)

    def last_person_in(self, span: Span) -> LocalPerson | None:
        """The person named last in a phrase ("Mayor Ana Horvat", "More from Lenz"): who a label or headline source names."""
        return next((person for tok in reversed(span) if (person := self.person_at(tok))), None)

    @cached_property
    def tokens(self) -> list[Token]:
        """Every token, made once: iterating the Doc builds a new Token object per word on each pass, and the rules pass often."""
        return list(self.doc)

    @cached_property
    def places(self) -> dict[int, PlaceMatch]:
        """The place each place mention means, by the token it starts at (resolved on first use)."""
        return resolve_places(list(self.doc.ents))

    def place_match(self, ent: Span) -> PlaceMatch | None:
        return self.places.get(ent.start)

    def mention_at(self, token: Token) -> Span | None:
        """The PERSON mention holding the token."""
        person = self.person_at(token)
        return next((m for m in person.mentions if m.start <= token.i < m.end), None) if person else None
