"""Counts of people written in words or digits, with the bound the text puts on them."""

from __future__ import annotations

import re

from flows import lexicons

WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "a dozen": 12,
    "dozen": 12,
}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000}


def parse_count(text: str) -> tuple[int, str] | None:
    """("At least four" → (4, "min"), "tens of thousands" → (20000, "approx"), "1,200" → (1200, "exact"))."""
    lexicon = lexicons.load("events")
    low = " ".join(text.lower().replace(",", "").split())
    bound = "exact"
    for name in ("min", "max", "approx"):
        for phrase in sorted(lexicon["bounds"][name], key=len, reverse=True):
            if low.startswith(phrase + " "):
                bound, low = name, low[len(phrase) + 1 :]
                break
        if bound != "exact":
            break
    for phrase, value in sorted(lexicon["vague_numbers"].items(), key=lambda kv: -len(kv[0])):
        if low.startswith(phrase):
            return value, "approx"
    m = re.match(r"(\d+(?:\.\d+)?)\s*(hundred|thousand|million)?\b", low)
    if m:
        value = float(m[1]) * SCALES.get(m[2] or "", 1)
        return int(value), bound
    words = low.split()
    if words and words[0] in WORDS:
        value = WORDS[words[0]]
        if len(words) > 1 and words[1] in SCALES:
            value *= SCALES[words[1]]
        return value, bound
    return None
