"""Claims: who said, thought, found or intended what — quotes, reported speech, beliefs,
evidence, intentions and hedges.

A claim is found from a cue: a verb of lexicons/cues.yaml (with its family and
the frames it takes), "according to", a cue noun or a source opening the
sentence (sources.py), or a headline (headlines.py). Each quotation is
attached to the nearest cue that governs it in the parse, or to a cue right
after or before it, or to the sentence a colon ends. A cue's content comes
from the first of its frames that finds some (frames.py). Speakers are the
cue's subject, resolved to a person where the text allows (speakers.py); a
hedge has none.

Two ordered rule lists make the claims: REPORT_RULES turn each cue's report
(its quotes, content and speaker) into claims — the first rule that applies
decides — and ARTICLE_RULES then add what needs the whole article. Last, the
pieces of one attribution become one claim (pieces.py).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from spacy.tokens import Doc, Span, Token

from flows import lexicons, rules
from flows.dates import resolve
from flows.extract import frames, syntax
from flows.extract.attribution import ADJACENT_TOKENS, NO_SOURCE, UNKNOWN_SOURCE, Claim, Quoted, Report, Speech, char_span, quote_type_of
from flows.extract.context import ArticleContext
from flows.extract.headlines import headline_colon, headline_cue
from flows.extract.hedges import hedge_adverb, impersonal_adjective
from flows.extract.pieces import continued_quote, join_pieces, multi_paragraph_quote, next_paragraph_quote, split_quote
from flows.extract.quotes import pair_quotes
from flows.extract.sources import according_to, adjective_cue, noun_cue, perspective, source_phrase, speaker_label
from flows.extract.speakers import Speaker, resolve_speaker
from flows.rules import rule

SAID_X_TOKENS = 6  # "…, said the union leader Mihai Pop": how far after the cue its speaker may be written
BARE_ATTRIBUTION_WORDS = 5  # “We will appeal.” the mayor, Ana Horvat, said.: at most this many words say who spoke
PARTIAL_SHARE = 0.75  # a quote this share of its clause or more is reported as the claim itself

SCARE_MAX_TOKENS = 3


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


def _is_cue_verb(tok: Token, cues: dict[str, list[str]]) -> bool:
    return tok.lemma_ in cues and tok.pos_ == "VERB"


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
            if _is_cue_verb(node, cues) and "quote" in cues[node.lemma_]:
                if best is None or depth < best[0]:
                    best = (depth, node)
                break
    return best[1] if best else None


def _adjacent_cue(span: Span, cues: dict[str, list[str]]) -> Token | None:
    """A speech verb just after the quote (“…,” he said) or just before it (he said: “…”)."""
    doc = span.doc
    sent = doc[span.end - 1].sent
    after = [t for t in doc[span.end : min(sent.end, span.end + ADJACENT_TOKENS)] if _is_cue_verb(t, cues)]
    if after:
        return after[0]
    if (cue := _attribution_sentence(span, cues)) is not None:
        return cue
    sent = doc[span.start].sent
    before = [t for t in doc[max(sent.start, span.start - ADJACENT_TOKENS) : span.start] if _is_cue_verb(t, cues)]
    return before[-1] if before else None


@rule("quote:attribution-sentence", "claims.rule")
def _attribution_sentence(span: Span, cues: dict[str, list[str]]) -> Token | None:
    """“We need a new mayor now!” Lenz said on the radio. — a quote ending in ! or ? that the parser
    ends a sentence with: the short sentence right after it, a cue with no clause of its own, is its attribution;
    after a full stop only a sentence of a few words that says nothing else is (“We will appeal.” Lenz said.)."""
    doc, end = span.doc, span.end
    while end < len(doc) and syntax.is_quote_mark(doc[end]):
        end += 1
    if not rules.is_on("quote:attribution-sentence") or end >= len(doc) or doc[end - 1].sent.end != end:
        return None
    if doc[end].is_space:
        return None  # a paragraph break closes the speech
    exclaims = any(c in span.text[-2:] for c in "!?")
    if not exclaims and len([t for t in doc[end].sent if not t.is_punct]) > BARE_ATTRIBUTION_WORDS:
        return None  # a quote that ends in a full stop is attributed only by a sentence that says nothing else (“…” Lenz said.)
    for tok in doc[end : min(doc[end].sent.end, end + ADJACENT_TOKENS)]:
        if _is_cue_verb(tok, cues):
            return None if any(c.dep_ in {"ccomp", "xcomp", "dobj"} for c in tok.children) else tok
    return None


def _attribution_words(cue: Token, quotes: list[Span], ctx: ArticleContext) -> Token | None:
    """When the parse gives the cue no subject, the speaker is written between the
    quote and the cue (“…,” the chairwoman, X, told) or right after the cue (“…,” said X,
    “…,” added a dock worker — which the parser may read as the cue's object)."""
    if not quotes:
        return None
    doc = cue.doc
    before = [s.end for s in quotes if s.end <= cue.i]  # “A,” Dorn said, “B”: the words after A, not after B
    after = [s.start for s in quotes if s.start > cue.i]
    following = doc[cue.i + 1 : min([*after, cue.sent.end, cue.i + 1 + SAID_X_TOKENS])]
    windows = [doc[max(before) : cue.i], following] if before else [following]
    return next((found for window in windows if (found := _speaker_in(window, cue, ctx)) is not None), None)


def _speaker_in(window: Span, cue: Token, ctx: ArticleContext) -> Token | None:
    """A person mentioned in the words, else the last noun that can speak, else a noun the cue
    takes as its object right after it (“…,” added another delegate)."""
    for tok in window:
        if (mention := ctx.mention_at(tok)) is not None:
            return mention.root
    animate = [t for t in window if t.pos_ in {"NOUN", "PROPN", "PRON"} and syntax.is_animate(t)]
    if animate:
        return animate[-1]
    return next((t for t in window if t.head == cue and t.dep_ in {"dobj", "attr"} and t.pos_ in {"NOUN", "PROPN"}), None)


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


def _answered(span: Span, cues: dict[str, list[str]]) -> bool:
    """“Lisbon,” he answered. / “Never!” she added: a cue right after a short quote ending in , ! or ? makes it speech, not a title."""
    doc, end = span.doc, span.end
    after = doc[end - 1 : min(len(doc), end + 2)].text  # the span's text, not doc.text: that joins every token each time
    if not any(p in after for p in ",!?"):
        return False
    window = [t for t in doc[end : min(len(doc), end + 5)] if not t.is_punct]
    return any(_is_cue_verb(t, cues) for t in window[:3])


def attach_quotes(ctx: ArticleContext, cues: dict[str, list[str]]) -> tuple[dict[int, list[Quoted]], list[Quoted]]:
    """Every quote that is a statement (not a scare quote or a title), by the cue that governs
    it, and the quotes no cue governs."""
    people_starts = {m.start for p in ctx.people for m in p.mentions}
    by_cue: dict[int, list[Quoted]] = {}
    loose: list[Quoted] = []
    for quote in pair_quotes(ctx.text):
        span = _token_span(ctx.doc, quote.start, quote.end)
        if span is None or _is_scare_quote(span, people_starts) or _is_title_of_work(span) and not _answered(span, cues):
            continue
        cue = _cue_ancestor(span, cues) or _adjacent_cue(span, cues)
        if cue is None and rules.is_on("quote:after-colon"):
            cue = introducing_verb(span)
        if cue is not None:
            by_cue.setdefault(cue.i, []).append((quote, span))
        else:
            loose.append((quote, span))
    return by_cue, loose


def _source(cue: Token, quoted: list[Quoted], ctx: ArticleContext, cues: dict[str, list[str]]) -> Token | None:
    """Who speaks: the cue's subject (any subject for an evidence verb: "the data show"), or the
    words around a quote; None when nobody is said to speak (passive, subjectless)."""
    if frames.cue_family(cue.lemma_) == "evidence" and (found := syntax.subject(cue)) is not None:
        return None if found.dep_ == "nsubjpass" else found
    spans = [s for _, s in quoted]
    subject = syntax.speaking_subject(cue, set(cues))
    if subject is not None and _inside(subject, spans):
        # “Some people get carried away,” she told the crowd: words inside the quote never speak it, but a
        # second subject outside it does (“I admire Senator X,” Dorn said, “…”: the parser gives "said" both)
        subject = next((c for c in cue.children if c.dep_ in syntax.SUBJECTS and not _inside(c, spans)), None)
    subject = subject or _attribution_words(cue, spans, ctx)
    # "she was asked by the host whether …": the host asks
    passive = subject is not None and subject.dep_ == "nsubjpass" and (subject.head != cue or frames.is_passive(cue))
    if subject is not None and passive and not _active_after_passive(cue, subject, cues):
        return frames.passive_agent(cue) if frames.cue_family(cue.lemma_) == "speech" else None
    return subject


def _inside(tok: Token, spans: list[Span]) -> bool:
    return any(s.start <= tok.i < s.end for s in spans)


def _active_after_passive(cue: Token, subject: Token, cues: dict[str, list[str]]) -> bool:
    """An active cue whose subject is a passive verb's, when that can speak: coordinated and finite
    ("Horvat was joined on stage by Lenz and joked, “…”" — not a participle: "Lenz was asked about
    the mayor calling …" is the mayor's call), or governed by the passive ("Lenz was prompted to say",
    "Horvat was quoted as saying"), unless the passive is a cue of its own ("was asked to explain", "is expected to announce")."""
    if not syntax.can_speak(subject) or subject.head == cue or any(c.dep_ == "auxpass" for c in cue.children):
        return False
    finite_conjunct = cue.dep_ == "conj" and cue.tag_ in {"VBD", "VBZ", "VBP"}
    governor = cue.head.head if cue.dep_ == "pcomp" and cue.head.lower_ == "as" else cue.head if cue.dep_ == "xcomp" else None
    governed = governor is not None and governor == subject.head and governor.lemma_ not in cues
    return finite_conjunct or governed


def _sourceless(cue: Token, quoted: list[Quoted], ctx: ArticleContext, cues: dict[str, list[str]]) -> Report | None:
    """A hedge or an agentless passive cue ("is expected to …"): the clause with no speaker,
    or the agent of "by X" as the speaker."""
    if quoted:
        return None
    asks = "wh" in cues.get(cue.lemma_, [])
    if asks and frames.is_passive(cue) and frames.passive_agent(cue) is None and (asked := frames.content(cue, ["wh"])):
        return Report(cue, UNKNOWN_SOURCE, [], asked[1], None, None, asked[0])  # "voters were asked whether …"
    if not (sourceless := [f for f in cues.get(cue.lemma_, []) if f in frames.SOURCELESS]):
        return None
    agent = frames.passive_agent(cue)
    if agent is not None and frames.cue_family(cue.lemma_) == "speech":
        return None  # "she was told by the mayor that …": the mayor said it, as an active cue's report
    found = frames.content(cue, sourceless)
    if found is None:
        return None
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
    if frames.cue_family(cue.lemma_) != "speech":
        return False  # "I would think", "they may want", "she does not want to run": beliefs and wishes stand
    return any(c.dep_ == "aux" and c.lower_ in MODALS or c.dep_ == "neg" for c in cue.children)


def cue_reports(ctx: ArticleContext, by_cue: dict[int, list[Quoted]], cues: dict[str, list[str]]) -> list[Report]:
    """A report for every cue verb with a source (or a hedge with none), in text order; each
    speaker found joins `ctx.salient` for the pronouns after it."""
    reports = []
    for cue in (t for t in ctx.tokens if _is_cue_verb(t, cues) or t.i in by_cue):
        quoted = by_cue.get(cue.i, [])
        if (sourceless := _sourceless(cue, quoted, ctx, cues)) is not None:
            reports.append(sourceless)
            continue
        subject = _source(cue, quoted, ctx, cues)
        if not quoted and (subject is None or rules.is_on("indirect:unsaid") and unsaid(cue)):
            continue  # nobody is said to speak (passive, no subject), or the speech is only planned
        skip = {"quote", "parenthetical"} if quoted else {"quote"}  # “A,” she said, “B.”: the quotes are the content
        found = frames.content(cue, [f for f in cues.get(cue.lemma_, []) if f not in skip and f not in frames.SOURCELESS])
        frame, content = found if found else (None, None)
        if quoted and content is None:
            content = _around_quotes(cue, quoted)
        speaker = resolve_speaker(subject, ctx) if subject is not None else UNKNOWN_SOURCE
        # "told reporters on Monday" dates the telling; in "called for a march on Thursday" the date is the march's
        reports_speech = frame in {"ccomp", "wh"} or bool(quoted)
        when, when_text = _claim_date(cue, content, ctx) if reports_speech else (None, None)
        if speaker.person and subject is not None:
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


LABEL_WORDS_MAX = 2


@rule("quote:label-words", "claims.rule", "(drops a claim)")
def label_words(span: Span) -> bool:
    """the mayor, whom critics call “reckless,”: a word or two quoted and held by no clause of the cue is a label, not a statement
    (an utterance ending in . ! or ?, “Never again.”, is one)."""
    words = [t for t in span if not t.is_punct]
    return len(words) <= LABEL_WORDS_MAX and not any(t.text in {".", "!", "?"} for t in span)


@rule("quote:attributed", "claims.rule", "quote:direct", "quote:partial")
def quoted_speech(report: Report, speech: Speech) -> list[Claim] | None:
    """“We will appeal,” she said: each quote a speech verb governs, direct or partial."""
    if not _quotes_carry_it(report):
        return None
    doc, text, claims = speech.ctx.doc, speech.ctx.text, []
    splits = rules.is_on("quote:split")
    previous: Claim | None = None
    for quote, span in report.quoted:
        kind, name = quote_type_of(doc, quote, text), None
        joins = None
        if splits and previous is not None and split_quote(text, previous, quote, report.cue):
            kind, name, joins = previous.quote_type, "quote:split", previous
        elif report.cue.i >= span.end and report.cue.sent.start >= span.end:
            name = "quote:attribution-sentence"
        if kind == "partial" and joins is None and rules.is_on("quote:label-words") and label_words(span):
            continue
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


def _indirect(report: Report, name: str) -> list[Claim]:
    """The report's content as one claim; content around its own cue ("A, she said, B") is two fragments."""
    content, cue, doc = report.content, report.cue, report.cue.doc
    assert content is not None
    around = [cue.left_edge.i, cue.right_edge.i + 1]
    if content.start < around[0] and around[1] < content.end:
        pieces = [p for p in (char_span(doc, content.start, around[0]), char_span(doc, around[1], content.end)) if p]
    elif around[0] <= content.start < around[1] < content.end:  # "As the paper noted, the mayor won"
        pieces = [p for p in (char_span(doc, around[1], content.end),) if p]
    else:
        pieces = []
    if (lead := syntax.displaced_subject(cue)) is not None and content.end > cue.i:  # "The plan, said Lenz, would fail"
        rest = content.start if content.start > cue.i else around[1]
        pieces = [p for p in (char_span(doc, lead.left_edge.i, lead.right_edge.i + 1), char_span(doc, rest, content.end)) if p]
    pieces = pieces or [(content.start_char, content.end_char)]
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

ARTICLE_RULES: tuple[Callable[[Speech], list[Claim]], ...] = (
    according_to,
    source_phrase,
    noun_cue,
    perspective,
    adjective_cue,
    speaker_label,
    hedge_adverb,
    impersonal_adjective,
    headline_colon,
    headline_cue,
    multi_paragraph_quote,
    continued_quote,
    next_paragraph_quote,
)


def extract_claims(ctx: ArticleContext) -> list[Claim]:
    """All claims of one article, in text order (one claim per span: the first rule's that names a speaker)."""
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
    for claim in speech.claims:  # “The figures seem wrong,” she said: the quote is hers, not the hedge's inside it
        kept = unique.setdefault((claim.start, claim.end), claim)
        if kept.speaker.type in {"none", "unknown"} and claim.speaker.type not in {"none", "unknown"}:
            unique[(claim.start, claim.end)] = claim
    return join_pieces(reported_hedges(quoted_first_person(inside_reports(outside_quotes(list(unique.values()))))))


FIRST_PERSON = {"i", "me", "my", "we", "us", "our"}


@rule("speaker:quoting", "claims.speaker_rule")
def quoted_first_person(claims: list[Claim]) -> list[Claim]:
    """“Frankly, I think the deal is dead and the vote will not change it,” Horvat said: an "I" or "we" inside a
    quotation is whoever the quotation is attributed to (when the claim of the "I" reaches past the quote, so stays)."""
    if not rules.is_on("speaker:quoting"):
        return claims
    quotes = [c for c in claims if c.quote_type != "indirect" and c.speaker.type not in {"none", "unknown"}]
    for claim in claims:
        if claim.cue is None or claim.speaker.type != "unknown" or (claim.speaker.text or "").lower() not in FIRST_PERSON:
            continue
        holding = [q for q in quotes if q.start <= claim.cue.idx < q.end]
        if holding:
            said = min(holding, key=lambda q: q.end - q.start).speaker
            claim.speaker = Speaker(said.name, said.person, said.type, claim.speaker.text, "speaker:quoting")
    return claims


@rule("speaker:reporting-claim", "claims.speaker_rule")
def reported_hedges(claims: list[Claim]) -> list[Claim]:
    """the mayor said the plan seemed to work: a hedge inside what someone says is theirs."""
    if not rules.is_on("speaker:reporting-claim"):
        return claims
    for claim in (c for c in claims if c.speaker is NO_SOURCE):
        outer = [
            c
            for c in claims
            if c.start <= claim.start and claim.end <= c.end and c is not claim and c.speaker.type not in {"none", "unknown"}
        ]
        if outer:
            said = min(outer, key=lambda c: c.end - c.start).speaker
            claim.speaker = Speaker(said.name, said.person, said.type, said.text, "speaker:reporting-claim")
    return claims


@rule("indirect:outside-quotes", "claims.rule", "(drops a claim)")
def outside_quotes(claims: list[Claim]) -> list[Claim]:
    """“I think we will win,” she said: a cue inside a quotation is part of what was quoted, not a claim of its own."""
    if not rules.is_on("indirect:outside-quotes"):
        return claims
    quoted = [(c.start, c.end) for c in claims if c.quote_type != "indirect"]
    return [c for c in claims if c.quote_type != "indirect" or not any(a <= c.start and c.end <= b for a, b in quoted)]


NESTED_FAMILIES = {"belief", "intention"}


@rule("indirect:inside-report", "claims.rule", "(drops a claim)")
def inside_reports(claims: list[Claim]) -> list[Claim]:
    """the mayor said she hopes the bridge will reopen: a wish or plan inside what someone reports is part of that claim."""
    if not rules.is_on("indirect:inside-report"):
        return claims
    spans = [(c.start, c.end) for c in claims]
    return [
        c
        for c in claims
        if claim_family(c) not in NESTED_FAMILIES or not any(a <= c.start and c.end <= b and (a, b) != (c.start, c.end) for a, b in spans)
    ]


def claim_family(claim: Claim) -> str:
    """The cue's family (lexicons/cues.yaml): speech for quotes, "according to" and headline colons."""
    if claim.speaker is NO_SOURCE or claim.rule.startswith("hedge:"):
        return "hedge"
    if claim.rule == "indirect:perspective":
        return "belief"  # "For Ana Horvat, …": a view, not a statement
    if claim.rule == "indirect:adjective" and claim.cue is not None:
        return frames.adjective_family(claim.cue.lemma_.lower()) or "belief"
    if claim.rule in {"indirect:noun", "indirect:in-source"} and claim.cue is not None:
        pobj = next((c for c in claim.cue.children if c.dep_ == "pobj"), claim.cue)
        noun = claim.cue.lemma_ if claim.rule == "indirect:noun" else pobj.lemma_.lower()
        return frames.noun_family(noun) or "speech"
    lemma = claim.cue.lemma_ if claim.cue is not None else syntax.verb_lemma(claim.cue_text or "", frames.cue_verbs().keys())
    return (frames.cue_family(lemma) if lemma else None) or "speech"
