"""People within one article: PERSON mentions grouped into one local person each, with titles.

"Ana Horvat", "Horvat", "Ms. Horvat" and a transliteration variant
("Horvath") become one person; resolve.py later joins people across articles.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from spacy.tokens import Span

from flows import lexicons
from flows.annotate import AnnotatedArticle
from flows.extract.syntax import is_quote_mark
from flows.names import fold, same_person_in_article


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
        return max(self.forms, key=lambda f: (len(f.split()), self.forms.count(f), -self.forms.index(f)))

    @property
    def aliases(self) -> set[str]:
        return (set(self.forms) | self.written) - {self.name}

    @property
    def surname(self) -> str:
        return fold(self.name.split()[-1])

    @property
    def given(self) -> str | None:
        parts = self.name.split()
        return fold(parts[0]) if len(parts) > 1 else None


def _honorific_gender(honorific: str) -> str:
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


def _matches(person: LocalPerson, name: str) -> bool:
    return same_person_in_article(person.surname, person.given, name)


def group_people(ann: AnnotatedArticle) -> list[LocalPerson]:
    """PERSON mentions of one article grouped into local people (longest names first)."""
    heads, honorifics = lexicons.words("titles", "heads"), lexicons.words("titles", "honorifics")
    abbreviations = lexicons.load("titles")["abbreviations"]
    mentions = [e for e in ann.doc.ents if e.label_ == "PERSON"]
    people: list[LocalPerson] = []
    owner: dict[int, LocalPerson] = {}
    for ent in sorted(mentions, key=lambda e: (-len(e.text.split()), e.start)):
        name = " ".join(ent.text.split())
        matches = [p for p in people if _matches(p, name)]
        if matches:
            # several people share the surname: the one mentioned last before this mention
            before = [(m.start, p) for p in matches for m in p.mentions if m.start < ent.start]
            person = max(before, key=lambda x: x[0])[1] if before else matches[0]
        else:
            person = LocalPerson(key=f"{ann.article.article_id}:{len(people)}")
            people.append(person)
        owner[ent.start] = person
        person.mentions.append(ent)
        person.forms.append(name)
    for ent in mentions:  # second pass in text order: titles, written forms, gender
        person = owner[ent.start]
        name = " ".join(ent.text.split())
        titles, disputed, honorific = _preceding_titles(ent, heads, abbreviations, honorifics)
        person.titles.update(titles + _appositive_titles(ent, heads))
        person.disputed_titles.update(disputed)
        if honorific:
            person.written.add(f"{honorific} {name}")
            person.gender = person.gender or _honorific_gender(honorific)
        prefix = ent.doc[max(ent.start - 2, 0) : ent.start].text.replace(" .", ".").split()
        if prefix and (prefix[-1].lower() in abbreviations or prefix[-1].lower() + "." in abbreviations):
            person.written.add(f"{prefix[-1]} {name}")
    for person in people:
        person.mentions.sort(key=lambda e: e.start)
    return people
