"""Attributions without a cue verb: "according to X", a cue noun ("the mayor's claim that …"), a cue
adjective ("the mayor is confident that …"), a source opening the sentence ("In a survey released
on Monday, …") and a speaker's name labelling a paragraph ("Ana Horvat: …")."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span, Token

from flows import lexicons
from flows.extract import frames, syntax
from flows.extract.attribution import Claim, Speech, char_span, content_chars
from flows.extract.context import ArticleContext
from flows.extract.speakers import Speaker, group_type, resolve_speaker
from flows.rules import rule


@rule("indirect:according-to", "claims.rule (and speaker_rule speaker:according-to)", "indirect:according-to", "speaker:according-to")
def according_to(speech: Speech) -> list[Claim]:
    """ "According to X, …" and "…, according to X": X said the rest of the sentence."""
    ctx, doc = speech.ctx, speech.ctx.doc
    claims: list[Claim] = []
    if "according to" not in ctx.text.lower():  # ctx.text, never doc.text: that joins every token on each call
        return claims
    for tok in ctx.tokens:
        if tok.lower_ != "according" or tok.i + 1 >= len(doc) or doc[tok.i + 1].lower_ != "to":
            continue
        source = next((c for c in doc[tok.i + 1].children if c.dep_ == "pobj"), None)
        if source is None:
            continue
        sent = tok.sent
        phrase_end = source.right_edge.i + 1
        before, after = char_span(doc, sent.start, tok.i), char_span(doc, phrase_end, sent.end)
        if tok.i - sent.start <= 1:
            pieces = [after]
        elif after is not None and doc[phrase_end].text == "," and len(doc[phrase_end : sent.end]) > 3:
            pieces = [before, after]  # "The plan, according to X, will fail": the sentence around the phrase
        else:
            pieces = [before]
        found = [p for p in pieces if p is not None]
        if not found or len(ctx.text[found[0][0] : found[-1][1]].split()) < 3:
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
    """Whose claim it is: the possessor ("the mayor's claim", "his plan"), "by X", the subject of the
    cue verb it is the object of ("the firm announced plans to merge"), or the subject of the verb the
    noun's "in …" belongs to ("the union struck in the hope that …", "in a bid to …")."""
    poss = next((c for c in noun.children if c.dep_ == "poss"), None)
    if poss is not None:
        return poss
    by = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "by"), None)
    if by is not None:
        return next((c for c in by.children if c.dep_ == "pobj"), None)
    if noun.dep_ == "dobj" and noun.head.lemma_ in frames.cue_verbs() and (said := syntax.subject(noun.head)) is not None:
        return said if syntax.can_speak(said) and said.dep_ != "nsubjpass" else None
    prep = noun.head if noun.dep_ == "pobj" and noun.head.lower_ in {"in", "with"} else None
    if prep is None or prep.head.pos_ not in {"VERB", "AUX"}:
        return None
    found = syntax.subject(prep.head)
    return found if found is not None and syntax.is_animate(found) else None


@rule("indirect:noun", "claims.rule")
def noun_cue(speech: Speech) -> list[Claim]:
    """the mayor's claim that the bridge was safe, his plan to close it: a cue noun's clause, said by its possessor."""
    ctx, claims = speech.ctx, []
    for noun in (t for t in ctx.tokens if t.pos_ == "NOUN" and frames.noun_family(t.lemma_)):
        clause, source = _noun_content(noun), _noun_source(noun)
        if clause is None or source is None or (found := content_chars(ctx.doc, clause.left_edge.i, clause.right_edge.i + 1)) is None:
            continue
        claims.append(Claim(*found, "indirect", noun, noun.text, resolve_speaker(source, ctx), "indirect:noun"))
    return claims


OPENING_GAP = 3  # at most this many words between an opening source and its comma ("In a poll last month, …")
LABEL_WORDS = 5  # at most this many words label a paragraph with its speaker
ADJECTIVE_LINKS = {"acomp", "oprd", "ccomp"}  # "is confident", "seemed unsure", "made it clear"
ADJECTIVE_CONTENT = {"ccomp", "xcomp", "advcl", "csubj"}  # "confident that …", "eager to …", "clear that …", "made clear that …"


def _adjective_content(adj: Token) -> Token | None:
    """What a cue adjective is about: its that-, wh- or to-clause, "about/of …", or the clause the
    verb it completes takes after it ("seemed unsure whether …")."""
    found = next((c for c in adj.children if c.dep_ in ADJECTIVE_CONTENT and c.i > adj.i), None)
    if found is None:
        prep = next((c for c in adj.children if c.dep_ == "prep" and c.lower_ in {"about", "of"} and c.i > adj.i), None)
        found = next((c for c in prep.children if c.dep_ in {"pobj", "pcomp"}), None) if prep is not None else None
    if found is None:
        found = next((c for c in adj.head.children if c.dep_ in {"ccomp", "advcl"} and c.i > adj.i), None)
    return found


@rule("indirect:adjective", "claims.rule")
def adjective_cue(speech: Speech) -> list[Claim]:
    """the mayor is confident that the bridge will open, the union was eager to talk: a cue adjective's clause, held by its subject."""
    ctx, claims = speech.ctx, []
    for adj in (t for t in ctx.tokens if t.pos_ == "ADJ" and t.dep_ in ADJECTIVE_LINKS and frames.adjective_family(t.lemma_.lower())):
        source = syntax.subject(adj.head)
        holder = source is not None and (syntax.is_animate(source) or source.tag_ == "NNS")  # "most tenants are worried"
        if source is None or source.lower_ == "it" or not holder or (content := _adjective_content(adj)) is None:
            continue  # "it is clear that …" has no holder
        found = content_chars(ctx.doc, content.left_edge.i, content.right_edge.i + 1)
        if found is None or speech.holds(*found):
            continue  # "the senator seemed unsure whether …" is the hedge's already
        claims.append(Claim(*found, "indirect", adj, adj.text, resolve_speaker(source, ctx), "indirect:adjective"))
    return claims


LABEL = re.compile(r"(?m)^([^\n:]{1,60}):[ \t]+(?=\S)")  # "Ana Horvat: …", "Q: …" opening a paragraph
LABEL_CONTENT_WORDS = 5  # "Lenz: Back to square one." is a heading, not what he said


def _label_speaker(doc: Doc, start: int, end: int, ctx: ArticleContext) -> Speaker | None:
    """Who a paragraph's label names: a person of the article, a named group or a name the model did
    not tag; None for other words before a colon ("The result: …", "He said: …", an interview's "Q:")."""
    label = doc.char_span(start, end, alignment_mode="expand")
    text = ctx.text[start:end].strip()
    if label is None or len(text.split()) > LABEL_WORDS or any(t.pos_ in {"VERB", "AUX"} for t in label):
        return None
    if person := ctx.last_person_in(label):
        return Speaker(person.name, person, "person", text, "speaker:label")
    named = [e for e in ctx.ents_within(label) if e.label_ in {"ORG", "NORP"}]
    if named:
        return Speaker(named[-1].text, None, group_type(named[-1], ctx), text, "speaker:label")
    if all(t.pos_ == "PROPN" and t.is_title for t in label) and len(label) <= LABEL_WORDS:
        return Speaker(None, None, "unknown", text, "speaker:label")  # a name the model did not tag
    return None


@rule("indirect:label", "claims.rule (and speaker_rule speaker:label)", "indirect:label", "quote:label", "speaker:label")
def speaker_label(speech: Speech) -> list[Claim]:
    """Ana Horvat: The bridge will reopen in May. — a name opening a paragraph with a colon said the rest of it."""
    ctx, claims = speech.ctx, []
    held = [(c.start, c.end) for c in speech.claims]
    body = ctx.article.headline_end or 0
    for found in LABEL.finditer(ctx.text, body):
        end = ctx.text.find("\n", found.end())
        end = len(ctx.text) if end < 0 else end
        start, stop = found.end(), len(ctx.text[:end].rstrip())
        content = ctx.doc.char_span(start, stop, alignment_mode="expand")
        if content is None:
            continue
        words = [t for t in content if not t.is_punct]
        if len(words) < LABEL_CONTENT_WORDS or not any(t.pos_ in {"VERB", "AUX"} for t in words):
            continue  # a heading or a list ("Iowa: Ana Horvat, Ivo Lenz, …")
        if any(a < stop and start < b for a, b in held):
            continue
        if (speaker := _label_speaker(ctx.doc, found.start(1), found.end(1), ctx)) is None:
            continue
        quoted = content[0].text in syntax.QUOTE_CHARS and content[-1].text in syntax.QUOTE_CHARS
        kind, name = ("direct", "quote:label") if quoted else ("indirect", "indirect:label")
        claim = Claim(content.start_char, content.end_char, kind, None, ":", speaker, name)
        claim.quoted = [(content.start_char, content.end_char)] if quoted else []
        claims.append(claim)
    return claims


NOT_HOLDERS = {"it", "this", "that", "these", "those", "which", "what", "there"}


def _view_holder(noun: Token) -> Token | None:
    """Whose view a view noun is: the possessor ("in her view") or "of X" ("in the view of the union")."""
    if (poss := next((c for c in noun.children if c.dep_ == "poss"), None)) is not None:
        return poss
    of = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    return next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None


def _holder_phrase(sent: Span) -> tuple[Token, int] | None:
    """ "For most voters," / "To her critics," / "In the senator's view,": whose view the sentence
    gives, and the token after the comma."""
    first = sent[0]
    noun = next((c for c in first.children if c.dep_ == "pobj"), None)
    if first.dep_ != "prep" or noun is None:
        return None
    if first.lower_ == "for":  # "For Ana Horvat, …", "For many, …" — not "For one, …", "For them, …" (PolNeAR train: 3 in 10 right)
        named = noun.ent_type_ == "PERSON" or noun.pos_ == "PROPN" and noun.ent_type_ in {"", "PERSON", "ORG"}
        holder: Token | None = noun if named or syntax.is_share_of_people(noun) and noun.pos_ != "NUM" else None
    elif first.lower_ == "to":
        holder = noun
    elif first.lower_ == "in" and noun.lemma_.lower() in lexicons.words("cues", "view_nouns"):
        holder = _view_holder(noun)
    else:
        return None
    comma = noun.right_edge.i + 1
    if holder is None or holder.lower_ in NOT_HOLDERS or not syntax.can_speak(holder) or comma >= sent.end or sent.doc[comma].text != ",":
        return None
    return holder, comma + 1


@rule("indirect:perspective", "claims.rule (and speaker_rule speaker:perspective)", "indirect:perspective", "speaker:perspective")
def perspective(speech: Speech) -> list[Claim]:
    """For Ana Horvat, the new rent is a betrayal; in the mayor's view, the bridge is safe: the view of whom the phrase names."""
    ctx, claims = speech.ctx, []
    for sent in speech.free_sentences():
        if (found := _holder_phrase(sent)) is None or (chars := content_chars(ctx.doc, found[1], sent.end)) is None:
            continue
        speaker = resolve_speaker(found[0], ctx)
        speaker.rule = "speaker:perspective"
        claims.append(Claim(*chars, "indirect", sent[0], sent[0].text, speaker, "indirect:perspective"))
    return claims


def _opening_source(sent: Span, sources: frozenset[str]) -> tuple[Token, Token, int, int] | None:
    """ "In a survey released on Monday, …": the preposition, its source noun and the words after the comma."""
    first = sent[0]
    noun = next((c for c in first.children if c.dep_ == "pobj"), None)
    if first.lower_ not in {"in", "from"} or first.dep_ != "prep" or noun is None or noun.lemma_.lower() not in sources:
        return None
    # the comma may follow a short time phrase of the verb's: "In a survey last month, …"
    between = range(noun.right_edge.i + 1, min(sent.end, noun.right_edge.i + 1 + OPENING_GAP + 1))
    comma = next((i for i in between if sent.doc[i].text == ","), None)
    if comma is None or any(sent.doc[i].pos_ in {"VERB", "AUX"} for i in range(noun.right_edge.i + 1, comma)):
        return None
    return first, noun, comma + 1, sent.end


def _closing_source(sent: Span, evidence: frozenset[str]) -> tuple[Token, Token, int, int] | None:
    """ "… leads by six points in the latest poll.": a poll or study closing the sentence, and the words before it."""
    words = [t for t in sent if not t.is_punct and not t.is_space]
    if not words:
        return None
    root = sent.root  # "… leads in the poll", or on the root's object: "… holds an edge in the newest polls"
    for prep in (
        t for t in sent if t.lower_ == "in" and t.dep_ == "prep" and (t.head == root or t.head.head == root and t.head.dep_ == "dobj")
    ):
        noun = next((c for c in prep.children if c.dep_ == "pobj"), None)
        if noun is not None and noun.lemma_.lower() in evidence and noun.right_edge.i >= words[-1].i:
            return prep, noun, sent.start, prep.i
    return None


def _channel_speaker(noun: Token, sent: Span, evidence: frozenset[str]) -> Token | None:
    """ "In a video, she criticized the plan": an interview, video or post is where someone spoke, so the
    sentence's speaking subject said it; a poll or study says what it found itself."""
    if noun.lemma_.lower() in evidence:
        return None
    found = syntax.subject(sent.root) if sent.root.pos_ in {"VERB", "AUX"} else None
    return found if found is not None and found.dep_ == "nsubj" and syntax.is_animate(found) else None


@rule("indirect:in-source", "claims.rule (and speaker_rule speaker:in-source)", "indirect:in-source", "speaker:in-source")
def source_phrase(speech: Speech) -> list[Claim]:
    """In a survey released on Monday, most voters backed the plan (… in the latest poll): the poll, interview or report said the rest."""
    ctx, claims = speech.ctx, []
    sources = lexicons.words("cues", "source_nouns")
    evidence = sources & frozenset(lexicons.load("cues")["noun_cues"]["evidence"])
    for sent in speech.free_sentences():
        found = _opening_source(sent, sources) or _closing_source(sent, evidence)
        if found is None:
            continue
        prep, noun, first, last = found
        if (chars := content_chars(ctx.doc, first, last)) is None:
            continue
        speaker = resolve_speaker(_channel_speaker(noun, sent, evidence) or noun, ctx)
        speaker.rule = "speaker:in-source"
        claims.append(Claim(*chars, "indirect", prep, prep.text, speaker, "indirect:in-source"))
    return claims
