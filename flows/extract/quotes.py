"""Pair quotation marks into quotes, per paragraph, without ever raising.

Curly marks pair open “ with close ”; straight " marks toggle. A mark that
cannot be paired (unbalanced or mismatched) is skipped, and a quote never
crosses a paragraph break, so one broken mark cannot swallow the article.
"""

from __future__ import annotations

from dataclasses import dataclass

OPENERS = {"“", "«", "„", "‘‘"}
CLOSERS = {"”", "»", "‟"}
STRAIGHT = '"'


@dataclass(frozen=True)
class Quote:
    """Quoted words: `start`/`end` are the offsets of the words inside the marks."""

    start: int
    end: int
    paragraph: int

    def text(self, article_text: str) -> str:
        return article_text[self.start : self.end]


def _trimmed(text: str, start: int, end: int, paragraph: int) -> Quote | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:"):
        end -= 1
    return Quote(start, end, paragraph) if end > start else None


def pair_quotes(text: str) -> list[Quote]:
    """Every pairable quotation in the text, in order: double marks, and single curly marks
    (British style) that are not inside a double-quoted passage."""
    doubles = _pair_doubles(text)
    singles = [q for q in _pair_singles(text) if not any(d.start <= q.start < d.end for d in doubles)]
    return sorted(doubles + singles, key=lambda q: q.start)


def _pair_singles(text: str) -> list[Quote]:
    """‘…’ pairs. ’ is also the apostrophe, so it closes only when no letter follows it (“don’t” stays open)."""
    quotes: list[Quote] = []
    paragraph = 0
    open_at: int | None = None
    for i, ch in enumerate(text):
        if ch == "\n" and i + 1 < len(text) and text[i + 1] == "\n":
            paragraph += 1
            open_at = None
        elif ch == "‘" and (i == 0 or not text[i - 1].isalnum()):
            open_at = i
        elif ch == "’" and open_at is not None and not (i + 1 < len(text) and text[i + 1].isalpha()):
            if quote := _trimmed(text, open_at + 1, i, paragraph):
                quotes.append(quote)
            open_at = None
    return quotes


def _pair_doubles(text: str) -> list[Quote]:
    quotes: list[Quote] = []
    paragraph = 0
    open_at: int | None = None
    for i, ch in enumerate(text):
        if ch == "\n" and i + 1 < len(text) and text[i + 1] == "\n":
            paragraph += 1
            open_at = None  # an unclosed quote ends with its paragraph, unpaired
        elif ch in OPENERS:
            open_at = i  # a second opener means the first was never closed
        elif ch in CLOSERS or ch == STRAIGHT:
            if open_at is not None:
                if quote := _trimmed(text, open_at + 1, i, paragraph):
                    quotes.append(quote)
                open_at = None
            elif ch == STRAIGHT:
                open_at = i
    return quotes
