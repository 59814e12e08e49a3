"""Claims: who said what — direct and partial quotes and reported speech.

A claim is found from a cue (a speech verb from lexicons/cues.yaml, or
"according to"). Each quotation is attached to the nearest cue that governs
it in the parse, or to a cue right after or before it; a quote with no cue
continues the previous quote of its paragraph. Cues without quotes give
reported speech from the frames the lexicon lists for the verb. Speakers
are the cue's subject, resolved to a person where the text allows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from spacy.tokens import Doc, Span, Token

from flows import lexicons
from flows.annotate import AnnotatedArticle
from flows.dates import resolve
from flows.extract import syntax
from flows.extract.people import LocalPerson
from flows.extract.quotes import Quote, pair_quotes
from flows.names import fold

PARTIAL_SHARE = 0.4  # a quote this share of its clause or more is reported as the claim itself
SCARE_MAX_TOKENS = 3
PRONOUN_WINDOW = 3  # sentences to look back for the person a pronoun refers to


@dataclass
class Speaker:
    name: str | None
    person: LocalPerson | None
    type: str
    text: str | None
    rule: str


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


def _cues() -> dict[str, list[str]]:
    return lexicons.load("cues")["verbs"]


def _token_span(doc: Doc, start_char: int, end_char: int) -> Span | None:
    return doc.char_span(start_char, end_char, alignment_mode="expand")


def _is_scare_quote(span: Span, people_starts: set[int]) -> bool:
    """A word or title in quotation marks ("“president”") or a name label, not a statement."""
    words = [t for t in span if not t.is_punct]
    heads = lexicons.words("titles", "heads")
    if not words:
        return True
    if len(words) <= SCARE_MAX_TOKENS and " ".join(t.lower_ for t in words) in heads:
        return True
    after = span.end
    while after < len(span.doc) and syntax.is_quote_mark(span.doc[after]):
        after += 1
    return len(words) <= SCARE_MAX_TOKENS and after in people_starts


def _is_title_of_work(span: Span) -> bool:
    words = [t for t in span if t.is_alpha]
    return (
        0 < len(words) <= 8
        and all(t.is_title or t.is_stop for t in words)
        and words[0].is_title
        and not any(t.pos_ == "VERB" for t in words)
    )


def _cue_ancestor(span: Span, cues: dict[str, list[str]]) -> Token | None:
    """The nearest speech verb governing any word of the quote."""
    best: tuple[int, Token] | None = None
    for tok in span:
        depth = 0
        node = tok
        while node.head != node and depth < 12:
            node, depth = node.head, depth + 1
            if span.start <= node.i < span.end:
                continue  # a verb inside the quote is what was said, not who said it
            if node.lemma_ in cues and node.pos_ == "VERB" and "quote" in cues[node.lemma_]:
                if best is None or depth < best[0]:
                    best = (depth, node)
                break
    return best[1] if best else None


def _adjacent_cue(span: Span, cues: dict[str, list[str]]) -> Token | None:
    """A speech verb just after the quote (“…,” he said) or just before it (he said: “…”)."""
    sent = span.doc[span.end - 1].sent
    after = [t for t in span.doc[span.end : min(sent.end, span.end + 8)] if t.lemma_ in cues and t.pos_ == "VERB"]
    if after:
        return after[0]
    sent = span.doc[span.start].sent
    before = [t for t in span.doc[max(sent.start, span.start - 8) : span.start] if t.lemma_ in cues and t.pos_ == "VERB"]
    return before[-1] if before else None


def _attribution_words(cue: Token, quotes: list[Span], people: list[LocalPerson]) -> Token | None:
    """When the parse gives the cue no subject, the speaker is written between the
    quote and the cue (“…,” the chairwoman, X, told) or right after the cue (“…,” said X)."""
    if not quotes:
        return None
    doc = cue.doc
    last_end = max(s.end for s in quotes)
    window = doc[last_end : cue.i] if last_end <= cue.i else doc[cue.i + 1 : cue.sent.end]
    for tok in window:
        if person := _person_at(tok, people):
            return next(m.root for m in person.mentions if m.start <= tok.i < m.end)
    animate = [t for t in window if t.pos_ in {"NOUN", "PROPN", "PRON"} and syntax.is_animate(t)]
    return animate[-1] if animate else None


def _content(cue: Token, frames: list[str]) -> Span | None:
    """The reported content of a cue, per the frames the lexicon gives the verb."""
    doc = cue.doc
    children = list(cue.children)
    nouns = lexicons.words("cues", "content_nouns")
    for frame in frames:
        found: Span | None = None
        if frame == "ccomp":
            clause = next((c for c in children if c.dep_ == "ccomp"), None)
            found = syntax.clause_span(clause, exclude=set(_cues())) if clause is not None else None
        elif frame == "xcomp":
            found = next((doc[c.left_edge.i : c.right_edge.i + 1] for c in children if c.dep_ == "xcomp"), None)
        elif frame == "for":
            prep = next((c for c in children if c.dep_ == "prep" and c.lower_ == "for"), None)
            obj = next((c for c in prep.children if c.dep_ in {"pobj", "pcomp"}), None) if prep is not None else None
            found = doc[obj.left_edge.i : obj.right_edge.i + 1] if obj is not None else None
        elif frame == "object":
            right = [c for c in children if c.i > cue.i and c.dep_ in {"dobj", "ccomp", "xcomp", "oprd", "prep", "attr"}]
            found = doc[right[0].left_edge.i : max(c.right_edge.i for c in right) + 1] if right else None
        elif frame == "hope":
            obj = next((c for c in children if c.dep_ == "dobj" and c.lemma_ in nouns), None)
            if obj is not None:
                clause = next((c for c in obj.children if c.dep_ in {"acl", "ccomp", "relcl"}), None)
                target = clause if clause is not None else obj
                found = doc[target.left_edge.i : target.right_edge.i + 1]
        if found is not None:
            start, end = syntax.strip_span(doc, found.start, found.end)
            if end - start >= 2:
                return doc[start:end]
    return None


def _person_at(token: Token, people: list[LocalPerson]) -> LocalPerson | None:
    for person in people:
        if any(m.start <= token.i < m.end for m in person.mentions):
            return person
    return None


def _pronoun_referent(token: Token, people: list[LocalPerson], salient: list[tuple[int, LocalPerson]]) -> LocalPerson | None:
    """The last person before the pronoun who was a subject or a speaker, of compatible gender."""
    gender = lexicons.load("cues")["pronouns"].get(token.lower_)
    index = syntax.doc_index(token.doc)
    first_sentence_start = index.starts[max(0, index.sentence_number(token.i) - PRONOUN_WINDOW)]
    candidates = list(salient)
    for person in people:
        for m in person.mentions:
            if m.root.dep_ in syntax.SUBJECTS or m.root.dep_ == "appos" and m.root.head.dep_ in syntax.SUBJECTS:
                candidates.append((m.start, person))
    candidates = [
        (i, p) for i, p in candidates if first_sentence_start <= i < token.i and (p.gender is None or gender is None or p.gender == gender)
    ]
    return max(candidates, key=lambda x: x[0])[1] if candidates else None


def _title_holder(head: Token, people: list[LocalPerson]) -> LocalPerson | None:
    """The one person of the article whose title ends in this noun ("the minister" → the minister)."""
    if head.lemma_.lower() not in lexicons.words("titles", "heads") or head.tag_ in {"NNS", "NNPS"}:
        return None  # not a title, or a plural ("prosecutors said"): not one known person
    holders = [p for p in people if any(t.split()[-1] == head.lemma_.lower() for t in p.titles | p.disputed_titles)]
    return holders[0] if len(holders) == 1 else None


def _group_type(phrase: Span) -> str:
    text = fold(phrase.text).removeprefix("the ")
    if text in lexicons.countries():
        return "country"
    if any(e.label_ == "ORG" and e.root == phrase.root for e in syntax.ents_within(phrase)):
        return "organization"
    if phrase.root.lemma_.lower() in lexicons.words("cues", "institution_nouns"):
        return "organization"
    if any(e.label_ == "GPE" and e.root == phrase.root for e in syntax.ents_within(phrase)):
        return "country" if text in lexicons.countries() else "group"
    return "group"


def resolve_speaker(subject: Token, people: list[LocalPerson], salient: list[tuple[int, LocalPerson]]) -> Speaker:
    """Who a subject token names: a person, a pronoun's referent, a title holder or a group."""
    pronouns = lexicons.load("cues")["pronouns"]
    if subject.lower_ in pronouns:
        person = _pronoun_referent(subject, people, salient)
        if person:
            return Speaker(person.name, person, "person", subject.text, "speaker:pronoun")
        return Speaker(None, None, "unknown", subject.text, "speaker:pronoun-unresolved")
    if subject.pos_ == "PRON":
        return Speaker(None, None, "unknown", subject.text, "speaker:pronoun-unresolved")
    phrase = syntax.noun_phrase(subject)
    if person := _person_at(subject, people):
        return Speaker(person.name, person, "person", syntax.without_quote_marks(phrase.text), "speaker:subject")
    for child in subject.children:
        if child.dep_ == "appos" and (person := _person_at(child, people)):
            text = subject.doc[min(phrase.start, child.left_edge.i) : max(phrase.end, child.right_edge.i + 1)].text
            return Speaker(person.name, person, "person", text, "speaker:apposition")
    if person := _title_holder(subject, people):
        return Speaker(person.name, person, "person", phrase.text, "speaker:title")
    name = phrase.text
    for article in ("the ", "The "):
        name = name.removeprefix(article)
    return Speaker(name, None, _group_type(phrase), phrase.text, "speaker:subject")


def _claim_date(cue: Token, content: Span | None, base: date | None) -> tuple[date | None, str | None]:
    """A date attached to the cue itself ("told reporters on Wednesday")."""
    for ent in syntax.sentence_ents(cue):
        if ent.label_ not in {"DATE", "TIME"} or (content is not None and content.start <= ent.start < content.end):
            continue
        if ent.root.head == cue or ent.root.head.head == cue:
            resolved = resolve(ent.text, base, "past")
            if resolved and resolved.precision == "day" and (base is None or resolved.start <= base):  # said, not yet to say
                return resolved.start, ent.text
    return None, None


def _according_to(doc: Doc, people: list[LocalPerson], salient: list[tuple[int, LocalPerson]]) -> list[Claim]:
    """ "According to X, …" and "…, according to X": X said the rest of the sentence."""
    claims: list[Claim] = []
    if "according to" not in doc.text.lower():
        return claims
    for tok in doc:
        if tok.lower_ != "according" or tok.i + 1 >= len(doc) or doc[tok.i + 1].lower_ != "to":
            continue
        source = next((c for c in doc[tok.i + 1].children if c.dep_ == "pobj"), None)
        if source is None:
            continue
        sent = tok.sent
        phrase_end = source.right_edge.i + 1
        if tok.i - sent.start <= 1:
            start, end = syntax.strip_span(doc, phrase_end, sent.end)
        else:
            start, end = syntax.strip_span(doc, sent.start, tok.i)
        if end - start < 3:
            continue
        speaker = resolve_speaker(source, people, salient)
        speaker.rule = "speaker:according-to"
        claims.append(
            Claim(
                doc[start].idx,
                doc[end - 1].idx + len(doc[end - 1]),
                "indirect",
                tok,
                doc[tok.i : tok.i + 2].text,
                speaker,
                "indirect:according-to",
            )
        )
    return claims


def _cue_lemma(word: str, cues: dict[str, list[str]]) -> str | None:
    """The cue verb a headline word is a form of ("Says", "warns", "Slammed"), or None."""
    word = word.lower()
    irregular = lexicons.load("cues")["irregular_forms"]
    forms = [irregular.get(word, word), word[:-1], word[:-2], word[:-3] + "y", word[:-3] + "e"]
    return next((f for f in forms if f in cues), None)


def _headline_speaker(doc: Doc, start: int, end: int, people: list[LocalPerson]) -> Speaker | None:
    phrase = doc.char_span(start, end, alignment_mode="expand")
    if phrase is None or not phrase.text[:1].isupper():
        return None
    source = doc.text[start:end].strip()
    for tok in reversed(phrase):
        if person := _person_at(tok, people):
            return Speaker(person.name, person, "person", source, "speaker:headline")
    return Speaker(source, None, _group_type(phrase), source, "speaker:headline")


def _headline_claims(ann: AnnotatedArticle, people: list[LocalPerson], cues: dict[str, list[str]]) -> list[Claim]:
    """Headline attributions: "Mayor: Bridge Will Close" (headline:colon) and "Senator Says Vote
    Will Go Ahead" (headline:cue) — the source is a few words at the start of the headline."""
    end = ann.article.headline_end
    if not end:
        return []
    doc, text = ann.doc, ann.article.text[:end]
    most = lexicons.load("cues")["headline_source_words"]
    content_end = len(text.rstrip(" .!?"))
    words = list(re.finditer(r"[\w'’.-]+", text))
    if (colon := text.find(": ")) > 0 and len(text[:colon].split()) <= most:
        start = colon + 2
        speaker, rule, cue_text = _headline_speaker(doc, 0, colon, people), "headline:colon", ":"
    else:
        cue = next((w for w in words[1 : most + 1] if _cue_lemma(w.group(), cues)), None)
        if cue is None:
            return []
        start = cue.end() + 1
        if text[start:].lower().startswith("that "):
            start += 5
        speaker, rule, cue_text = _headline_speaker(doc, 0, cue.start(), people), "headline:cue", cue.group()
    if speaker is None or len(text[start:content_end].split()) < 2:
        return []
    return [Claim(start, content_end, "indirect", None, cue_text, speaker, rule)]


def _quote_type(doc: Doc, quote: Quote, text: str) -> str:
    """direct when the quote is a sentence of its own, partial when it is words inside ours."""
    inner = text[quote.start : quote.end]
    before = re.sub(r"[\s“”\"«»„‘’']+$", "", text[: quote.start])
    starts_sentence = not before or before[-1] in ".:!?,\n—–-"
    return "direct" if inner[:1].isupper() and starts_sentence or inner[:1].isdigit() and starts_sentence else "partial"


def _splits(text: str, first: Claim, second: Quote, cue: Token) -> bool:
    """The second quote continues the first across the attribution: “A,” she said, “b.”"""
    return (
        first.end < cue.idx < second.start
        and text[first.end : first.end + 1] == ","
        and text.count("\n\n", first.end, second.start) == 0
        and second.text(text)[:1].islower()
    )


def extract_claims(ann: AnnotatedArticle, people: list[LocalPerson]) -> list[Claim]:
    """All claims of one article, in text order."""
    doc, text = ann.doc, ann.article.text
    cues = _cues()
    base = ann.article.published_date
    people_starts = {m.start for p in people for m in p.mentions}
    salient: list[tuple[int, LocalPerson]] = []
    by_cue: dict[int, list[tuple[Quote, Span]]] = {}
    loose: list[tuple[Quote, Span]] = []
    for quote in pair_quotes(text):
        span = _token_span(doc, quote.start, quote.end)
        if span is None or _is_scare_quote(span, people_starts) or _is_title_of_work(span):
            continue
        cue = _cue_ancestor(span, cues) or _adjacent_cue(span, cues)
        if cue is not None:
            by_cue.setdefault(cue.i, []).append((quote, span))
        else:
            loose.append((quote, span))

    claims: list[Claim] = []
    for cue in (t for t in doc if t.lemma_ in cues and t.pos_ == "VERB"):
        quoted = by_cue.get(cue.i, [])
        subject = syntax.speaking_subject(cue, set(cues)) or _attribution_words(cue, [s for _, s in quoted], people)
        if subject is None or subject.dep_ == "nsubjpass":
            continue  # passive or subjectless: nobody is said to speak
        frames = cues[cue.lemma_]
        content = _content(cue, [f for f in frames if f != "quote"])
        speaker = resolve_speaker(subject, people, salient)
        # "told reporters on Monday" dates the telling; in "called for a march on Thursday" the date is the march's
        reports = "ccomp" in frames or bool(quoted)
        when, when_text = _claim_date(cue, content, base) if reports else (None, None)
        if speaker.person:
            salient.append((subject.i, speaker.person))
        quote_tokens = sum(len([t for t in s if not t.is_punct]) for _, s in quoted)
        content_tokens = len([t for t in content if not t.is_punct]) if content is not None else 0
        if quoted and (
            content is None
            or quote_tokens >= PARTIAL_SHARE * content_tokens
            or not all(content.start <= s.start and s.end <= content.end for _, s in quoted)
        ):
            previous: Claim | None = None
            for quote, _ in quoted:
                kind, rule = _quote_type(doc, quote, text), None
                if previous is not None and _splits(text, previous, quote, cue):
                    kind, rule = previous.quote_type, "quote:split"  # “The reforms,” she said, “will go on.”
                previous = Claim(quote.start, quote.end, kind, cue, cue.text, speaker, rule or f"quote:{kind}", when, when_text)
                claims.append(previous)
        elif content is not None:
            rule = "indirect:with-quote" if quoted else f"indirect:{cue.lemma_}"
            end_char = content[-1].idx + len(content[-1])
            claims.append(Claim(content[0].idx, end_char, "indirect", cue, cue.text, speaker, rule, when, when_text))

    claims.extend(_according_to(doc, people, salient))
    if not any(c.start < ann.article.headline_end for c in claims):
        claims.extend(_headline_claims(ann, people, cues))
    claims.sort(key=lambda c: c.start)
    for quote, _span in reversed([q for q in loose if q[0].runs_on]):
        # a paragraph of a multi-paragraph quote is said by whoever says the next part
        nxt = min((c for c in claims if c.quote_type != "indirect" and c.start > quote.end), key=lambda c: c.start, default=None)
        if nxt is not None and text.count("\n\n", quote.end, nxt.start) == 1:
            kind = _quote_type(doc, quote, text)
            claims.append(Claim(quote.start, quote.end, kind, None, None, nxt.speaker, "quote:multi-paragraph", nxt.date, nxt.date_text))
            claims.sort(key=lambda c: c.start)
    for quote, _span in (q for q in loose if not q[0].runs_on):
        # a quote without a cue continues the previous quote of its paragraph (same speaker)
        before = [c for c in claims if c.quote_type != "indirect" and c.end <= quote.start and text.count("\n\n", c.end, quote.start) == 0]
        if before and _quote_type(doc, quote, text) == "direct":
            last = before[-1]
            claims.append(
                Claim(quote.start, quote.end, "direct", None, None, last.speaker, "quote:continuation", last.date, last.date_text)
            )
    claims.sort(key=lambda c: c.start)
    unique: dict[tuple[int, int], Claim] = {}
    for claim in claims:
        unique.setdefault((claim.start, claim.end), claim)
    return list(unique.values())
