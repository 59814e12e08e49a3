"""How much of each article's text a release carries (`release --text`).

The articles are third-party texts: the extracted data can be shared under the release's licence,
the texts cannot. `excerpt` (the default) keeps only the stretches the rows cite — the spans that
schemas/*.yaml declare for claims, events and mentions — joined by EXCERPT_JOIN, with their
[start, end] in the full text in `excerpt_spans`; `none` keeps no text; `full` keeps it all (for
a private copy only). Every offset in the other tables still points into the full text, which
`url` locates and `text_sha256` verifies.
"""

from __future__ import annotations

from collections import defaultdict

import pyarrow as pa

from flows.tables.schema import TABLES, table

SCOPES = ("excerpt", "none", "full")
EXCERPT_JOIN = "\n[…]\n"
GAP = 3  # stretches this close ("BUCHAREST, Romania") are kept as one: the gap holds punctuation, not text


def cited_spans(tables: dict[str, pa.Table]) -> dict[str, list[list[int]]]:
    """Per article, the merged [start, end] stretches of its text that any row cites."""
    found: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for name in TABLES:
        data = tables.get(name)
        if data is None or "article_id" not in data.column_names:
            continue
        articles = data.column("article_id").to_pylist()
        for span in table(name).spans:
            starts, ends = data.column(span.start).to_pylist(), data.column(span.end).to_pylist()
            for article, start, end in zip(articles, starts, ends, strict=True):
                if start is not None and end is not None and end > start:
                    found[article].append((start, end))
    return {article: merge(spans) for article, spans in found.items()}


def merge(spans: list[tuple[int, int]]) -> list[list[int]]:
    """Overlapping spans, or spans at most GAP apart, as one: [(0, 5), (3, 9), (11, 14), (30, 32)] → [[0, 14], [30, 32]]."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1] + GAP:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return merged


def with_text(articles: pa.Table, scope: str, tables: dict[str, pa.Table]) -> pa.Table:
    """The articles table with `text`, `text_scope` and `excerpt_spans` as `scope` says."""
    if scope not in SCOPES:
        raise ValueError(f"--text must be one of {', '.join(SCOPES)}, not {scope!r}")
    if scope == "full":
        return articles
    texts = articles.column("text").to_pylist()
    kept: list[str | None]
    spans: list[list[list[int]]]
    if scope == "none":
        kept, spans = [None] * len(texts), [[] for _ in texts]
    else:
        cited = cited_spans(tables)
        spans = [cited.get(a, []) for a in articles.column("article_id").to_pylist()]
        kept = [EXCERPT_JOIN.join(text[s:e] for s, e in pieces) for text, pieces in zip(texts, spans, strict=True)]
    for name, values in (("text", kept), ("text_scope", [scope] * len(texts)), ("excerpt_spans", spans)):
        at = articles.schema.get_field_index(name)
        articles = articles.set_column(at, articles.schema.field(name), pa.array(values, articles.schema.field(name).type))
    return articles
