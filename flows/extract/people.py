"""People within one article: PERSON mentions grouped into one local person each, with titles.

"Ana Horvat", "Horvat", "Ms. Horvat" and a transliteration variant
("Horvath") become one person; resolve.py later joins people across articles.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from spacy.tokens import Span

from flows import lexicons
from flows.annotate import AnnotatedArticle
from flows.extract.syntax import is_quote_mark
from flows.names import NameParts, given_name_gender, name_parts, same_person_in_article

PRONOUN_LOOKAHEAD = 25  # tokens after a person's mention in which "he"/"she" is read as theirs


@dataclass
class LocalPerson:
    """One person as seen in one article."""

    key: str
    forms: list[str] = field(default_factory=list)  # bare names, longest first
    written: set[str] = field(default_factory=set)  # forms with honorifics ("Ms. Horvat")
    titles: set[str] = field(default_factory=set)
    disputed_titles: set[str] = field(default_factory=set)
    mentions: list[Span] = field(default_factory=list)
    gender: str | None = None

    @property
    def name(self) -> str:
        """The most complete form: most words, then most frequent, then first seen."""
        counts, first = Counter(self.forms), dict[str, int]()
        for i, form in enumerate(self.forms):
            first.setdefault(form, i)
        return max(first, key=lambda f: (len(f.split()), counts[f], -first[f]))

    @property
    def aliases(self) -> set[str]:
        return (set(self.forms) | self.written) - {self.name}

    @property
    def parts(self) -> NameParts:
        return name_parts(self.name)

    def prominence(self, before: int) -> tuple[int, int]:
        """How often the person is named, then how recently, before token `before`."""
        starts = [m.start for m in self.mentions if m.start < before]
        return len(self.mentions), max(starts, default=-1)


def honorific_gender(honorific: str) -> str:
    """ "Mrs." → female, "Mr." → male (lexicons/titles.yaml `female_honorifics`)."""
    return "female" if honorific.lower() in lexicons.words("titles", "female_honorifics") else "male"


def _title_phrases(words: list[str], heads: AbstractSet[str], abbreviations: dict[str, str]) -> list[str]:
    """Split a run of words before a name into titles ("ministry spokesman col." → two titles).
    A title head followed by another ("chief prosecutor") is a modifier of it, not a title of its own."""
    titles: list[str] = []
    current: list[str] = []
    for n, low in enumerate(words):
        if low in abbreviations:
            current = []
            titles.append(abbreviations[low])
            continue
        current.append(low)
        following = words[n + 1] if n + 1 < len(words) else None
        if following == "of" or low == "of":
            continue  # "secretary of state": the title runs on to the word after "of"
        if (low in heads or " ".join(current[-2:]) in heads or len(current) > 2 and current[-2] == "of") and following not in heads:
            titles.append(" ".join(current))
            current = []
    return titles


def _preceding_titles(
    ent: Span, heads: AbstractSet[str], abbreviations: dict[str, str], honorifics: AbstractSet[str]
) -> tuple[list[str], list[str], str | None]:
    """Titles written right before a name; (titles, disputed titles, honorific)."""
    doc = ent.doc
    words: list[str] = []
    quoted: list[bool] = []
    honorific = None
    i = ent.start - 1
    in_quotes = False
    while i >= ent.sent.start:
        tok = doc[i]
        low = tok.lower_
        if tok.text == "." and i > ent.sent.start and doc[i - 1].lower_ + "." in abbreviations.keys() | honorifics:
            i -= 1
            tok, low = doc[i], doc[i].lower_ + "."
        if is_quote_mark(tok):
            in_quotes = not in_quotes
        elif low in honorifics and not words:
            honorific = tok.text if low == tok.lower_ else tok.text + "."
        elif (
            low in abbreviations
            or low in heads
            or low == "of"
            and i > ent.sent.start
            and doc[i - 1].lower_ in heads
            and words
            or tok.is_alpha
            and not words
            and i - 2 >= ent.sent.start
            and doc[i - 1].lower_ == "of"
            and doc[i - 2].lower_ in heads
            or (tok.is_alpha and tok.dep_ in {"compound", "nmod", "amod", "npadvmod"} and tok.pos_ in {"NOUN", "PROPN", "ADJ"})
        ):
            words.insert(0, low)
            quoted.insert(0, in_quotes)
        else:
            break
        i -= 1
    titles = _title_phrases(words, heads, abbreviations)
    disputed = {w for w, q in zip(words, quoted, strict=True) if q}
    return [t for t in titles if not set(t.split()) & disputed], [t for t in titles if set(t.split()) & disputed], honorific


def _appositive_titles(ent: Span, heads: AbstractSet[str]) -> list[str]:
    """Titles in apposition: "the foreign minister, Ana Horvat" / "Ivo Lenz, the prosecutor of …"."""
    root = ent.root
    candidates = [root.head] if root.dep_ == "appos" else []
    candidates += [c for c in root.children if c.dep_ == "appos"]
    if ent.start > ent.sent.start and ent.doc[ent.start - 1].text == ",":
        # "the prosecutor of the court in Geneva, Ivo Lenz": the parser may attach
        # the name to the nearest noun, so look back for the title noun itself
        for tok in reversed(ent.doc[ent.sent.start : ent.start - 1]):
            if tok.pos_ in {"VERB", "AUX"}:
                break
            if tok.lower_ in heads and tok.pos_ == "NOUN":
                candidates.append(tok)
                break
    titles = []
    for noun in candidates:
        mods = [c for c in noun.lefts if c.dep_ in {"compound", "amod"} and c.is_alpha]
        phrase = " ".join([m.lower_ for m in mods] + [noun.lower_])
        if noun.lower_ in heads or phrase in heads:
            titles.append(phrase)
    return titles


def _pronoun_gender(ent: Span, person_starts: AbstractSet[int]) -> str | None:
    """ "Ana Horvat said … She added": the first he/she after a subject mention, before anyone else is named."""
    if ent.root.dep_ not in {"nsubj", "nsubjpass"}:
        return None
    pronouns = lexicons.load("cues")["pronouns"]
    doc = ent.doc
    for tok in doc[ent.end : min(len(doc), ent.end + PRONOUN_LOOKAHEAD)]:
        if tok.i in person_starts:
            return None
        if tok.lower_ in pronouns and tok.pos_ == "PRON":
            return str(pronouns[tok.lower_])
    return None


def _compatible(person: LocalPerson, name: str, gender: str | None) -> bool:
    """Same name (see names.same_person_in_article) and no gender against it ("Mrs. Horvat" is not Ivo Horvat)."""
    return same_person_in_article(person.parts, name) and not (gender and person.gender and gender != person.gender)


def _settle_genders(people: list[LocalPerson], bare: list[Span], genders: dict[int, str | None]) -> None:
    """Before bare surnames join anyone: a full-name person of unknown gender takes the gender most of the
    article's "Mr."/"Mrs." forms of their surname give, so that the fewer forms of the other gender become
    their own person (a spouse) instead of deciding by which comes first."""
    for person in (p for p in people if p.gender is None):
        votes = Counter(genders[e.start] for e in bare if genders[e.start] and same_person_in_article(person.parts, e.text))
        if votes:
            person.gender = votes.most_common(1)[0][0]


def group_people(ann: AnnotatedArticle) -> list[LocalPerson]:
    """PERSON mentions of one article grouped into local people: full names first, then each shorter form
    to the most prominent compatible person (gender from honorifics, pronouns, then the given name; frequency,
    then recency)."""
    heads, honorifics = lexicons.words("titles", "heads"), lexicons.words("titles", "honorifics")
    abbreviations = lexicons.load("titles")["abbreviations"]
    mentions = [e for e in ann.doc.ents if e.label_ == "PERSON"]
    written = {ent.start: _preceding_titles(ent, heads, abbreviations, honorifics) for ent in mentions}
    starts = {e.start for e in mentions}
    people: list[LocalPerson] = []
    owner: dict[int, LocalPerson] = {}
    genders = {e.start: honorific_gender(h) if (h := written[e.start][2]) else _pronoun_gender(e, starts) for e in mentions}
    bare = [e for e in mentions if len(e.text.split()) == 1]
    longer = sorted((e for e in mentions if len(e.text.split()) > 1), key=lambda e: (-len(e.text.split()), e.start))

    def place(ent: Span) -> None:
        """The mention joins the most prominent compatible person, or starts one."""
        name = " ".join(ent.text.split())
        gender = genders[ent.start]
        matches = [p for p in people if _compatible(p, name, gender)]
        if matches:
            person = max(matches, key=lambda p: p.prominence(ent.start))
        else:
            person = LocalPerson(key=f"{ann.article.article_id}:{len(people)}")
            people.append(person)
        owner[ent.start] = person
        person.mentions.append(ent)
        person.forms.append(name)
        person.gender = person.gender or gender or given_name_gender(name_parts(name))

    for ent in longer:
        place(ent)
    _settle_genders(people, bare, genders)  # the full names are all in: their genders before the bare surnames join
    for ent in bare:
        place(ent)
    for ent in mentions:  # second pass in text order: titles and written forms
        person = owner[ent.start]
        name = " ".join(ent.text.split())
        titles, disputed, honorific = written[ent.start]
        person.titles.update(titles + _appositive_titles(ent, heads))
        person.disputed_titles.update(disputed)
        if honorific:
            person.written.add(f"{honorific} {name}")
        prefix = ent.doc[max(ent.start - 2, 0) : ent.start].text.replace(" .", ".").split()
        if prefix and (prefix[-1].lower() in abbreviations or prefix[-1].lower() + "." in abbreviations):
            person.written.add(f"{prefix[-1]} {name}")
    for person in people:
        person.mentions.sort(key=lambda e: e.start)
    return people
