"""One annotated article → rows for the mentions, claims and events tables.

People are still local to the article here: rows carry `_person_key`-style
fields that resolve.py replaces with person ids once people are matched
across articles.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Span

from flows import lexicons
from flows.annotate import AnnotatedArticle
from flows.article import content_id
from flows.extract.attribution import Claim
from flows.extract.claims import claim_family, extract_claims
from flows.extract.context import ArticleContext
from flows.extract.events import Event, extract_events
from flows.extract.mentions import extract_mentions
from flows.extract.people import LocalPerson
from flows.places.resolver import is_place_mention

Row = dict[str, Any]


@dataclass
class ArticleRows:
    """Plain rows only (no spaCy objects), so batches can cross process boundaries."""

    article: Row
    people: list[Row] = field(default_factory=list)
    mentions: list[Row] = field(default_factory=list)
    claims: list[Row] = field(default_factory=list)
    events: list[Row] = field(default_factory=list)
    places: list[Row] = field(default_factory=list)  # the places this article's mentions resolve to


def article_row(ctx: ArticleContext) -> Row:
    a = ctx.article
    return {
        "article_id": a.article_id,
        "source_path": a.source_path,
        "duplicate_paths": sorted(a.duplicate_paths),
        "title": a.title,
        "source": a.source,
        "url": a.url,
        "published_date": a.published_date,
        "published_date_source": a.published_date_source,
        "published_date_text": a.published_date_text,
        "language": a.language,
        "source_encoding": a.source_encoding,
        "text": a.text,
        "text_scope": "full",
        "excerpt_spans": [[0, len(a.text)]],
        "removed_boilerplate": list(a.removed_boilerplate),
        "text_sha256": a.text_sha256,
        "n_chars": len(a.text),
        "n_sentences": len(ctx.sentences),
    }


def person_row(ann: AnnotatedArticle, person: LocalPerson) -> Row:
    """A person as seen in one article, keyed for cross-article resolution."""
    return {
        "key": person.key,
        "article_id": ann.article.article_id,
        "published_date": ann.article.published_date,
        "name": person.name,
        "aliases": sorted(person.aliases),
        "titles": sorted(person.titles - person.disputed_titles),  # scare-quoted once in the article: disputed there
        "disputed_titles": sorted(person.disputed_titles),
        "gender": person.gender,
        "n_mentions": len(person.mentions),
    }


def place_columns(ctx: ArticleContext, ent: Span) -> Row:
    """A mention's place: its row id, the rule that chose it and whether the name stands for a government."""
    match = ctx.place_match(ent)
    if match is None:
        return {"place_id": None, "place_rule": "none" if is_place_mention(ent) else None, "metonym": None}
    return {"place_id": match.place.place_id, "place_rule": match.rule, "metonym": match.metonym}


GEO_PRECISION = {"city": "exact", "country": "country"}  # ACLED's spirit: the finest level the place gives; else region


def event_place(ctx: ArticleContext, event: Event) -> Row:
    match = ctx.place_match(event.place) if event.place is not None else None
    return {
        "place": event.place.text.removeprefix("the ") if event.place is not None else None,  # "The Hague" keeps its article
        "place_id": match.place.place_id if match else None,
        "country_code": match.place.country_code if match else None,
        "geo_precision": GEO_PRECISION.get(match.place.kind, "region") if match else None,
    }


def place_rows(ctx: ArticleContext) -> list[Row]:
    return list({m.place.place_id: m.place.row() for m in ctx.places.values()}.values())


def mention_rows(ctx: ArticleContext) -> list[Row]:
    return [
        {
            "mention_id": content_id("M", ctx.article.article_id, m.entity.start_char, m.entity.end_char, m.entity.label_),
            "article_id": ctx.article.article_id,
            "kind": m.entity.label_,
            "text": m.entity.text,
            "_person_key": m.person.key if m.person else None,
            "value": m.value,
            "precision": m.precision,
            "date_rule": m.date_rule,
            "sentence_index": ctx.sentence_number(m.entity.start),
            "start_char": m.entity.start_char,
            "end_char": m.entity.end_char,
            "rule": m.rule,
            **place_columns(ctx, m.entity),
        }
        for m in extract_mentions(ctx)
    ]


def claim_id(ctx: ArticleContext, claim: Claim) -> str:
    """A claim's id, the same in the claims table and on the events it reports."""
    return content_id("C", ctx.article.article_id, claim.start, claim.end)


def claim_rows(ctx: ArticleContext) -> list[Row]:
    rows = []
    for claim in ctx.claims:
        span = ctx.doc.char_span(claim.start, claim.end, alignment_mode="expand")
        rows.append(
            {
                "claim_id": claim_id(ctx, claim),
                "article_id": ctx.article.article_id,
                "speaker_name": claim.speaker.name,
                "_person_key": claim.speaker.person.key if claim.speaker.person else None,
                "speaker_type": claim.speaker.type,
                "speaker_text": claim.speaker.text,
                "speaker_rule": claim.speaker.rule,
                "cue": claim.cue_text,
                "cue_family": claim_family(claim),
                "claim_text": " ".join(ctx.text[a:b] for a, b in claim.pieces()),
                "fragments": [list(p) for p in claim.pieces()],
                "quoted_spans": [list(q) for q in claim.quoted],
                "quote_type": claim.quote_type,
                "date": claim.date,
                "date_text": claim.date_text,
                "sentence_index": ctx.sentence_number(span.start) if span is not None else 0,
                "start_char": claim.start,
                "end_char": claim.end,
                "rule": claim.rule,
            }
        )
    return rows


def crosswalk(event_type: str) -> Row:
    """The PLOVER event type and the ACLED event / sub-event type lexicons/events.yaml gives the type."""
    spec = lexicons.load("events")["types"][event_type]
    acled = spec.get("acled", [None, None])
    plover = spec["plover"] if spec["plover"] != "—" else None
    return {"plover_type": plover, "acled_event_type": acled[0], "acled_sub_event_type": acled[1]}


def date_columns(event: Event) -> Row:
    """An event's date: an interval at its precision, or — for precision unknown — only its end (the published date)."""
    found = event.date
    return {
        "date_start": found.start if found and found.precision != "unknown" else None,
        "date_end": found.end if found else None,
        "date_precision": found.precision if found else None,
        "date_text": event.date_text,
        "date_rule": found.rule if found else "none",
    }


def event_rows(ctx: ArticleContext) -> list[Row]:
    rows = []
    for event in extract_events(ctx):
        trigger, trigger_start, trigger_end = event.trigger_span
        row: Row = {
            "event_id": content_id("E", ctx.article.article_id, event.trigger.idx),
            "article_id": ctx.article.article_id,
            "event_type": event.type,
            **crosswalk(event.type),
            "status": event.status,
            "trigger": trigger,
            "trigger_start_char": trigger_start,
            "trigger_end_char": trigger_end,
            "evidence_text": event.sentence.text,
            "actors": [p.name for p in event.actors],
            "actor_types": [p.type for p in event.actors],
            "_actor_keys": [p.person.key for p in event.actors if p.person],
            "targets": [p.name for p in event.targets],
            "target_types": [p.type for p in event.targets],
            "_target_keys": [p.person.key for p in event.targets if p.person],
            **event_place(ctx, event),
            **date_columns(event),
            "sentence_index": event.sentence_index,
            "start_char": event.sentence.start_char,
            "end_char": event.sentence.end_char,
            "is_main": event.is_main,
            "is_background": event.is_background,
            "reported_by": event.claim.speaker.name if event.claim else None,
            "_reporter_key": event.claim.speaker.person.key if event.claim and event.claim.speaker.person else None,
            "claim_id": claim_id(ctx, event.claim) if event.claim else None,
            "rule": event.rule,
        }
        for column in ("fatalities", "injured", "displaced", "arrested"):
            value, bound = event.counts.get(column, (None, None))
            row[column], row[f"{column}_bound"] = value, bound
        rows.append(row)
    return rows


def extract_article(ann: AnnotatedArticle) -> ArticleRows:
    """All rows of one article (people still local to it), from one context built for it."""
    ctx = ArticleContext.build(ann)
    ctx.claims = extract_claims(ctx)  # before the events: a claim's speaker reports the events in it
    return ArticleRows(
        article=article_row(ctx),
        people=[person_row(ann, p) for p in ctx.people],
        mentions=mention_rows(ctx),
        claims=claim_rows(ctx),
        events=event_rows(ctx),
        places=place_rows(ctx),
    )
