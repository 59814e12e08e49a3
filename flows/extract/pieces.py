"""One claim per attribution: the rules that find the pieces of one quote — split around its cue, run on over
sentences and paragraphs — and the step that joins them into one claim with `fragments`."""

from __future__ import annotations

from spacy.tokens import Token

from flows import rules
from flows.extract import syntax
from flows.extract.attribution import ADJACENT_TOKENS, Claim, Speech, quote_type_of
from flows.extract.quotes import Quote
from flows.rules import rule


@rule("quote:split", "claims.rule")
def split_quote(text: str, first: Claim, second: Quote, cue: Token) -> bool:
    """“The reforms,” she said, “will go on.”: the second quote continues the first across the attribution."""
    return (
        first.end < cue.idx < second.start
        and text[first.end : first.end + 1] == ","
        and text.count("\n\n", first.end, second.start) == 0
        and second.text(text)[:1].islower()
    )


@rule("quote:multi-paragraph", "claims.rule")
def multi_paragraph_quote(speech: Speech) -> list[Claim]:
    """“… (no closing mark) / “…,” she said: a paragraph of a multi-paragraph quote is said by whoever says the next part."""
    text, doc = speech.ctx.text, speech.ctx.doc
    claims, added = list(speech.claims), []
    for quote, _span in reversed([q for q in speech.loose if q[0].runs_on]):
        nxt = min((c for c in claims if c.quote_type != "indirect" and c.start > quote.end), key=lambda c: c.start, default=None)
        if nxt is not None and text.count("\n\n", quote.end, nxt.start) == 1:
            kind = quote_type_of(doc, quote, text)
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
        if before and quote_type_of(doc, quote, text) == "direct":
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


def _first_piece(claim: Claim) -> Claim:
    """The piece a chain of `joins` starts from (the claim that has the others as continuations)."""
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
    joining = {rules.name_of(r) for r in (split_quote, multi_paragraph_quote, continued_quote, next_paragraph_quote)}
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
