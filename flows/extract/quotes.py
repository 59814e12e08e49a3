"""Pair quotation marks into quotes, per paragraph, without ever raising.

Curly marks pair open “ with close ”; straight " marks toggle. A mark that
cannot be paired (unbalanced or mismatched) is skipped, and a quote never
crosses a paragraph break, so one broken mark cannot swallow the article. A
quote left open at a paragraph's end whose next paragraph opens with a mark is
the first part of a multi-paragraph quote (`runs_on`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

OPENERS = {"“", "«", "„", "‘‘"}
CLOSERS = {"”", "»", "‟"}
STRAIGHT = '"'
TWO_APOSTROPHES = "''"  # a double mark typed as two apostrophes (newspaper archives): opens and closes like "
SINGLES = {"‘", "’"}
SPACES = re.compile(r"\s*")
# what the pairing loop visits: a paragraph break (the first of two newlines) or a quotation mark
STOPS = re.compile(r"\n(?=\n)|''|[" + re.escape("".join(sorted(set("".join(OPENERS | CLOSERS | SINGLES)) | {STRAIGHT}))) + "]")


@dataclass(frozen=True)
class Quote:
    """Quoted words: `start`/`end` are the offsets of the words inside the marks."""

    start: int
    end: int
    paragraph: int
    runs_on: bool = False  # unclosed at its paragraph's end, the next paragraph reopening it (a multi-paragraph quote)

    def text(self, article_text: str) -> str:
        return article_text[self.start : self.end]


def _trimmed(text: str, start: int, end: int, paragraph: int, runs_on: bool = False) -> Quote | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:"):
        end -= 1
    return Quote(start, end, paragraph, runs_on) if end > start else None


def pair_quotes(text: str) -> list[Quote]:
    """Every pairable quotation in the text, in order: double marks, and single curly marks
    (British style) that are not inside a double-quoted passage."""
    doubles = _pair(text, _double_mark)
    singles = [q for q in _pair(text, _single_mark) if not any(d.start <= q.start < d.end for d in doubles)]
    return sorted(doubles + singles, key=lambda q: q.start)


def _double_mark(text: str, i: int) -> str | None:
    """“ opens, ” closes, a straight " (or two apostrophes, '') does either."""
    ch = text[i]
    if text.startswith(TWO_APOSTROPHES, i):
        return "toggle"
    return "open" if ch in OPENERS else "close" if ch in CLOSERS else "toggle" if ch == STRAIGHT else None


def _single_mark(text: str, i: int) -> str | None:
    """‘ opens after a non-letter; ’ is also the apostrophe, so it closes only when no letter
    follows it (“don’t” stays open)."""
    ch = text[i]
    if ch == "‘" and (i == 0 or not text[i - 1].isalnum()):
        return "open"
    if ch == "’" and not (i + 1 < len(text) and text[i + 1].isalpha()):
        return "close"
    return None


def _blank_end(text: str, at: int) -> int:
    """Where the whitespace starting at `at` ends."""
    while at < len(text) and text[at].isspace():
        at += 1
    return at


def _pair(text: str, mark: Callable[[str, int], str | None]) -> list[Quote]:
    """Pair the marks `mark` recognises, paragraph by paragraph."""
    quotes: list[Quote] = []
    paragraph, paragraph_start = 0, _blank_end(text, 0)
    open_at: int | None = None
    width = 1  # characters of the opening mark
    for stop in STOPS.finditer(text):
        i = stop.start()
        if text[i] == "\n":
            following = _blank_end(text, i)  # where the next paragraph starts
            # the newsroom convention for a quote over several paragraphs: no closing mark
            # until its last paragraph, an opening mark at the start of each
            # (only for a quote that is its whole paragraph: a mark left open mid-paragraph is broken)
            runs_on = open_at == paragraph_start and following < len(text) and mark(text, following) in {"open", "toggle"}
            if runs_on and open_at is not None and (quote := _trimmed(text, open_at + width, i, paragraph, runs_on=True)):
                quotes.append(quote)
            paragraph, paragraph_start = paragraph + 1, following
            open_at = None  # otherwise an unclosed quote ends with its paragraph, unpaired
            continue
        kind = mark(text, i)
        if kind == "open" or (kind == "toggle" and open_at is None):
            open_at, width = i, len(stop.group())  # a second opener means the first was never closed
        elif kind in {"close", "toggle"} and open_at is not None:
            if quote := _trimmed(text, open_at + width, i, paragraph):
                quotes.append(quote)
            open_at = None
    return quotes
