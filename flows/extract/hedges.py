"""Hedges without a hedging verb: an adverb that says the writer only heard it ("the ferry company is
reportedly selling …") and an impersonal adjective ("it is not clear whether …"). Nobody is
said to speak, so the claim has no source (speaker_type none), as the verb hedges in frames.py."""

from __future__ import annotations

from spacy.tokens import Token

from flows import lexicons
from flows.extract import frames, syntax
from flows.extract.attribution import NO_SOURCE, Claim, Speech, content_chars
from flows.rules import rule

CLAUSE_DEPS = {"ccomp", "xcomp", "csubj"}  # "it is clear that …", "it is not clear how long …"
ASKING_MARKS = {"whether", "if"}  # "it is unclear if …" may be parsed as an adverbial clause; "…, although …" is not the content


def _is_content(clause: Token) -> bool:
    if clause.dep_ in CLAUSE_DEPS:
        return True
    return clause.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in ASKING_MARKS for c in clause.children)


@rule("hedge:adverb", "claims.rule")
def hedge_adverb(speech: Speech) -> list[Claim]:
    """the ferry company is reportedly selling two boats: the clause the adverb hedges, subject included."""
    doc, claims = speech.ctx.doc, []
    adverbs = lexicons.words("cues", "hedge_adverbs")
    for adverb in (t for t in speech.ctx.tokens if t.lower_ in adverbs and t.dep_ == "advmod"):
        verb = adverb.head
        subject = next((c for c in verb.children if c.dep_ in syntax.SUBJECTS and c.i < verb.i), None)
        if verb.pos_ not in {"VERB", "AUX"} or subject is None or verb.lemma_ in frames.cue_verbs() or verb.dep_ in {"relcl", "acl"}:
            continue  # "reportedly said …" is a report of speech, found by its verb; "the gun he allegedly used" names a thing
        last = max(
            (c.right_edge.i for c in verb.children if c.i > verb.i and not c.is_punct and c.dep_ not in {"cc", "conj"}), default=verb.i
        )
        found = content_chars(doc, subject.left_edge.i, last + 1)
        if found is not None and not speech.holds(*found):
            claims.append(Claim(*found, "indirect", adverb, adverb.text, NO_SOURCE, "hedge:adverb"))
    return claims


@rule("hedge:impersonal", "claims.rule")
def impersonal_adjective(speech: Speech) -> list[Claim]:
    """it is not clear whether the bridge will reopen, it is clear that the vote slips: the clause, with no one who holds it."""
    doc, claims = speech.ctx.doc, []
    adjectives = lexicons.words("cues", "impersonal_adjectives")
    for adj in (t for t in speech.ctx.tokens if t.lemma_.lower() in adjectives and t.dep_ == "acomp"):
        verb = adj.head
        if not any(c.dep_ in {"nsubj", "expl"} and c.lower_ == "it" and c.i < verb.i for c in verb.children):
            continue  # "the mayor is clear that …" is the mayor's (an adjective cue)
        clause = next((c for c in [*adj.children, *verb.children] if c.i > adj.i and _is_content(c)), None)
        if clause is None:
            continue
        found = content_chars(doc, clause.left_edge.i, clause.right_edge.i + 1)
        if found is not None and not speech.holds(*found):
            claims.append(Claim(*found, "indirect", adj, doc[verb.i : adj.i + 1].text, NO_SOURCE, "hedge:impersonal"))
    return claims
