"""Corpus-scale signals of the people table where no gold exists (`make eval` on PolNeAR).

A people table that degrades with scale shows it in a few countable ways: rows that hold both a
"Mr." and a "Mrs." form (a spouse merged in), rows holding given names that cannot be one person's
("Eric" and "Erica"), a frequent surname spread over many rows (its largest row holds a small share
of its mentions), and rows whose name is not a name (a headline fragment, a title glued on, a word
in lower case). Each figure is a count or share, never a name, so the scorecard quotes no corpus.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache
from itertools import combinations
from pathlib import Path
from typing import Any

import pandas as pd

from flows import lexicons
from flows.extract.people import honorific_gender
from flows.names import given_compatible, name_parts

TOP_SURNAMES = 10


def _honorific_genders(aliases: list[str]) -> set[str]:
    """The genders the row's "Mr."/"Mrs." forms give."""
    honorifics = lexicons.words("titles", "honorifics")
    first = {a.split()[0].lower() for a in aliases if len(a.split()) > 1}
    return {honorific_gender(h) for h in first & honorifics}


def conflicting_given_names(forms: list[str]) -> bool:
    """Two full forms of a row that no rule lets be one person's ("Eric Dorn" and "Erica Dorn", a "Jr." and his father)."""
    full = {p for f in forms if (p := name_parts(f)).given and len(p.given) > 1}
    return any(not given_compatible(a, b) for a, b in combinations(sorted(full, key=repr), 2))


@cache
def _title_head_words() -> frozenset[str]:
    return frozenset(w for h in lexicons.words("titles", "heads") for w in h.split())


def junk_name(name: str) -> bool:
    """Not a person's name: a lower-case word that is no particle, a digit or bracket, or a title word."""
    particles, heads = lexicons.words("names", "particles"), _title_head_words()
    words = name.split()
    return (
        any(c.isdigit() or c in "()[]/@#:;" for c in name)
        or any(w[:1].islower() and w.split("-")[0].lower() not in particles for w in words)
        or len(words) > 1
        and words[0].lower() in heads
    )


def people_signals(out: Path) -> dict[str, Any]:
    """The figures, from a published output folder's people table."""
    people = pd.read_parquet(out / "parquet" / "people.parquet")
    forms = [[r.name, *r.aliases] for r in people.itertuples()]
    by_surname: dict[str, list[int]] = defaultdict(list)
    for r in people.itertuples():
        by_surname[name_parts(r.name).surname].append(int(r.n_mentions))
    top = sorted(by_surname.values(), key=sum, reverse=True)[:TOP_SURNAMES]
    shares = [max(counts) / sum(counts) for counts in top]
    return {
        "rows": len(people),
        "mr_and_mrs_rows": sum(len(_honorific_genders(f)) > 1 for f in forms),
        "conflicting_given_name_rows": sum(conflicting_given_names(f) for f in forms),
        "top_surnames_largest_row_share_mean": round(sum(shares) / len(shares), 3) if shares else None,
        "top_surnames_largest_row_share_min": round(min(shares), 3) if shares else None,
        "junk_name_rows": int(sum(junk_name(n) for n in people["name"])),
        "rows_confidence_below_0_9": int((people["resolution_confidence"] < 0.9).sum()) if "resolution_confidence" in people else None,
    }
