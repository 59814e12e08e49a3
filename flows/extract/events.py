"""Events: trigger words from lexicons/events.yaml, typed, with status, actors, place, counts and date.

Every event the text reports is a row. Its date is the one its sentence states,
or one the context gives (the lead sentence reports the news of the published
date; the two sentences after it, the week before; a sentence that continues a
dated event takes its date), or the tense gives (a present-tense report holds
at the published date, a present perfect is of the week before), or — for a
past report with none of these — only a bound: it happened by the published
date (`bound:published`, precision `unknown`, no date_start). EVENT_DATE_RULES
try these in order; `date_rule` names the one that applied ("none": no date at
all). EVENT_RULES turn a trigger into an event; a headline or lead with no
typed trigger gives its main verb as an untyped OCCURRENCE (occurrences.py).
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import timedelta

from spacy.tokens import Span, Token

from flows import lexicons, rules
from flows.dates import ResolvedDate, is_duration, resolve
from flows.extract import syntax
from flows.extract.attribution import Claim
from flows.extract.context import ArticleContext
from flows.extract.frames import cue_verbs
from flows.extract.occurrences import main_clause_trigger
from flows.extract.participants import Participant, count_mentions, counts_in, participants, place_of
from flows.extract.triggers import LEXICON_RULE, Trigger, is_event_word, phrase_triggers, sentence_triggers
from flows.rules import name_of, rule

BACKGROUND_DAYS = 365  # older than this before the published date: background, not news of the day


@dataclass
class Event:
    type: str
    status: str
    trigger: Token
    sentence: Span
    sentence_index: int
    actors: list[Participant] = field(default_factory=list)
    targets: list[Participant] = field(default_factory=list)
    place: Span | None = None  # the place mention (its place row: ctx.place_match)
    date: ResolvedDate | None = None
    date_text: str | None = None
    counts: dict[str, tuple[int, str]] = field(default_factory=dict)
    rule: str = LEXICON_RULE
    phrase: Span | None = None  # the whole trigger when the lexicon entry is several tokens ("cease-fire")
    is_main: bool = False  # the article's main event: the headline's, else the lead's
    is_background: bool = False  # dated more than a year before the article: history, not news of the day
    claim: Claim | None = None  # the claim whose content reports the event ("police said two were killed")

    @property
    def trigger_span(self) -> tuple[str, int, int]:
        """Trigger text and offsets: the phrase when there is one, else the trigger word."""
        if self.phrase is not None:
            return self.phrase.text, self.phrase.start_char, self.phrase.end_char
        return self.trigger.text, self.trigger.idx, self.trigger.idx + len(self.trigger)


def _negated(trigger: Token, head: Token) -> bool:
    """ "did not protest", "no election was held" — but not "if he doesn't do well in the primary"
    (the primary is only where it happens) nor "the election is not until 2019" (a delay)."""
    if any(c.dep_ == "neg" for c in trigger.children):
        return True
    if not any(c.dep_ == "neg" for c in head.children):
        return False
    if any(c.lower_ == "until" for c in head.subtree if c.head == head or c.head.dep_ == "neg"):
        return False
    return trigger == head or trigger.pos_ == "VERB" or trigger.head == head and trigger.dep_ in {*syntax.SUBJECTS, "dobj", "attr"}


def _status(trigger: Token) -> str:
    """occurred / scheduled / cancelled / called_for / negated, from the trigger's clause."""
    status = lexicons.load("events")["status"]
    head = _event_clause(trigger)
    clauses = [head, *(c for c in head.children if c.dep_ == "conj" and c.pos_ in {"VERB", "AUX"})]
    ancestors = [a for a in list(head.ancestors)[:2] if a.pos_ in {"VERB", "AUX", "ADJ"}]  # "plans to strike", not "the plans announced"
    chain = [trigger, *clauses, *ancestors]
    words = {
        t.lemma_.lower()
        for node in chain
        for t in [node, *node.children]
        if t != trigger and (t == node or t.dep_ not in {"nsubj", "dobj", "pobj", *syntax.CLAUSE_LINKS})  # not another clause's words
    }
    governing = {t.lemma_.lower() for t in chain if t != trigger}
    governing |= {f"{t.lemma_.lower()} {c.lower_}" for t in chain if t != trigger for c in t.children if c.dep_ == "prt"}
    if governing & set(status["cancelled"]["lemmas"]):
        return "cancelled"
    if _negated(trigger, head):
        return "negated"
    if head.lemma_ == "fail" or trigger.head.lemma_ == "fail":
        return "negated"
    if any(syntax.tense(c) == "future" for c in clauses) or words & set(status["scheduled"]["lemmas"]) and head.tag_ != "VBD":
        return "scheduled"
    calls = any(a.lemma_ == "call" and any(c.lower_ == "for" for c in a.children) for a in chain if a != trigger)  # not "called for" itself
    if words & set(status["called_for"]["lemmas"]) or calls:
        return "called_for"
    return "occurred"


def _distance(a: Token, b: Token) -> int:
    """Path length between two tokens in the dependency tree."""
    up_a = [a, *a.ancestors]
    up_b = [b, *b.ancestors]
    index_b = {t.i: n for n, t in enumerate(up_b)}
    for n, t in enumerate(up_a):
        if t.i in index_b:
            return n + index_b[t.i]
    return 99


def _event_clause(trigger: Token) -> Token:
    """The verb that speaks of the event: the trigger verb, the verb of a relative
    clause on a noun trigger ("a consultation which was to be held …"), or the clause head."""
    if trigger.pos_ == "VERB":
        return trigger
    for child in trigger.children:
        if child.dep_ in {"relcl", "acl"} and child.pos_ in {"VERB", "AUX"}:
            return child
    return syntax.clause_head(trigger)


def _reported_by(trigger: Token, cue: Token) -> bool:
    """Is the trigger inside what the speech verb reports (its clausal complement)?"""
    return any(c.dep_ == "ccomp" and trigger.i in {t.i for t in c.subtree} for c in cue.children)


def _own_words(trigger: Token) -> set[int]:
    """A verb trigger's phrase without the clauses and event nouns under it: in "announced the end of
    a project begun two years ago", "two years ago" belongs to "begun", and in "charged in the 1967
    slayings" 1967 is the slayings'. A noun's clauses speak of it ("a vote which is to be held on
    July 17"): they are its own."""
    within = {t.i for t in trigger.subtree}
    if trigger.pos_ not in {"VERB", "AUX"}:
        return within
    verbs = {"VERB", "AUX"}
    during = {"during", "amid", "amidst", "throughout"}  # "fled during clashes in April": the same time
    heads = [t for t in trigger.subtree if t != trigger and (t.pos_ in verbs or is_event_word(t) and t.head.lower_ not in during)]
    under: set[int] = set()  # the heads and every word below one (walking each word's ancestors instead is quadratic)
    for head in heads:
        if head.i not in under:
            under.update(t.i for t in head.subtree)
    return within - under


def _dates_by_closeness(trigger: Token, cue_lemmas: AbstractSet[str], ctx: ArticleContext) -> list[Span]:
    """DATE/TIME entities that can date the trigger: in its own phrase first, then in
    its clause, then in the clauses it depends on; never in an unrelated subordinate
    clause, and never the date of a speech verb ("…, police told reporters on Sunday")."""
    head = syntax.clause_head(trigger)
    own = _own_words(trigger)
    others = {t.i for t in trigger.subtree} - own  # the words of the clauses and events under it
    governing = {head.i} | {a.i for a in head.ancestors}
    ranked = []
    for ent in ctx.sentence_ents(trigger):
        if ent.label_ not in {"DATE", "TIME"} or ent.root.dep_ == "poss" and ent.root.head != trigger:
            continue  # "fell from Monday's close": the date of the close, not of the fall ("next week's primary" is)
        ent_clause = syntax.clause_head(ent.root)
        if ent_clause.lemma_ in cue_lemmas and _reported_by(trigger, ent_clause) or ent.root.i in others:
            continue
        if ent.root.i in own:
            tier = 0
        elif ent_clause.i == head.i:
            tier = 1
        elif ent_clause.i in governing:
            tier = 2
        else:
            continue
        ranked.append(((tier, _distance(trigger, ent.root)), ent))
    return [ent for _, ent in sorted(ranked, key=lambda x: x[0])]


@dataclass
class EventScan:
    """What the event rules of one article share: the context, the lead sentence, and the last
    event dated by its own words (for "two days later" and for sentences that go on about it)."""

    ctx: ArticleContext
    lead: int  # index of the lead sentence (the first of the body, after a headline and a dateline)
    phrases: dict[int, tuple[str, Span]]
    cue_lemmas: AbstractSet[str]
    context: ResolvedDate | None = None
    context_sentence: int = -2
    context_type: str | None = None

    @classmethod
    def start(cls, ctx: ArticleContext) -> EventScan:
        body = max(ctx.article.dateline_end, ctx.article.headline_end)
        lead = next((i for i, s in enumerate(ctx.sentences) if s.start_char >= body and s.text.strip()), 0)
        return cls(ctx, lead, phrase_triggers(ctx.doc), frozenset(cue_verbs()))

    def remember(self, found: list[Event], index: int) -> None:
        """The first event of the sentence dated by its own words is the context of what follows."""
        dated = [e for e in found if e.date and not e.date.rule.startswith(("lead", "context", "bound", "tense"))]
        if dated:
            self.context, self.context_sentence, self.context_type = dated[0].date, index, dated[0].type


def _tense(event: Event) -> str:
    return "future" if event.status in {"scheduled", "cancelled", "called_for"} else "past"


def stated_date(event: Event, scan: EventScan) -> tuple[ResolvedDate, str | None] | None:
    """The closest date expression of the sentence that can date the trigger (its `date_rule` is
    the date rule that resolved it)."""
    context = scan.context.start if scan.context else None
    tense = _tense(event)
    if tense == "past" and event.trigger.pos_ in {"NOUN", "PROPN"} and syntax.clause_head(event.trigger).tag_ not in {"VBD", "VBN"}:
        tense = "neutral"  # "voters prepare for the Nov. 8 election": nothing says it is over, so the nearest Nov. 8
    for ent in _dates_by_closeness(event.trigger, scan.cue_lemmas, scan.ctx):
        if resolved := resolve(ent.text, scan.ctx.published, tense, context):
            return resolved, ent.text
    return None


@rule("lead:published-date", "events.date_rule")
def lead_date(event: Event, scan: EventScan) -> tuple[ResolvedDate, str | None] | None:
    """ "Troops shelled the port, officials said.": the headline and the lead sentence report the news of the published date."""
    main_clause = _main_clause(event, scan)
    in_headline = event.trigger.idx < scan.ctx.article.headline_end  # Title Case parses badly: any clause
    base = scan.ctx.published
    if (event.sentence_index == scan.lead and main_clause or in_headline) and base is not None and event.status == "occurred":
        return ResolvedDate(base, "day", "lead:published-date"), None
    return None


OPENING_SENTENCES = 2  # after the lead: sentences that still tell the news of the day ("lead:opening")
RECENT_DAYS = 6  # "has announced", an opening sentence: the week up to the published date


def _main_clause(event: Event, scan: EventScan) -> bool:
    """The sentence's main verb, or the clause a main-verb cue reports ("Troops shelled the port, officials said")."""
    head = syntax.clause_head(event.trigger)
    return head.dep_ == "ROOT" or (head.dep_ == "ccomp" and head.head.dep_ == "ROOT" and head.head.lemma_ in scan.cue_lemmas)


@rule("lead:opening", "events.date_rule")
def opening_date(event: Event, scan: EventScan) -> tuple[ResolvedDate, str | None] | None:
    """ "Shares fell 3 percent." in the two sentences after the lead: the opening of a story tells the news of the
    last days — the week up to the published date (precision week), not a day the text does not give."""
    base = scan.ctx.published
    opening = scan.lead < event.sentence_index <= scan.lead + OPENING_SENTENCES
    if base is None or not opening or event.status != "occurred" or not _main_clause(event, scan):
        return None
    if syntax.clause_head(event.trigger).tag_ != "VBD":
        return None
    return ResolvedDate(base - timedelta(days=RECENT_DAYS), "week", "lead:opening"), None


@rule("context:previous-event", "events.date_rule")
def previous_event_date(event: Event, scan: EventScan) -> tuple[ResolvedDate, str | None] | None:
    """ "The fighting ended at dawn." after a dated fight: an undated sentence going on about the same kind of event."""
    tok, context = event.trigger, scan.context
    head = syntax.clause_head(tok)
    if (
        context is not None
        and same_family(event.type, scan.context_type)
        and not any(e.label_ in {"DATE", "TIME"} and not is_duration(e.text) for e in scan.ctx.sentence_ents(event.sentence))
        and event.sentence_index == scan.context_sentence + 1
        and event.status == "occurred"
        and head.tag_ == "VBD"
        and (tok == head or tok.dep_ in syntax.SUBJECTS and tok.head == head)
    ):
        return ResolvedDate(context.start, context.precision, "context:previous-event"), None
    return None


PRESENT_TAGS = {"VBZ", "VBP"}


def _aux_tags(verb: Token) -> dict[str, str]:
    return {c.lower_: c.tag_ for c in verb.children if c.dep_ in {"aux", "auxpass"}}


@rule("tense", "events.date_rule", "tense:present", "tense:perfect")
def tense_date(event: Event, scan: EventScan) -> tuple[ResolvedDate, str | None] | None:
    """ "The store sells films", "the plant is closing": a present-tense report holds at the published date;
    "the firm has announced a merger": the present perfect of news is recent — the week up to the published date."""
    base = scan.ctx.published
    verb = _event_clause(event.trigger)
    if base is None or event.status != "occurred" or verb.pos_ not in {"VERB", "AUX"}:
        return None
    if event.trigger != verb and not (event.trigger.head == verb and event.trigger.dep_ in {*syntax.SUBJECTS, "dobj"}):
        return None  # a noun trigger counts only as its verb's subject or object
    auxes = _aux_tags(verb)
    if any(a in {"will", "would", "could", "might", "may", "should", "must", "can", "had", "did", "was", "were"} for a in auxes):
        return None
    if auxes.keys() & {"has", "have", "'ve", "'s"} and verb.tag_ == "VBN":
        return ResolvedDate(base - timedelta(days=RECENT_DAYS), "week", "tense:perfect"), None
    present = (not auxes and verb.tag_ in PRESENT_TAGS) or (verb.tag_ in {"VBG", "VBN"} and bool(set(auxes.values()) & PRESENT_TAGS))
    if present and not any(c.dep_ == "mark" and c.lower_ in {"if", "unless", "when", "once"} for c in verb.children):
        return ResolvedDate(base, "day", "tense:present"), None
    return None


@rule("bound:published", "events.date_rule")
def published_bound(event: Event, scan: EventScan) -> tuple[ResolvedDate, str | None] | None:
    """ "Rebels had attacked a convoy." with no date: a past report happened by the published date (start unknown)."""
    base = scan.ctx.published
    if base is None or event.status != "occurred":
        return None
    return ResolvedDate(base, "unknown", "bound:published"), None


def same_family(kind: str, other: str | None) -> bool:
    """The same type, or two types of one family of lexicons/events.yaml (an attack and the fighting)."""
    return kind == other or any(kind in members and other in members for members in lexicons.load("events")["families"].values())


EVENT_DATE_RULES: tuple[Callable[[Event, EventScan], tuple[ResolvedDate, str | None] | None], ...] = (
    stated_date,
    lead_date,
    previous_event_date,
    opening_date,
    tense_date,
    published_bound,
)


@rule("trigger:lexicon", "events.rule")
def lexicon_event(trigger: Trigger, sentence: Span, index: int, scan: EventScan) -> Event | None:
    """ "Troops shelled the port on Monday": a word of lexicons/events.yaml is an event of its type, dated as EVENT_DATE_RULES can."""
    tok = trigger.token
    event = Event(trigger.type, _status(tok), tok, sentence, index, rule=trigger.rule, phrase=trigger.phrase)
    found = next((d for date_rule in rules.active(EVENT_DATE_RULES) if (d := date_rule(event, scan))), None)
    if found is not None:
        event.date, event.date_text = found
    base = scan.ctx.published
    if base is not None and event.date is not None and event.date.start > base and event.status == "occurred":
        event.status = "scheduled"  # a date after publication can only be planned
    dateline_end = scan.ctx.article.dateline_end
    event.actors, event.targets = participants(tok, scan.ctx, dateline_end)
    event.place = place_of(tok, scan.ctx, dateline_end)
    return event


EVENT_RULES: tuple[Callable[[Trigger, Span, int, EventScan], Event | None], ...] = (lexicon_event,)


def _carries_a_toll(tok: Token) -> bool:
    """ "killing 30", "12 were wounded": a casualty verb with a number — a toll, not an event of its own."""
    return any(
        c.like_num or c.ent_type_ == "CARDINAL" for c in tok.children if c.dep_ in {"dobj", "nsubj", "nsubjpass", "npadvmod"}
    ) or any(g.like_num for c in tok.children if c.dep_ in {"dobj", "nsubj", "nsubjpass"} for g in c.children if g.dep_ == "nummod")


def _is_own_event(trigger: Trigger, triggers: list[Trigger], scan: EventScan) -> bool:
    """Is this trigger an event of its own — not a toll, a name, a modifier or the dateline?"""
    tok = trigger.token
    casualty_only = lexicons.words("events", "casualty_only")
    others = [t for t in triggers if t.token.lemma_ not in casualty_only]
    if tok.lemma_ in casualty_only and others and _carries_a_toll(tok):
        return False  # "killing 30" in a sentence about an earthquake is its toll, not another event
    tokens = [t.token for t in triggers]
    subjects = [c for c in tok.children if c.dep_ in syntax.SUBJECTS]
    subjects += [w for c in subjects for w in c.children if w.dep_ == "compound" and w.ent_type_ == "EVENT"]  # "Typhoon" Haiyan
    if tok.pos_ == "VERB" and trigger.type != "MARKET" and any(w in tokens for w in subjects):
        return False  # "an earthquake struck", "Typhoon Haiyan struck": the subject names the event
    if tok.pos_ == "VERB" and tok.dep_ == "amod":
        return False  # "occupied Kuwait", "state-appointed receivers": a participle used as an adjective
    storm_name = tok.ent_type_ == "EVENT" and tok.ent_iob_ == "B"  # "Hurricane Otis hit …"
    in_headline = tok.idx < scan.ctx.article.headline_end  # Title Case: "Rebels Seize Town" parses as a name
    if not in_headline and ((tok.dep_ == "compound" and not storm_name) or tok.ent_type_ not in {"", "EVENT"}):
        return False
    return tok.idx >= scan.ctx.article.dateline_end


def _repeats(event: Event, found: list[Event]) -> bool:
    """A second event of a type in the sentence is its own row only with another word and other participants."""
    names = [p.name for p in event.actors + event.targets]
    return any(
        e.type == event.type and (e.trigger.lemma_ == event.trigger.lemma_ or [p.name for p in e.actors + e.targets] == names)
        for e in found
    )


def _clause_triggers(word: Token) -> list[int]:
    """The word and its subjects: where a toll's event is written ("a bomb wounded five": the bomb)."""
    return [word.i, *(c.i for c in word.children if c.dep_ in {"nsubj", "nsubjpass"})]


def share_counts(found: list[Event], sentence: Span, ctx: ArticleContext) -> None:
    """Each toll of the sentence goes to the event whose clause states it ("gunmen attacked a convoy,
    killing three, and a bomb wounded five": three for the attack, five for the bomb); a toll
    in no event's clause goes to the sentence's violent event, else its first."""
    violence = lexicons.load("events")["families"]["violence"]
    fallback = next((e for e in found if e.type in violence), found[0])
    by_trigger = {e.trigger.i: e for e in found}
    for column, parsed, token in count_mentions(sentence, ctx):
        owner = next((by_trigger[i] for a in [token, *token.ancestors] for i in _clause_triggers(a) if i in by_trigger), fallback)
        owner.counts.setdefault(column, parsed)


def extract_events(ctx: ArticleContext) -> list[Event]:
    """Every event of one article, in text order, the sentence's casualty counts on its attack
    (or its first event)."""
    scan = EventScan.start(ctx)
    event_rules = rules.active(EVENT_RULES)
    events: list[Event] = []
    for index, sentence in enumerate(ctx.sentences):
        found_here: list[Event] = []
        triggers = sentence_triggers(sentence, scan.phrases, ctx.article.headline_end)
        for trigger in [t for t in triggers if _is_own_event(t, triggers, scan)] or _untyped(sentence, index, scan):
            event = next((e for event_rule in event_rules if (e := event_rule(trigger, sentence, index, scan))), None)
            if event is not None and not _repeats(event, found_here):
                found_here.append(event)
        if found_here and (previous := _toll_of_previous(found_here, events, index)) is not None:
            previous.counts = counts_in(sentence, ctx)  # "A bomb went off. Twelve people were killed."
        elif found_here:
            share_counts(found_here, sentence, ctx)
            scan.remember(found_here, index)
            events.extend(found_here)
    for event in events:
        event.is_background = is_background(event, ctx)
        event.claim = reporting_claim(event, ctx)
    if main := main_event(events, scan):
        main.is_main = True
    return events


def _untyped(sentence: Span, index: int, scan: EventScan) -> list[Trigger]:
    """The headline's or the lead's main verb when no typed trigger is there (flows/extract/occurrences.py)."""
    in_headline = sentence.start_char < scan.ctx.article.headline_end
    if (index != scan.lead and not in_headline) or not rules.is_on(name_of(main_clause_trigger)):
        return []
    found = main_clause_trigger(sentence)
    if found is None or scan.ctx.article.headline_end <= found.token.idx < scan.ctx.article.dateline_end:
        return []  # not the dateline's words
    return [found]


def _toll_of_previous(found: list[Event], events: list[Event], index: int) -> Event | None:
    """The violent event of the sentence before, when this sentence only gives its toll
    ("Twelve people were killed and 30 wounded."): the numbers are its counts, not new events."""
    casualty_only = lexicons.words("events", "casualty_only")
    if not all(e.trigger.lemma_ in casualty_only and _carries_a_toll(e.trigger) for e in found):
        return None
    violence = lexicons.load("events")["families"]["violence"]
    before = [e for e in events if e.sentence_index == index - 1 and e.type in violence and not e.counts]
    return before[0] if before else None


def main_event(events: list[Event], scan: EventScan) -> Event | None:
    """The article's main event: the first event the headline reports, else the lead sentence's
    first (occurred ones first: a headline's plan is still its main event when nothing happened)."""
    headline_end = scan.ctx.article.headline_end
    for pool in ([e for e in events if e.trigger.idx < headline_end], [e for e in events if e.sentence_index == scan.lead]):
        if pool:
            return next((e for e in pool if e.status == "occurred"), pool[0])
    return None


def is_background(event: Event, ctx: ArticleContext) -> bool:
    """ "the 2008 war", "elected two years ago": an event dated more than a year before the article is background."""
    base = ctx.published
    if base is None or event.date is None or event.date.precision == "unknown":
        return False
    return (base - event.date.end).days > BACKGROUND_DAYS


def reporting_claim(event: Event, ctx: ArticleContext) -> Claim | None:
    """The claim whose content holds the trigger ("police said two people were killed"): who reports the event."""
    idx = event.trigger.idx
    return next((c for c in ctx.claims if c.start <= idx < c.end and (c.cue is None or c.cue.i != event.trigger.i)), None)
