"""Speakers: who the subject of a speech verb names — a rule list, the first rule that
recognises the subject decides (`claims.speaker_rule` says which)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from spacy.tokens import Span, Token

from flows import lexicons, rules
from flows.extract import syntax
from flows.extract.context import ArticleContext
from flows.extract.people import LocalPerson
from flows.names import fold, without_article
from flows.rules import rule

PRONOUN_WINDOW = 3  # sentences to look back for the person a pronoun refers to


@dataclass
class Speaker:
    name: str | None
    person: LocalPerson | None
    type: str
    text: str | None
    rule: str


def _window_start(token: Token, ctx: ArticleContext) -> int:
    """The first token of the sentences a pronoun may look back over (PRONOUN_WINDOW)."""
    return ctx.sentence_starts[max(0, ctx.sentence_number(token.i) - PRONOUN_WINDOW)]


def _last_compatible(candidates: list[tuple[int, LocalPerson]], token: Token, ctx: ArticleContext) -> LocalPerson | None:
    """Of (token index, person) candidates, the last one before the pronoun, within its window, of compatible gender."""
    gender = lexicons.load("cues")["pronouns"].get(token.lower_)
    first = _window_start(token, ctx)
    fitting = [(i, p) for i, p in candidates if first <= i < token.i and (p.gender is None or gender is None or p.gender == gender)]
    return max(fitting, key=lambda x: x[0])[1] if fitting else None


def _pronoun_referent(token: Token, ctx: ArticleContext) -> LocalPerson | None:
    """The last person before the pronoun who was a subject or a speaker, of compatible gender."""
    candidates = list(ctx.salient)
    for person in ctx.people:
        for m in person.mentions:
            if m.root.dep_ in syntax.SUBJECTS or m.root.dep_ == "appos" and m.root.head.dep_ in syntax.SUBJECTS:
                candidates.append((m.start, person))
    return _last_compatible(candidates, token, ctx)


def group_type(phrase: Span, ctx: ArticleContext) -> str:
    """country, organization or group: what kind of collective a speaking noun phrase names."""
    text = without_article(fold(phrase.text))
    if text in lexicons.countries():
        return "country"
    if any(e.label_ == "ORG" and e.root == phrase.root for e in ctx.ents_within(phrase)):
        return "organization"
    if phrase.root.lemma_.lower() in lexicons.words("cues", "institution_nouns"):
        return "organization"
    if any(e.label_ == "GPE" and e.root == phrase.root for e in ctx.ents_within(phrase)):
        return "country" if text in lexicons.countries() else "group"
    return "group"


@rule("speaker:pronoun", "claims.speaker_rule")
def pronoun(subject: Token, ctx: ArticleContext) -> Speaker | None:
    """ "she said": the last subject or speaker before it, within three sentences, of her gender."""
    if subject.lower_ not in lexicons.load("cues")["pronouns"]:
        return None
    person = _pronoun_referent(subject, ctx)
    return Speaker(person.name, person, "person", subject.text, "speaker:pronoun") if person else None


@rule("speaker:pronoun-mention", "claims.speaker_rule")
def mentioned_referent(subject: Token, ctx: ArticleContext) -> Speaker | None:
    """ "As for Ana Horvat, she said …", "the crowd cheered for Ivo Lenz. … he said": with no subject or speaker to
    refer to, the last person named before the pronoun, within three sentences, of its gender."""
    if subject.lower_ not in lexicons.load("cues")["pronouns"]:
        return None
    person = _last_compatible([(m.start, p) for p in ctx.people for m in p.mentions], subject, ctx)
    return Speaker(person.name, person, "person", subject.text, "speaker:pronoun-mention") if person else None


def _group_referent(token: Token, ctx: ArticleContext) -> Token | None:
    """The nearest earlier subject that "they" (a plural: "voters", "4 in 10") or "it" (an
    organisation: "the ministry", "Acme Corp.") can stand for, within the pronoun window."""
    plural = token.lower_ in {"they", "them", "their"}
    for cand in reversed(ctx.doc[_window_start(token, ctx) : token.i]):
        if cand.dep_ not in {"nsubj", "nsubjpass"} or cand.pos_ == "PRON" or ctx.person_at(cand) is not None:
            continue
        if plural and (cand.tag_ in {"NNS", "NNPS"} or cand.like_num):
            return cand
        if not plural and cand.tag_ in {"NN", "NNP"} and (cand.ent_type_ == "ORG" or syntax.is_animate(cand)):
            return cand
    return None


@rule("speaker:group-pronoun", "claims.speaker_rule")
def group_pronoun(subject: Token, ctx: ArticleContext) -> Speaker | None:
    """ "Most voters said they …", "the ministry … It said", "residents repeated their complaint": they, their and
    it stand for the last group or organisation subject."""
    if subject.lower_ not in {"they", "them", "their", "it"} or (referent := _group_referent(subject, ctx)) is None:
        return None
    found = named_subject(referent, ctx)
    return Speaker(found.name, found.person, found.type, subject.text, "speaker:group-pronoun")


@rule("speaker:issuer", "claims.speaker_rule")
def document_issuer(subject: Token, ctx: ArticleContext) -> Speaker | None:
    """ "Ana Horvat released a video that accuses …", "the union put out a statement, which says …":
    whoever put the document out speaks through it, not the document."""
    relative = subject.lower_ in {"which", "that"} and subject.head.dep_ == "relcl"
    document = subject.head.head if relative else subject
    if (who := syntax.issuer(document)) is None:
        return None
    found = resolve_speaker(who, ctx)
    return Speaker(found.name, found.person, found.type, found.text, "speaker:issuer")


@rule("speaker:relative", "claims.speaker_rule")
def relative_pronoun(subject: Token, ctx: ArticleContext) -> Speaker | None:
    """ "the senator, who said the bill would pass": the noun the relative clause belongs to."""
    cue = subject.head
    if subject.lower_ not in {"who", "which", "that"} or cue.dep_ != "relcl" or cue.head.pos_ not in {"NOUN", "PROPN"}:
        return None
    found = resolve_speaker(cue.head, ctx)
    return Speaker(found.name, found.person, found.type, subject.text, "speaker:relative")


@rule("speaker:pronoun-unresolved", "claims.speaker_rule")
def unresolved_pronoun(subject: Token, ctx: ArticleContext) -> Speaker | None:
    """ "they said", "it said" with no person to refer to: the speaker is unknown."""
    if subject.lower_ in lexicons.load("cues")["pronouns"] or subject.pos_ == "PRON":
        return Speaker(None, None, "unknown", subject.text, "speaker:pronoun-unresolved")
    return None


@rule("speaker:apposition", "claims.speaker_rule")
def apposition(subject: Token, ctx: ArticleContext) -> Speaker | None:
    """ "The spokesman, Ivo Lenz, said": a person in apposition to the subject."""
    phrase = syntax.noun_phrase(subject)
    for child in subject.children:
        if child.dep_ == "appos" and (person := ctx.person_at(child)) and ctx.person_at(subject) is None:
            text = subject.doc[min(phrase.start, child.left_edge.i) : max(phrase.end, child.right_edge.i + 1)].text
            return Speaker(person.name, person, "person", text, "speaker:apposition")
    return None


def title_head(title: str) -> str:
    """The noun a title is named by: "finance minister" → minister, "secretary of state" → secretary."""
    return title.split(" of ")[0].split()[-1]


@rule("speaker:title", "claims.speaker_rule")
def title_holder(subject: Token, ctx: ArticleContext) -> Speaker | None:
    """ "the minister said", when one person of the article holds a title ending in "minister"."""
    if subject.lemma_.lower() not in lexicons.words("titles", "heads") or subject.tag_ in {"NNS", "NNPS"}:
        return None  # not a title, or a plural ("prosecutors said"): not one known person
    if ctx.person_at(subject) is not None:
        return None
    holders = [p for p in ctx.people if any(title_head(t) == subject.lemma_.lower() for t in p.titles | p.disputed_titles)]
    if len(holders) != 1:
        return None
    return Speaker(holders[0].name, holders[0], "person", syntax.noun_phrase(subject).text, "speaker:title")


@rule("speaker:subject", "claims.speaker_rule")
def named_subject(subject: Token, ctx: ArticleContext) -> Speaker:
    """ "Ana Horvat said", "the ministry said": the subject itself, a person of the article or a group."""
    phrase = syntax.noun_phrase(subject)
    if person := ctx.person_at(subject):
        return Speaker(person.name, person, "person", syntax.without_quote_marks(phrase.text), "speaker:subject")
    return Speaker(without_article(phrase.text), None, group_type(phrase, ctx), phrase.text, "speaker:subject")


SPEAKER_RULES: tuple[Callable[[Token, ArticleContext], Speaker | None], ...] = (
    pronoun,
    mentioned_referent,
    document_issuer,
    relative_pronoun,
    group_pronoun,
    unresolved_pronoun,
    apposition,
    title_holder,
    named_subject,
)


def resolve_speaker(subject: Token, ctx: ArticleContext) -> Speaker:
    """Who a subject token names: the first speaker rule that recognises it (an unknown speaker
    when every rule that would is switched off)."""
    for speaker_rule in rules.active(SPEAKER_RULES):
        if found := speaker_rule(subject, ctx):
            return found
    return Speaker(None, None, "unknown", subject.text, "none")
