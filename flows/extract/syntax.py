"""Small helpers over spaCy's dependency parse shared by the extractors."""

from __future__ import annotations

from collections.abc import Set as AbstractSet

from spacy.tokens import Doc, Span, Token

from flows import lexicons

SUBJECTS = {"nsubj", "nsubjpass", "csubj"}
CLAUSE_LINKS = {"advcl", "xcomp", "conj", "pcomp", "acl", "relcl", "ccomp"}
FUTURE_WORDS = {"will", "would", "shall", "'ll"}
QUOTE_CHARS = '"“”«»„‟'
CONTRAST_MARKS = {"while", "whereas"}  # "47% say A, while 37% say B": two reports side by side


def clause_head(token: Token) -> Token:
    """The verb (or sentence root) whose clause contains the token."""
    current = token
    while current.pos_ not in {"VERB", "AUX"} and current.dep_ != "ROOT" and current.head != current:
        current = current.head
    return current


# "began by saying", "paused before adding", "quoted as saying"
TIME_AND_MANNER = {"by", "before", "after", "while", "upon", "without", "as"}


def subject(verb: Token) -> Token | None:
    """Grammatical subject of a verb, inherited through xcomp/advcl/conj chains ("adding that …")
    and through a preposition on a verb ("began by saying", "paused before adding")."""
    current: Token | None = verb
    prepositional = False  # inherited through "by", "before" …: only a subject that can speak
    for _ in range(6):
        if current is None:
            return None
        for child in current.children:
            if child.dep_ in SUBJECTS:
                return child if not prepositional or can_speak(child) else None
        through_preposition = current.dep_ == "prep" and current.lower_ in TIME_AND_MANNER and current.head.pos_ in {"VERB", "AUX"}
        prepositional = prepositional or through_preposition
        if (current.dep_ in {"xcomp", "advcl", "conj", "pcomp"} or through_preposition) and current.head != current:
            current = current.head
        else:
            return None
    return None


def is_animate(token: Token) -> bool:
    """Can this subject speak? A person, a pronoun, a named group, a speaking noun (police, ministry)
    or a share of people ("47% said", "a majority of voters say")."""
    if token.pos_ == "PRON" or token.ent_type_ in {"PERSON", "ORG", "GPE", "NORP"}:
        return True
    lemma = token.lemma_.lower()
    return lemma in lexicons.words("cues", "speaker_nouns") or lemma in lexicons.words("titles", "heads") or is_share_of_people(token)


def can_speak(token: Token) -> bool:
    """A subject that can speak, or a name: the small model often leaves a group's or a person's
    name untyped ("Harbour Watch issued …")."""
    return is_animate(token) or token.pos_ == "PROPN"


def is_share_of_people(token: Token) -> bool:
    """ "47%", "more than 4 in 10", "a majority of voters", "half of them": a number or share whose
    "of …", when it has one, are people or a plural (not "half of the budget")."""
    if not (token.like_num or token.lemma_.lower() in lexicons.words("cues", "share_words")):
        return False
    of = next((c for c in token.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    whole = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
    return whole is None or whole.pos_ == "PRON" or whole.tag_ in {"NNS", "NNPS"} or is_animate(whole)


def issuer(document: Token) -> Token | None:
    """Who put a statement out: "the union issued a statement saying …" is the union speaking, when
    the document noun is the object of a verb whose subject can speak or is a name (the small
    model often leaves a group's name untyped)."""
    if document.dep_ != "dobj" or document.lemma_.lower() not in lexicons.words("cues", "source_nouns"):
        return None
    found = subject(document.head)
    return found if found is not None and can_speak(found) else None


def speaking_subject(cue: Token, cue_lemmas: set[str]) -> Token | None:
    """Subject of a speech verb. A speech verb coordinated inside reported content
    ("said the decision was … and vowed to appeal") belongs to the outer speaker
    when the inner subject cannot speak."""
    found = subject(cue)
    if found is not None and displaced_subject(cue) == found:
        found = next(c for c in cue.children if c.dep_ in SUBJECTS and c.i > cue.i)
    if found is not None and is_animate(found):
        return found
    if found is None and (sender := recipients_sender(cue)) is not None:
        return sender
    if found is None and cue.dep_ in {"acl", "relcl"} and cue.head.pos_ in {"NOUN", "PROPN"} and is_animate(cue.head):
        return issuer(cue.head) or cue.head  # "The mayor, X, called for …" parsed as a clause on "mayor"
    node, first_outer = cue, None
    while node.head != node:  # "said the move was made by X and said …": the outer cue that has a speaker
        node = node.head
        if node.lemma_ in cue_lemmas and node.pos_ == "VERB" and (outer := subject(node)) is not None:
            if is_animate(outer):
                return outer
            first_outer = first_outer or outer
    return first_outer or found


def displaced_subject(cue: Token) -> Token | None:
    """ "The plan, said Ivo Lenz, would fail": the parser makes "plan" a second subject of "said";
    the words before the cue that cannot speak, when one who can follows the cue, open what was said."""
    subjects = [c for c in cue.children if c.dep_ in SUBJECTS]
    before = [c for c in subjects if c.i < cue.i and not is_animate(c)]
    after = [c for c in subjects if c.i > cue.i and is_animate(c)]
    return before[0] if before and after else None


def recipients_sender(cue: Token) -> Token | None:
    """ "The mayor sent a letter to residents saying …": a participle the parser hangs on whoever
    something was sent or said to is said by the sender, the subject of the verb "to" belongs to."""
    recipient = cue.head
    if cue.dep_ != "acl" or recipient.dep_ != "pobj" or recipient.head.lower_ != "to":
        return None
    verb = clause_head(recipient.head)  # "a letter to residents": the verb the letter is of
    found = subject(verb) if verb.pos_ in {"VERB", "AUX"} else None
    return found if found is not None and can_speak(found) else None


def _another_report(child: Token, exclude: set[str]) -> bool:
    """A cue verb coordinated with a clause is another report, not part of it: "said the plan failed
    and vowed to appeal", "47% say the plan works, while 37% say it does not" — unless it opens with
    "that", a second clause of the same report ("said that A but that B")."""
    if child.lemma_ not in exclude or child.left_edge.lower_ == "that":
        return False
    if child.dep_ == "conj":
        return True
    marks = {c.lower_ for c in child.children if c.dep_ == "mark"}
    said = child.lemma_ in lexicons.load("cues")["families"]["speech"]  # "while her rival wants …" is what she said
    return child.dep_ == "advcl" and said and bool(marks & CONTRAST_MARKS) and any(c.dep_ in SUBJECTS for c in child.children)


def clause_span(clause: Token, exclude: set[str]) -> Span:
    """A clause's words, leaving out the other reports coordinated with it (cue verbs whose lemma is
    in `exclude`, and their conjunction)."""
    doc = clause.doc
    end = clause.right_edge.i + 1
    for child in clause.rights:
        if _another_report(child, exclude):
            cut = child.left_edge.i
            while cut > clause.i and (doc[cut - 1].dep_ == "cc" or doc[cut - 1].is_punct):
                cut -= 1
            end = min(end, cut)
    return doc[clause.left_edge.i : end]


def verb_lemma(word: str, known: AbstractSet[str]) -> str | None:
    """The known verb a word is a form of ("Says", "warns", "Slammed", "Kills"), when the tagger
    cannot tell (Title Case headlines), or None."""
    word = word.lower()
    irregular = lexicons.load("cues")["irregular_forms"]
    forms = [irregular.get(word, word), word[:-1], word[:-2], word[:-3] + "y", word[:-3] + "e"]
    return next((f for f in forms if f in known), None)


def without_quote_marks(text: str) -> str:
    return " ".join("".join(c for c in text if c not in QUOTE_CHARS).split())


def noun_phrase(head: Token) -> Span:
    """The noun phrase of a head: its determiners, modifiers and "of …" complements, no clauses or appositions."""
    doc = head.doc
    keep = {head.i}
    stack = [head]
    while stack:
        tok = stack.pop()
        for child in tok.children:
            if child.dep_ in {"det", "compound", "amod", "poss", "nmod", "nummod", "case", "prep", "pobj", "quantmod", "flat", "predet"}:
                if child.dep_ == "prep" and child.lower_ != "of" and not (tok.like_num and child.lower_ == "in"):
                    continue  # "of …" belongs to the noun, and "in 10" to "4 in 10"
                keep.add(child.i)
                stack.append(child)
    start, end = min(keep), max(keep) + 1
    while start < end and (doc[start].is_punct or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].pos_ == "PUNCT" or doc[end - 1].is_space):
        end -= 1  # "%" is punctuation to Unicode but a noun in "47%"
    return doc[start:end]


def tense(verb: Token) -> str:
    """'future' for will/would/is to/scheduled clauses, else 'past' (news reports what happened)."""
    words = {c.lower_ for c in verb.children if c.dep_ in {"aux", "auxpass"}}
    if words & FUTURE_WORDS or verb.tag_ == "VBG" and verb.lemma_ in {"plan", "schedule", "prepare"}:
        return "future"
    if verb.lemma_ in {"schedule", "plan", "due", "expect"}:
        return "future"
    for child in verb.children:
        # "was to be held", "is to meet": be + infinitive speaks of a plan
        if verb.lemma_ == "be" and child.dep_ == "xcomp" and any(a.lower_ == "to" for a in child.children if a.dep_ == "aux"):
            return "future"
    # "was to be held": the head of an xcomp chain is "be" with an infinitive complement
    head = verb
    while head.dep_ == "xcomp" and head.head != head:
        head = head.head
        if head.lemma_ == "be":
            return "future"
        if head.lemma_ in {"schedule", "plan", "expect", "set", "due", "intend", "prepare"}:
            return "future"
    return "past"


def strip_span(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Token bounds without edge punctuation, spaces or a leading "that"."""
    while start < end and (doc[start].is_punct or doc[start].is_space or doc[start].lower_ == "that" and doc[start].dep_ == "mark"):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space or doc[end - 1].dep_ == "cc"):
        end -= 1  # "…, and" left by a cut clause
    if sum(is_quote_mark(t) for t in doc[start:end]) % 2:  # keep the closing mark of a quotation the span opens
        close = next((i for i in range(end, min(len(doc), end + 3)) if is_quote_mark(doc[i])), None)
        if close is not None and all(doc[j].is_punct for j in range(end, close)):
            end = close + 1  # 'called it “a farce.”' — the full stop inside the marks comes with them
    return start, end


def is_quote_mark(token: Token) -> bool:
    """A quotation mark token (a lone ‘ or ’ counts; the apostrophe of “army’s” is part of a word)."""
    return token.is_punct and (any(c in QUOTE_CHARS for c in token.text) or token.text in {"‘", "’"})
