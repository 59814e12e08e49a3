"""Claims: who said what — direct and partial quotes and reported speech.

A claim is found from a cue (a speech verb from lexicons/cues.yaml, or
"according to"). Each quotation is attached to the nearest cue that governs
it in the parse, or to a cue right after or before it; a quote with no cue
continues the previous quote of its paragraph. Cues without quotes give
reported speech from the frames the lexicon lists for the verb. Speakers
are the cue's subject, resolved to a person where the text allows
(speakers.py).

Two ordered rule lists make the claims: REPORT_RULES turn each cue's report
(its quotes, content and speaker) into claims — the first rule that applies
decides — and ARTICLE_RULES then add what needs the whole article.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from spacy.tokens import Doc, Span, Token

from flows import lexicons, rules
from flows.dates import resolve
from flows.extract import frames, syntax
from flows.extract.context import ArticleContext
from flows.extract.quotes import Quote, pair_quotes
from flows.extract.speakers import Speaker, group_type, resolve_speaker
from flows.rules import rule

PARTIAL_SHARE = 0.75  # a quote this share of its clause or more is reported as the claim itself
SCARE_MAX_TOKENS = 3
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
    after = [t for t in span.doc[span.end : min(sent.end, span.end + ADJACENT_TOKENS)] if t.lemma_ in cues and t.pos_ == "VERB"]
    if after:
        return after[0]
    sent = span.doc[span.start].sent
    before = [t for t in span.doc[max(sent.start, span.start - ADJACENT_TOKENS) : span.start] if t.lemma_ in cues and t.pos_ == "VERB"]
    return before[-1] if before else None


def _attribution_words(cue: Token, quotes: list[Span], ctx: ArticleContext) -> Token | None:
    """When the parse gives the cue no subject, the speaker is written between the
    quote and the cue (“…,” the chairwoman, X, told) or right after the cue (“…,” said X)."""
    if not quotes:
        return None
    doc = cue.doc
    last_end = max(s.end for s in quotes)
    window = doc[last_end : cue.i] if last_end <= cue.i else doc[cue.i + 1 : cue.sent.end]
    for tok in window:
        if (mention := ctx.mention_at(tok)) is not None:
            return mention.root
    animate = [t for t in window if t.pos_ in {"NOUN", "PROPN", "PRON"} and syntax.is_animate(t)]
    return animate[-1] if animate else None


def _claim_date(cue: Token, content: Span | None, ctx: ArticleContext) -> tuple[date | None, str | None]:
    """A date attached to the cue itself ("told reporters on Wednesday")."""
    for ent in ctx.sentence_ents(cue):
        if ent.label_ not in {"DATE", "TIME"} or (content is not None and content.start <= ent.start < content.end):
            continue
        if ent.root.head == cue or ent.root.head.head == cue:
            resolved = resolve(ent.text, ctx.published, "past")
            if (
                resolved and resolved.precision == "day" and (ctx.published is None or resolved.start <= ctx.published)
            ):  # said, not yet to say
                return resolved.start, ent.text
    return None, None


@rule("quote:after-colon", "claims.rule")
def introducing_verb(span: Span) -> Token | None:
    """The senator released a statement:¶“We will appeal.”: a quote after a colon is said by the subject of the sentence the colon ends."""
    doc, before = span.doc, span.start - 1
    while before >= 0 and (doc[before].is_space or syntax.is_quote_mark(doc[before])):
        before -= 1
    if before < 0 or doc[before].text != ":":
        return None
    verb = doc[before].sent.root
    return verb if verb.pos_ == "VERB" and syntax.subject(verb) is not None and verb.i < before else None


def attach_quotes(ctx: ArticleContext, cues: dict[str, list[str]]) -> tuple[dict[int, list[Quoted]], list[Quoted]]:
    """Every quote that is a statement (not a scare quote or a title), by the cue that governs
    it, and the quotes no cue governs."""
    people_starts = {m.start for p in ctx.people for m in p.mentions}
    by_cue: dict[int, list[Quoted]] = {}
    loose: list[Quoted] = []
    for quote in pair_quotes(ctx.text):
        span = _token_span(ctx.doc, quote.start, quote.end)
        if span is None or _is_scare_quote(span, people_starts) or _is_title_of_work(span):
            continue
        cue = _cue_ancestor(span, cues) or _adjacent_cue(span, cues)
        if cue is None and rules.is_on("quote:after-colon"):
            cue = introducing_verb(span)
        if cue is not None:
            by_cue.setdefault(cue.i, []).append((quote, span))
        else:
            loose.append((quote, span))
    return by_cue, loose


NO_SOURCE = Speaker(None, None, "none", None, "none")  # a hedge: "the plan seems to work"


def _source(cue: Token, quoted: list[Quoted], ctx: ArticleContext, cues: dict[str, list[str]]) -> Token | None:
    """Who speaks: the cue's subject (any subject for an evidence verb: "the data show"), or the
    words around a quote; None when nobody is said to speak (passive, subjectless)."""
    if frames.cue_family(cue.lemma_) == "evidence" and (found := syntax.subject(cue)) is not None:
        return None if found.dep_ == "nsubjpass" else found
    subject = syntax.speaking_subject(cue, set(cues)) or _attribution_words(cue, [s for _, s in quoted], ctx)
    return None if subject is None or subject.dep_ == "nsubjpass" else subject


def _sourceless(cue: Token, quoted: list[Quoted], ctx: ArticleContext, cues: dict[str, list[str]]) -> Report | None:
    """A hedge or an agentless passive cue ("is expected to …"): the clause with no speaker,
    or the agent of "by X" as the speaker."""
    if quoted or not (sourceless := [f for f in cues.get(cue.lemma_, []) if f in frames.SOURCELESS]):
        return None
    found = frames.content(cue, sourceless)
    if found is None:
        return None
    agent = frames.passive_agent(cue)
    speaker = resolve_speaker(agent, ctx) if agent is not None else NO_SOURCE
    return Report(cue, speaker, [], found[1], None, None, found[0])


def _around_quotes(cue: Token, quoted: list[Quoted]) -> Span | None:
    """Words right of the cue that hold all its quotes ("calls the plan “stupid”"): the clause a
    short quote sits in, when no frame found one."""
    found = frames.object_frame(cue)
    if found is None or not all(_within(s, found) for _, s in quoted):
        return None
    return found


MODALS = {"will", "would", "shall", "could", "might", "may", "should", "must", "can", "'ll", "wo", "ca"}


@rule("indirect:unsaid", "claims.rule", "(drops a claim)")
def unsaid(cue: Token) -> bool:
    """the government would ask a court to suspend it, she did not say: speech that is only planned, possible or denied is no claim."""
    if frames.cue_family(cue.lemma_) not in {"speech", "intention"}:
        return False  # "I would think", "they may want": beliefs and wishes stand with a modal
    return any(c.dep_ == "aux" and c.lower_ in MODALS or c.dep_ == "neg" for c in cue.children)


def cue_reports(ctx: ArticleContext, by_cue: dict[int, list[Quoted]], cues: dict[str, list[str]]) -> list[Report]:
    """A report for every cue verb with a source (or a hedge with none), in text order; each
    speaker found joins `ctx.salient` for the pronouns after it."""
    reports = []
    for cue in (t for t in ctx.doc if t.lemma_ in cues and t.pos_ == "VERB" or t.i in by_cue):
        quoted = by_cue.get(cue.i, [])
        if (sourceless := _sourceless(cue, quoted, ctx, cues)) is not None:
            reports.append(sourceless)
            continue
        subject = _source(cue, quoted, ctx, cues)
        if subject is None or not quoted and rules.is_on("indirect:unsaid") and unsaid(cue):
            continue
        skip = {"quote", "parenthetical"} if quoted else {"quote"}  # “A,” she said, “B.”: the quotes are the content
        found = frames.content(cue, [f for f in cues.get(cue.lemma_, []) if f not in skip and f not in frames.SOURCELESS])
        frame, content = found if found else (None, None)
        if quoted and content is None:
            content = _around_quotes(cue, quoted)
        speaker = resolve_speaker(subject, ctx)
        # "told reporters on Monday" dates the telling; in "called for a march on Thursday" the date is the march's
        reports_speech = frame in {"ccomp", "wh"} or bool(quoted)
        when, when_text = _claim_date(cue, content, ctx) if reports_speech else (None, None)
        if speaker.person:
            ctx.salient.append((subject.i, speaker.person))
        reports.append(Report(cue, speaker, quoted, content, when, when_text, frame))
    return reports


def _quotes_carry_it(report: Report) -> bool:
    """The quotes are the claim: there is no content, or they make up much of it, or they lie outside it."""
    content = report.content
    if not report.quoted:
        return False
    if content is None:
        return True
    quote_tokens = sum(len([t for t in s if not t.is_punct]) for _, s in report.quoted)
    content_tokens = len([t for t in content if not t.is_punct])
    return quote_tokens >= PARTIAL_SHARE * content_tokens or not all(_within(s, content) for _, s in report.quoted)


def _within(quote: Span, content: Span) -> bool:
    """Do the quote's words lie inside the content (punctuation at the quote's edges aside)?"""
    words = [t.i for t in quote if not t.is_punct] or [quote.start]
    return content.start <= words[0] and words[-1] < content.end


def _quote_type(doc: Doc, quote: Quote, text: str) -> str:
    """direct when the quote is a sentence of its own, partial when it is words inside ours."""
    inner = text[quote.start : quote.end]
    before = re.sub(r"[\s“”\"«»„‘’']+$", "", text[: quote.start])
    starts_sentence = not before or before[-1] in ".:!?,\n—–-"
    return "direct" if inner[:1].isupper() and starts_sentence or inner[:1].isdigit() and starts_sentence else "partial"


@rule("quote:split", "claims.rule")
def split_quote(text: str, first: Claim, second: Quote, cue: Token) -> bool:
    """“The reforms,” she said, “will go on.”: the second quote continues the first across the attribution."""
    return (
        first.end < cue.idx < second.start
        and text[first.end : first.end + 1] == ","
        and text.count("\n\n", first.end, second.start) == 0
        and second.text(text)[:1].islower()
    )


@rule("quote:attributed", "claims.rule", "quote:direct", "quote:partial")
def quoted_speech(report: Report, speech: Speech) -> list[Claim] | None:
    """“We will appeal,” she said: each quote a speech verb governs, direct or partial."""
    if not _quotes_carry_it(report):
        return None
    doc, text, claims = speech.ctx.doc, speech.ctx.text, []
    splits = rules.is_on("quote:split")
    previous: Claim | None = None
    for quote, _ in report.quoted:
        kind, name = _quote_type(doc, quote, text), None
        joins = None
        if splits and previous is not None and split_quote(text, previous, quote, report.cue):
            kind, name, joins = previous.quote_type, "quote:split", previous
        piece = Claim(
            quote.start,
            quote.end,
            kind,
            report.cue,
            report.cue.text,
            report.speaker,
            name or (f"quote:{kind}" if report.cue.lemma_ in frames.cue_verbs() else "quote:after-colon"),
            report.when,
            report.when_text,
            joins=joins,
            quoted=[(quote.start, quote.end)],
        )
        claims.append(piece)
        previous = piece
    return claims


def _char_span(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    """Character bounds of tokens [start, end) without edge punctuation (None if nothing is left)."""
    start, end = syntax.strip_span(doc, start, end)
    return (doc[start].idx, doc[end - 1].idx + len(doc[end - 1])) if end > start else None


def _indirect(report: Report, name: str) -> list[Claim]:
    """The report's content as one claim; content around its own cue ("A, she said, B") is two fragments."""
    content, cue, doc = report.content, report.cue, report.cue.doc
    assert content is not None
    around = [cue.left_edge.i, cue.right_edge.i + 1]
    if content.start < around[0] and around[1] < content.end:
        pieces = [p for p in (_char_span(doc, content.start, around[0]), _char_span(doc, around[1], content.end)) if p]
    else:
        pieces = [(content[0].idx, content[-1].idx + len(content[-1]))]
    claim = Claim(pieces[0][0], pieces[-1][1], "indirect", cue, cue.text, report.speaker, name, report.when, report.when_text)
    claim.fragments = pieces if len(pieces) > 1 else []
    return [claim]


@rule("quote:mixed", "claims.rule")
def reported_with_quote(report: Report, speech: Speech) -> list[Claim] | None:
    """he said the plan was “dead on arrival”: the reported clause with its quoted words is one partial claim."""
    if not report.quoted or report.content is None or _quotes_carry_it(report):
        return None
    claims = _indirect(report, "quote:mixed")
    claims[0].quote_type, claims[0].quoted = "partial", [(q.start, q.end) for q, _ in report.quoted]
    return claims


@rule("indirect:frame", "claims.rule", "<the frame rule that found the content>")
def reported_speech(report: Report, speech: Speech) -> list[Claim] | None:
    """she said that the talks had failed: the content one of the cue's frames finds (the frame names the value)."""
    if report.quoted or report.content is None or report.frame is None:
        return None
    if report.frame == "passive" and report.speaker is not NO_SOURCE:
        return _indirect(report, "indirect:passive")  # "is expected by analysts to …"
    return _indirect(report, rules.name_of(frames.FRAMES[report.frame]))


REPORT_RULES: tuple[Callable[[Report, Speech], list[Claim] | None], ...] = (quoted_speech, reported_with_quote, reported_speech)


@rule("indirect:according-to", "claims.rule (and speaker_rule speaker:according-to)", "indirect:according-to", "speaker:according-to")
def according_to(speech: Speech) -> list[Claim]:
    """ "According to X, …" and "…, according to X": X said the rest of the sentence."""
    ctx, doc = speech.ctx, speech.ctx.doc
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
        before, after = _char_span(doc, sent.start, tok.i), _char_span(doc, phrase_end, sent.end)
        if tok.i - sent.start <= 1:
            pieces = [after]
        elif after is not None and doc[phrase_end].text == "," and len(doc[phrase_end : sent.end]) > 3:
            pieces = [before, after]  # "The plan, according to X, will fail": the sentence around the phrase
        else:
            pieces = [before]
        found = [p for p in pieces if p is not None]
        if not found or len(doc.text[found[0][0] : found[-1][1]].split()) < 3:
            continue
        speaker = resolve_speaker(source, ctx)
        speaker.rule = "speaker:according-to"
        claim = Claim(found[0][0], found[-1][1], "indirect", tok, doc[tok.i : tok.i + 2].text, speaker, "indirect:according-to")
        claim.fragments = found if len(found) > 1 else []
        claims.append(claim)
    return claims


def _noun_content(noun: Token) -> Token | None:
    """The that-clause or infinitive a cue noun takes ("the claim that …", "a plan to …"), not a
    relative clause ("the claim that he made")."""
    for clause in noun.children:
        if clause.dep_ not in {"acl", "ccomp", "relcl"} or clause.i < noun.i:
            continue
        if any(c.dep_ == "mark" and c.lower_ == "that" for c in clause.children):
            return clause
        if clause.dep_ == "acl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in clause.children):
            return clause
    return None


def _noun_source(noun: Token) -> Token | None:
    """Whose claim it is: the possessor ("the mayor's claim", "his plan") or "by X"."""
    poss = next((c for c in noun.children if c.dep_ == "poss"), None)
    if poss is not None:
        return poss
    by = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "by"), None)
    return next((c for c in by.children if c.dep_ == "pobj"), None) if by is not None else None


@rule("indirect:noun", "claims.rule")
def noun_cue(speech: Speech) -> list[Claim]:
    """the mayor's claim that the bridge was safe, his plan to close it: a cue noun's clause, said by its possessor."""
    ctx, claims = speech.ctx, []
    nouns = {lemma for family in lexicons.load("cues")["noun_cues"].values() for lemma in family}
    for noun in (t for t in ctx.doc if t.pos_ == "NOUN" and t.lemma_ in nouns):
        clause, source = _noun_content(noun), _noun_source(noun)
        if clause is None or source is None:
            continue
        start, end = syntax.strip_span(ctx.doc, clause.left_edge.i, clause.right_edge.i + 1)
        if end - start < 3:
            continue
        end_char = ctx.doc[end - 1].idx + len(ctx.doc[end - 1])
        claims.append(Claim(ctx.doc[start].idx, end_char, "indirect", noun, noun.text, resolve_speaker(source, ctx), "indirect:noun"))
    return claims


@rule("indirect:in-source", "claims.rule (and speaker_rule speaker:in-source)", "indirect:in-source", "speaker:in-source")
def source_phrase(speech: Speech) -> list[Claim]:
    """In a survey released on Monday, most voters backed the plan: the poll, interview or report opening the sentence said the rest."""
    ctx, claims = speech.ctx, []
    sources = lexicons.words("cues", "source_nouns")
    for sent in ctx.sentences:
        first = sent[0] if len(sent) else None
        if first is None or first.lower_ not in {"in", "from"} or first.dep_ != "prep":
            continue
        noun = next((c for c in first.children if c.dep_ == "pobj"), None)
        if noun is None or noun.lemma_.lower() not in sources or any(sent.start_char <= c.start < sent.end_char for c in speech.claims):
            continue
        comma = noun.right_edge.i + 1
        if comma >= sent.end or ctx.doc[comma].text != ",":
            continue
        start, end = syntax.strip_span(ctx.doc, comma + 1, sent.end)
        if end - start < 3:
            continue
        speaker = resolve_speaker(noun, ctx)
        speaker.rule = "speaker:in-source"
        end_char = ctx.doc[end - 1].idx + len(ctx.doc[end - 1])
        claims.append(Claim(ctx.doc[start].idx, end_char, "indirect", first, first.text, speaker, "indirect:in-source"))
    return claims


def _cue_lemma(word: str, cues: dict[str, list[str]]) -> str | None:
    """The cue verb a headline word is a form of ("Says", "warns", "Slammed"), or None."""
    return syntax.verb_lemma(word, cues.keys())


@rule("speaker:headline", "claims.speaker_rule")
def headline_speaker(doc: Doc, start: int, end: int, ctx: ArticleContext) -> Speaker | None:
    """ "Mayor Ana Horvat: …", "Ministry Says …": the capitalised words opening the headline are the source."""
    phrase = doc.char_span(start, end, alignment_mode="expand")
    if phrase is None or not phrase.text[:1].isupper():
        return None
    source = doc.text[start:end].strip()
    for tok in reversed(phrase):
        if person := ctx.person_at(tok):
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


@rule("quote:multi-paragraph", "claims.rule")
def multi_paragraph_quote(speech: Speech) -> list[Claim]:
    """“… (no closing mark) / “…,” she said: a paragraph of a multi-paragraph quote is said by whoever says the next part."""
    text, doc = speech.ctx.text, speech.ctx.doc
    claims, added = list(speech.claims), []
    for quote, _span in reversed([q for q in speech.loose if q[0].runs_on]):
        nxt = min((c for c in claims if c.quote_type != "indirect" and c.start > quote.end), key=lambda c: c.start, default=None)
        if nxt is not None and text.count("\n\n", quote.end, nxt.start) == 1:
            kind = _quote_type(doc, quote, text)
            claim = Claim(
                quote.start,
                quote.end,
                kind,
                None,
                None,
                nxt.speaker,
                "quote:multi-paragraph",
                nxt.date,
                nxt.date_text,
                quoted=[(quote.start, quote.end)],
            )
            if nxt.joins is None:  # the paragraphs are one quote: the later part joins the earlier
                nxt.joins = claim
            else:
                claim.joins = nxt
            claims.append(claim)
            added.append(claim)
    return added


@rule("quote:continuation", "claims.rule")
def continued_quote(speech: Speech) -> list[Claim]:
    """“…,” she said. “It will not happen again.”: a quote with no cue continues the last quote of its paragraph."""
    text, doc = speech.ctx.text, speech.ctx.doc
    claims, added = list(speech.claims), []
    for quote, _span in (q for q in speech.loose if not q[0].runs_on):
        before = [c for c in claims if c.quote_type != "indirect" and c.end <= quote.start and text.count("\n\n", c.end, quote.start) == 0]
        if before and _quote_type(doc, quote, text) == "direct":
            last = before[-1]
            claim = Claim(
                quote.start,
                quote.end,
                "direct",
                None,
                None,
                last.speaker,
                "quote:continuation",
                last.date,
                last.date_text,
                joins=last,
                quoted=[(quote.start, quote.end)],
            )
            claims.append(claim)
            added.append(claim)
    return added


def _whole_paragraph(text: str, start: int, end: int) -> bool:
    """Is text[start:end] all of its paragraph, quotation marks and punctuation aside?"""
    opening = text.rfind("\n\n", 0, start)
    closing = text.find("\n\n", end)
    edges = text[opening + 2 if opening >= 0 else 0 : start] + text[end : closing if closing >= 0 else len(text)]
    return not any(c.isalnum() for c in edges)


@rule("quote:next-paragraph", "claims.rule")
def next_paragraph_quote(speech: Speech) -> list[Claim]:
    """“We will appeal,” she said.¶“And we will win.”: a paragraph of one quote goes on with the claim ending the paragraph before."""
    text, claims, added = speech.ctx.text, list(speech.claims), []
    for quote, _span in (q for q in speech.loose if not q[0].runs_on):
        if any(c.start <= quote.start < c.end for c in claims) or not _whole_paragraph(text, quote.start, quote.end):
            continue
        before = [c for c in claims if c.end <= quote.start]
        last = max(before, key=lambda c: c.end, default=None)
        if last is None or text.count("\n\n", last.end, quote.start) != 1 or last.rule.startswith("headline"):
            continue
        rest = text[last.end : text.find("\n\n", last.end)]
        if len(rest.split()) > ADJACENT_TOKENS or any(m in rest[2:] for m in syntax.QUOTE_CHARS):
            continue  # the paragraph before goes on after its claim: the new paragraph is not its continuation
        claim = Claim(quote.start, quote.end, "direct", None, None, last.speaker, "quote:next-paragraph", last.date, last.date_text)
        claim.joins, claim.quoted = last, [(quote.start, quote.end)]
        claims.append(claim)
        added.append(claim)
    return added


ARTICLE_RULES: tuple[Callable[[Speech], list[Claim]], ...] = (
    according_to,
    source_phrase,
    noun_cue,
    headline_colon,
    headline_cue,
    multi_paragraph_quote,
    continued_quote,
    next_paragraph_quote,
)


def extract_claims(ctx: ArticleContext) -> list[Claim]:
    """All claims of one article, in text order (one claim per span: the first rule's)."""
    cues = frames.cue_verbs()
    by_cue, loose = attach_quotes(ctx, cues)
    speech = Speech(ctx, cue_reports(ctx, by_cue, cues), loose)
    report_rules = rules.active(REPORT_RULES)
    for report in speech.reports:
        speech.claims += next((found for r in report_rules if (found := r(report, speech)) is not None), [])
    for article_rule in rules.active(ARTICLE_RULES):
        speech.claims += article_rule(speech)
        speech.claims.sort(key=lambda c: c.start)
    unique: dict[tuple[int, int], Claim] = {}
    for claim in speech.claims:
        unique.setdefault((claim.start, claim.end), claim)
    return join_pieces(outside_quotes(list(unique.values())))


@rule("indirect:outside-quotes", "claims.rule", "(drops a claim)")
def outside_quotes(claims: list[Claim]) -> list[Claim]:
    """“I think we will win,” she said: a cue inside a quotation is part of what was quoted, not a claim of its own."""
    if not rules.is_on("indirect:outside-quotes"):
        return claims
    quoted = [(c.start, c.end) for c in claims if c.quote_type != "indirect"]
    return [c for c in claims if c.quote_type != "indirect" or not any(a <= c.start and c.end <= b for a, b in quoted)]


def claim_family(claim: Claim) -> str:
    """The cue's family (lexicons/cues.yaml): speech for quotes, "according to" and headline colons."""
    if claim.speaker is NO_SOURCE:
        return "hedge"
    if claim.rule in {"indirect:noun", "indirect:in-source"} and claim.cue is not None:
        pobj = next((c for c in claim.cue.children if c.dep_ == "pobj"), claim.cue)
        noun = claim.cue.lemma_ if claim.rule == "indirect:noun" else pobj.lemma_.lower()
        return next((f for f, nouns in lexicons.load("cues")["noun_cues"].items() if noun in nouns), "speech")
    lemma = claim.cue.lemma_ if claim.cue is not None else syntax.verb_lemma(claim.cue_text or "", frames.cue_verbs().keys())
    return (frames.cue_family(lemma) if lemma else None) or "speech"


def _first_piece(claim: Claim) -> Claim:
    seen = set()
    while claim.joins is not None and id(claim) not in seen:
        seen.add(id(claim))
        claim = claim.joins
    return claim


def join_pieces(claims: list[Claim]) -> list[Claim]:
    """One claim per attribution: the pieces of a quote split around its cue or running on over
    sentences and paragraphs become one claim whose `fragments` are the pieces. It keeps the
    first piece's kind and the speaker and cue of the piece that has a cue; its rule is the rule
    that joined the pieces."""
    groups: dict[int, list[Claim]] = {}
    for claim in claims:
        groups.setdefault(id(_first_piece(claim)), []).append(claim)
    joined = []
    for pieces in groups.values():
        pieces.sort(key=lambda c: c.start)
        if len(pieces) == 1:
            joined.append(pieces[0])
            continue
        first, cued = pieces[0], next((c for c in pieces if c.cue is not None), pieces[0])
        joining = {rules.name_of(r) for r in (split_quote, multi_paragraph_quote, continued_quote, next_paragraph_quote)}
        joiner = next((c for c in pieces if c.rule in joining), cued)
        joined.append(
            Claim(
                first.start,
                max(c.end for c in pieces),
                first.quote_type,
                cued.cue,
                cued.cue_text,
                cued.speaker,
                joiner.rule,
                cued.date,
                cued.date_text,
                fragments=[(c.start, c.end) for c in pieces],
                quoted=[q for c in pieces for q in c.quoted],
            )
        )
    return sorted(joined, key=lambda c: c.start)
