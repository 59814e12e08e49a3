"""Which language an article is in: the pipeline reads English only (its spaCy model and
lexicons are English), so other languages become rejects instead of rows of garbage.

py3langid (a maintained fork of langid.py; its model ships in the package, no download)
classifies the opening of the text. A declared language (sidecar, HTML lang) is trusted
first; detection rejects only a confident call on enough words, so a short or name-heavy
English text is never turned away.
"""

from __future__ import annotations

from functools import cache
from typing import Any

SUPPORTED = "en"
MIN_WORDS = 20  # fewer words are too few to call
MIN_CONFIDENCE = 0.95
SAMPLE_CHARS = 1000  # about 160 words: as sure a call as 3,000 characters on English news, a third of the time


@cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect(text: str) -> tuple[str, float] | None:
    """(language code, confidence) of the text's opening, or None when it is too short to tell."""
    sample = text[:SAMPLE_CHARS]
    if len(sample.split()) < MIN_WORDS:
        return None
    code, confidence = _identifier().classify(sample)
    return str(code), float(confidence)


def unsupported(text: str, declared: str | None, page_lang: str | None = None) -> str | None:
    """Why the article cannot be read, or None: a language the sidecar declares; else a page's
    `lang` when detection does not find English (pages mislabel themselves: "und", a site-wide
    default); else a confident detection."""
    if declared:
        return None if declared.lower().startswith(SUPPORTED) else f"declared language {declared!r}: the pipeline reads English only"
    found = detect(text)
    if page_lang and not page_lang.lower().startswith(SUPPORTED) and (found is None or found[0] != SUPPORTED):
        return f"the page declares language {page_lang!r}: the pipeline reads English only"
    if found and found[0] != SUPPORTED and found[1] >= MIN_CONFIDENCE:
        return f"detected language {found[0]!r} (confidence {found[1]:.2f}): the pipeline reads English only"
    return None
