"""Mentions: every entity of the article, with its normalised value (a DATE resolved against the
published date at its precision; an acronym spelled out; a leading "the" dropped) and the local
person it names."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span

from flows.dates import is_duration, resolve
from flows.extract import syntax
from flows.extract.context import ArticleContext
from flows.extract.people import LocalPerson
from flows.names import without_article

DATE_KINDS = {"DATE", "TIME"}


@dataclass
class Mention:
    entity: Span
    value: str | None
    precision: str | None
    date_rule: str | None  # how a DATE/TIME was resolved ("duration", "unresolved" when it was not)
    person: LocalPerson | None
    rule: str  # the model or repair rule that made the entity


def extract_mentions(ctx: ArticleContext) -> list[Mention]:
    """Every entity in text order."""
    ann = ctx.ann
    acronyms = ann.acronyms  # "ICC" → "International Criminal Court"
    found = []
    for ent in ann.doc.ents:
        value = precision = date_rule = None
        if ent.label_ in DATE_KINDS:
            # a bare "March 17" takes the nearest year unless its clause speaks of the future
            tense = "future" if syntax.tense(syntax.clause_head(ent.root)) == "future" else "neutral"
            resolved = resolve(ent.text, ann.article.published_date, tense)
            if resolved:
                value, precision, date_rule = resolved.value, resolved.precision, resolved.rule
            else:
                date_rule = "duration" if is_duration(ent.text) else "unresolved"
        else:
            value = acronyms.get(ent.text) or without_article(ent.text)
        person = ctx.person_at(ent[0]) if ent.label_ == "PERSON" else None
        found.append(Mention(ent, value, precision, date_rule, person, ann.entity_rule(ent)))
    return found
