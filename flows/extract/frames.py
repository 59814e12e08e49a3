"""Cue frames: where a cue verb's reported content lies in the parse.

`lexicons/cues.yaml` lists, for every cue lemma, its family (speech, belief,
evidence, intention, hedge) and the frames it takes. A frame is one general
rule over the dependency parse, the same for every verb that takes it: the
first frame of the verb's list that finds content of two words or more
decides, and the claim's `rule` names it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from spacy.tokens import Span, Token

from flows import lexicons, rules
from flows.extract import syntax
from flows.rules import rule

Frame = Callable[[Token], Span | None]
WH_WORDS = {"whether", "if", "what", "who", "whom", "whose", "which", "why", "how", "when", "where"}
ON_TOPIC = {"comment", "remark", "testify", "report", "write"}  # verbs whose "on X" is their topic
OBJECT_DEPS = {"dobj", "ccomp", "xcomp", "oprd", "prep", "attr"}


@cache
def cue_verbs() -> dict[str, list[str]]:
    """Every cue lemma with its frames, all families together."""
    return {lemma: frames for family in lexicons.load("cues")["families"].values() for lemma, frames in family.items()}


@cache
def cue_family(lemma: str) -> str | None:
    """The family of a cue lemma ("say" → speech, "seem" → hedge), None for a word that is no cue."""
    return next((name for name, verbs in lexicons.load("cues")["families"].items() if lemma in verbs), None)


@cache
def noun_family(lemma: str) -> str | None:
    """The family of a cue noun ("claim" → speech, "plan" → intention, "poll" → evidence), None for another noun."""
    return next((name for name, nouns in lexicons.load("cues")["noun_cues"].items() if lemma in nouns), None)


@cache
def adjective_family(lemma: str) -> str | None:
    """The family of a cue adjective ("confident" → belief, "eager" → intention), None for another adjective."""
    return next((name for name, words in lexicons.load("cues")["adjective_cues"].items() if lemma in words), None)


def _words(cue: Token, first: Token, last: Token) -> Span:
    return cue.doc[first.left_edge.i : last.right_edge.i + 1]


def _topic(cue: Token, obj: Token) -> Span:
    """A noun phrase the speech is about, without an aside on it: "referring to the new bridge,
    which opened in May" refers to the bridge; the clause after the comma is the writer's."""
    aside = next((c for c in obj.rights if c.dep_ == "relcl" and c.left_edge.i > 0 and cue.doc[c.left_edge.i - 1].text == ","), None)
    end = aside.left_edge.i - 1 if aside is not None else obj.right_edge.i + 1
    return cue.doc[obj.left_edge.i : end]


def _child(cue: Token, deps: set[str]) -> Token | None:
    return next((c for c in cue.children if c.dep_ in deps and c.i > cue.i), None)


def is_passive(cue: Token) -> bool:
    """ "is expected to", "was told that" — not "he's said he will run", which is "he has said" (the
    passive takes an infinitive: "he's said to be ill")."""
    if any(c.dep_ == "auxpass" and c.lower_ in {"'s", "’s"} for c in cue.children) and not any(c.dep_ == "xcomp" for c in cue.children):
        return False
    return any(c.dep_ in {"nsubjpass", "auxpass"} for c in cue.children)


def _asks(clause: Token, cue: Token) -> bool:
    """Does the clause open, after the cue, with its own wh-word or if/whether ("asked whether the vote …",
    "how he felt")? A relative pronoun before the cue is no question ("the plan, which he said would fail")."""
    first = clause.left_edge
    return first.i > cue.i and first.lower_ in WH_WORDS and (first.head == clause or first.head.head == clause)


@rule("indirect:ccomp", "claims.rule")
def clause_frame(cue: Token) -> Span | None:
    """she said (that) the talks had failed: the verb's clausal complement."""
    clause = _complement_clause(cue)
    if clause is None or _asks(clause, cue):
        return None
    return syntax.clause_span(clause, exclude=set(cue_verbs()))


def _complement_clause(cue: Token) -> Token | None:
    """The clause a cue verb reports: its ccomp — the one after it when the parser hangs a neighbouring
    report on it too ("Six in 10 said A; 46 percent said B") — or a gerund the parser took for its
    complement ("he said widening it could bring ferries")."""
    clauses = [c for c in cue.children if c.dep_ == "ccomp"]
    after = [c for c in clauses if c.i > cue.i]
    if clauses:
        return after[0] if after else clauses[0]
    gerund = next((c for c in cue.children if c.dep_ == "xcomp" and c.tag_ == "VBG" and c.i == cue.i + 1), None)
    if gerund is not None and any(c.dep_ == "ccomp" for c in gerund.children):
        return gerund
    return _that_clause_on_a_phrase(cue)


def _that_clause_on_a_phrase(cue: Token) -> Token | None:
    """ "told reporters at a briefing that he would delay the vote": the parser may hang the that-clause on the
    phrase's noun as a relative clause; one that opens with the conjunction "that" and has its own
    subject is the verb's complement ("a conference that he attended" has no such "that")."""
    for prep in (c for c in cue.children if c.dep_ == "prep" and c.i > cue.i):
        for noun in (c for c in prep.children if c.dep_ == "pobj"):
            for clause in (c for c in noun.children if c.dep_ in {"relcl", "acl"} and c.i > noun.i):
                opener = clause.doc[clause.left_edge.i]
                own_subject = any(c.dep_ in syntax.SUBJECTS and c.lower_ != "that" for c in clause.children)
                if opener.lower_ == "that" and opener.dep_ == "mark" and own_subject:
                    return clause
    return None


@rule("indirect:that", "claims.rule")
def that_frame(cue: Token) -> Span | None:
    """black voters saw that she could win: a clause opened by "that" only — for verbs whose bare clause is
    seen, not known ("saw him leave")."""
    clause = _complement_clause(cue)
    if clause is None or not any(c.dep_ == "mark" and c.lower_ == "that" for c in clause.children):
        return None
    return syntax.clause_span(clause, exclude=set(cue_verbs()))


@rule("indirect:parenthetical", "claims.rule")
def parenthetical_frame(cue: Token) -> Span | None:
    """the bridge, the mayor said, will open in May; as the paper noted, she won: the sentence around the cue, the cue left out."""
    as_clause = (
        cue.dep_ == "advcl"
        and any(c.dep_ == "mark" and c.lower_ == "as" for c in cue.children)
        and not any(c.dep_ in {"ccomp", "xcomp", "dobj"} and c.lower_ != "it" for c in cue.children)
    )  # "as the paper noted", "as he put it" — not "as she noted how happy she was"
    if cue.dep_ != "parataxis" and not as_clause or cue.head.pos_ not in {"VERB", "AUX"} or cue.i < cue.head.left_edge.i:
        return None
    return cue.doc[cue.head.left_edge.i : cue.head.right_edge.i + 1]


@rule("indirect:colon", "claims.rule")
def colon_frame(cue: Token) -> Span | None:
    """the minister wrote: the talks have failed. — what follows the colon, to the end of its sentence or the next one."""
    doc = cue.doc
    colon = next((t for t in doc[cue.i + 1 : cue.sent.end + 1] if t.text == ":"), None)
    if colon is None or any(t.pos_ == "VERB" and t.dep_ != "aux" for t in doc[cue.i + 1 : colon.i]):
        return None
    start = colon.i + 1
    while start < len(doc) and doc[start].is_space:
        start += 1
    return doc[start : doc[start].sent.end] if start < len(doc) else None


@rule("indirect:wh", "claims.rule")
def wh_frame(cue: Token) -> Span | None:
    """the reporter asked whether the vote would go ahead: a wh- or if-clause."""
    clause = next((c for c in cue.children if c.dep_ in {"ccomp", "advcl", "xcomp"} and c.i > cue.i), None)
    if clause is None or not _asks(clause, cue):
        return None
    return _words(cue, clause, clause)


@rule("indirect:xcomp", "claims.rule")
def infinitive_frame(cue: Token) -> Span | None:
    """the union vowed to appeal, the mayor declined to comment: an infinitive."""
    verb = next((c for c in cue.children if c.dep_ == "xcomp" and c.i > cue.i), None)
    if verb is None or not any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        return None
    return _words(cue, verb, verb)


@rule("indirect:as", "claims.rule")
def as_frame(cue: Token) -> Span | None:
    """most voters see the deal as a trap: the object and what it is seen as."""
    obj = _child(cue, {"dobj"})
    heads = [cue, obj] if obj is not None else [cue]
    prep = next((c for h in heads for c in h.children if c.dep_ == "prep" and c.lower_ == "as"), None)
    if prep is None or obj is None and not is_passive(cue):
        return None
    return _words(cue, obj if obj is not None else prep, prep)


@rule("indirect:naming", "claims.rule")
def naming_frame(cue: Token) -> Span | None:
    """the senator called the plan “a disaster”: the object and what it is called."""
    obj = _child(cue, {"dobj"})
    if obj is None:
        return None
    named = _child(cue, {"oprd", "ccomp", "xcomp"}) or next((c for c in obj.rights if c.dep_ in {"appos", "oprd"}), None)
    return cue.doc[obj.left_edge.i : named.right_edge.i + 1] if named is not None and obj.i < named.i else None


@rule("indirect:object", "claims.rule")
def object_frame(cue: Token) -> Span | None:
    """the minister accused the rebels of lying, voters want a recount: everything right of the verb."""
    right = [c for c in cue.children if c.i > cue.i and c.dep_ in OBJECT_DEPS]
    if not any(c.dep_ != "prep" for c in right):
        return None  # "showed in 2008": a verb with only a prepositional phrase has no object
    return cue.doc[right[0].left_edge.i : max(c.right_edge.i for c in right) + 1]


@rule("indirect:for", "claims.rule")
def for_frame(cue: Token) -> Span | None:
    """the opposition called for an inquiry: the object of "for"."""
    prep = next((c for c in cue.children if c.dep_ == "prep" and c.lower_ == "for"), None)
    obj = next((c for c in prep.children if c.dep_ in {"pobj", "pcomp"}), None) if prep is not None else None
    return _topic(cue, obj) if obj is not None else None


@rule("indirect:on", "claims.rule")
def on_frame(cue: Token) -> Span | None:
    """the union called on the owners to reopen the factory: who is called on, and what they are to do."""
    prep = next((c for c in cue.children if c.dep_ == "prep" and c.lower_ in {"on", "upon"} and c.i > cue.i), None)
    obj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
    verb = next((c for c in cue.children if c.dep_ in {"xcomp", "advcl"} and obj is not None and c.i > obj.i), None)
    if obj is None or verb is None:
        return None  # "called on Monday": no one is called on to do anything
    return cue.doc[obj.left_edge.i : verb.right_edge.i + 1]


def _object_of(cue: Token, prepositions: set[str]) -> Span | None:
    prep = next((c for c in cue.children if c.dep_ == "prep" and c.lower_ in prepositions and c.i > cue.i), None)
    obj = next((c for c in prep.children if c.dep_ in {"pobj", "pcomp"}), None) if prep is not None else None
    return _topic(cue, obj) if obj is not None else None


@rule("indirect:about", "claims.rule")
def about_frame(cue: Token) -> Span | None:
    """the senator talked about the new bridge, the mayor commented on the vote: what the speech was about."""
    return _object_of(cue, {"about", "on"} if cue.lemma_ in ON_TOPIC else {"about"})  # not "spoke on the radio"


@rule("indirect:against", "claims.rule")
def against_frame(cue: Token) -> Span | None:
    """the mayor warned against closing the bridge: what the speaker warns or argues against."""
    return _object_of(cue, {"against"})


@rule("indirect:gerund", "claims.rule")
def gerund_frame(cue: Token) -> Span | None:
    """most senators support lowering the fee: a gerund clause as the object (not a noun: "support the mayor")."""
    verb = next((c for c in cue.children if c.dep_ in {"dobj", "xcomp", "ccomp"} and c.tag_ == "VBG" and c.i > cue.i), None)
    return _words(cue, verb, verb) if verb is not None else None


@rule("indirect:to", "claims.rule")
def to_frame(cue: Token) -> Span | None:
    """the mayor pointed to the falling toll, referring to the new bridge: what the speaker points to."""
    return _object_of(cue, {"to"})


@rule("indirect:content-noun", "claims.rule")
def content_noun_frame(cue: Token) -> Span | None:
    """the mayor expressed the hope that the bridge would reopen: the clause of a content noun."""
    obj = next((c for c in cue.children if c.dep_ == "dobj" and c.lemma_ in lexicons.words("cues", "content_nouns")), None)
    if obj is None:
        return None
    clause = next((c for c in obj.children if c.dep_ in {"acl", "ccomp", "relcl"}), None) or _that_clause_on_a_phrase(cue)
    target = clause if clause is not None else obj
    return _words(cue, target, target)


@rule("indirect:case", "claims.rule")
def case_frame(cue: Token) -> Span | None:
    """the senator made the case that the toll was unfair, made the case for a new bridge: what a content noun object argues."""
    obj = next((c for c in cue.children if c.dep_ == "dobj" and c.lemma_ in lexicons.words("cues", "content_nouns")), None)
    if obj is None:
        return None
    clause = next((c for c in obj.children if c.dep_ in {"acl", "ccomp"} or c.dep_ == "relcl" and c.left_edge.lower_ == "that"), None)
    clause = clause or _that_clause_on_a_phrase(cue)  # "made the case to a gathering of farmers that …"
    prep = next((c for c in [*obj.children, *cue.children] if c.dep_ == "prep" and c.lower_ in {"for", "against"} and c.i > obj.i), None)
    target = clause if clause is not None else next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
    return _words(cue, target, target) if target is not None else None


@rule("hedge:clause", "claims.rule")
def hedge_frame(cue: Token) -> Span | None:
    """the plan seems to work, the senator appeared uneasy: the hedged clause itself, no source."""
    complement = next((c for c in cue.children if c.dep_ in {"xcomp", "acomp", "ccomp", "oprd", "attr"} and c.i > cue.i), None)
    if complement is None:
        return None
    subject = next((c for c in cue.children if c.dep_ in syntax.SUBJECTS and c.i < cue.i), None)
    if subject is None or subject.lower_ == "it":
        return _words(cue, complement, complement)  # "it seems that …": the clause is the content
    return cue.doc[subject.left_edge.i : cue.right_edge.i + 1]


@rule("hedge:passive", "claims.rule", "hedge:passive", "indirect:passive")
def passive_frame(cue: Token) -> Span | None:
    """the vote is expected to pass; the plan is seen as a trap by critics: a passive cue's whole clause."""
    takes = {"xcomp", "ccomp", "oprd"}
    if not is_passive(cue) or not any(c.i > cue.i and (c.dep_ in takes or c.dep_ == "prep" and c.lower_ == "as") for c in cue.children):
        return None  # "was seen on the campaign trail" is no attribution; "is seen as a favourite" is
    subject = next((c for c in cue.children if c.dep_ == "nsubjpass"), None)
    if subject is None or subject.i > cue.i:
        return None
    last = max((c.right_edge.i for c in cue.children if c.i > cue.i and c.dep_ != "agent" and not c.is_punct), default=cue.i)
    return cue.doc[subject.left_edge.i : last + 1]


def passive_agent(cue: Token) -> Token | None:
    """X in "is expected by X to …": the source of a passive cue."""
    agent = next((c for c in cue.children if c.dep_ == "agent"), None)
    return next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None


FRAMES: dict[str, Frame] = {
    "ccomp": clause_frame,
    "that": that_frame,
    "parenthetical": parenthetical_frame,
    "colon": colon_frame,
    "wh": wh_frame,
    "xcomp": infinitive_frame,
    "as": as_frame,
    "naming": naming_frame,
    "object": object_frame,
    "for": for_frame,
    "on": on_frame,
    "about": about_frame,
    "to": to_frame,
    "against": against_frame,
    "gerund": gerund_frame,
    "hope": content_noun_frame,
    "case": case_frame,
    "clause": hedge_frame,
    "passive": passive_frame,
}
SOURCELESS = {"clause", "passive"}  # frames whose content has no speaker of its own


def content(cue: Token, frames: list[str]) -> tuple[str, Span] | None:
    """The first of the cue's frames that finds two words or more: its name and the content."""
    for name in frames:
        frame = FRAMES.get(name)
        if frame is None or not rules.is_on(rules.name_of(frame)) or (found := frame(cue)) is None:
            continue
        start, end = syntax.strip_span(cue.doc, found.start, found.end)
        if end - start >= 2:
            return name, cue.doc[start:end]
    return None
