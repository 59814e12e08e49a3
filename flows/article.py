"""The records that travel between stages: an ingested article and a rejected input."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache


def content_id(prefix: str, *parts: object) -> str:
    """Deterministic identifier: prefix + 16 hex digits of SHA-256 over the parts."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()
    return prefix + digest[:16]


@lru_cache(maxsize=256)
def _sha256(text: str) -> str:
    """The digest of an article text, once per text: every row of an article asks for its id (a str caches its own hash)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class Article:
    """One clean article text with its metadata; every offset downstream points into `text`."""

    source_path: str
    text: str
    title: str | None = None
    source: str | None = None
    url: str | None = None
    language: str = "en"
    published_date: date | None = None
    published_date_source: str = "none"
    published_date_text: str | None = None
    duplicate_paths: list[str] = field(default_factory=list)
    source_encoding: str = "utf-8"
    dateline_end: int = 0  # offset where the body starts after a wire dateline (0: no dateline)
    headline_end: int = 0  # end of a headline kept as the text's first paragraph (0: none)
    seen_at: datetime | None = field(default=None, compare=False)  # the file's mtime: dates a processing_error reject
    removed_boilerplate: list[str] = field(default_factory=list)  # paragraphs dropped from the text (bylines, credits)

    @property
    def text_sha256(self) -> str:
        return _sha256(self.text)

    @property
    def article_id(self) -> str:
        return "A" + self.text_sha256[:16]


@dataclass(frozen=True)
class Reject:
    """An input file that did not become an article (or a warning about one)."""

    path: str
    reason: str
    detail: str
    seen_at: datetime
