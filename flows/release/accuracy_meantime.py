"""Accuracy on real news: the pipeline scored on MEANTIME (120 Wikinews articles, CC BY 4.0,
shipped in gold/meantime/ with its licence), with 95 % bootstrap intervals over articles.

Four figures, each from per-article counts so that articles can be resampled:
PERSON mentions (F1; a predicted name matches a gold name when one contains the other),
DATE values (gold calendar dates found with the exact TIMEX3 value), event dates (gold
events placed in a dated interval by a TLINK, found at their trigger with that interval),
and people across articles (B³ F1 of person ids over the mentions matched to gold persons,
whose cross-document identity MEANTIME annotates). Scores are measured once per pipeline
version and cached (see `measure`).
"""

from __future__ import annotations

import json
import random
import re
import tempfile
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pandas as pd

from flows.names import fold

MEANTIME = Path(__file__).resolve().parents[2] / "gold" / "meantime"
HEAD, FULL = "meantime_en_head.jsonl", "meantime_en.jsonl"
RESAMPLES = 1000
DATE_VALUE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
ANCHORS = {"IS_INCLUDED", "SIMULTANEOUS"}
INVERSE = {"INCLUDES": "IS_INCLUDED", "IS_INCLUDED": "INCLUDES"}


def documents(path: Path, limit: int | None = None) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for i, line in enumerate(lines) if line.strip() and (limit is None or i < limit)]


def stem(doc_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", str(doc_id))


def write_raw(docs: list[dict[str, Any]], folder: Path) -> None:
    """One .txt article and .meta.json sidecar (published date) per document."""
    folder.mkdir(parents=True, exist_ok=True)
    for d in docs:
        (folder / f"{stem(d['doc_id'])}.txt").write_text(d["text"], encoding="utf-8")
        (folder / f"{stem(d['doc_id'])}.meta.json").write_text(json.dumps({"published": d["dct"], "source": "MEANTIME"}))


def norm(text: str) -> str:
    """Folded words only: names and dates compare alike whatever their punctuation."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(str(text))).split())


def locate(gold_text: str, start: int, end: int, text: str) -> tuple[int, int] | None:
    """Where a gold span sits in the pipeline's text (which may lose a line or some spaces):
    the span with up to 30 characters of its left context, else the span if it is unique."""
    words = gold_text[start:end]
    for width in (30, 12, 0):
        probe = gold_text[max(0, start - width) : start] + words
        if (at := text.find(probe)) >= 0 and (width == 0 or text.find(probe, at + 1) < 0):
            return at + len(probe) - len(words), at + len(probe)
    return None


# --- per-article counts


def person_counts(doc: dict[str, Any], mentions: pd.DataFrame) -> dict[str, int]:
    gold = [norm(p["text"]) for p in doc["gold"]["persons"] if p.get("is_name", True)]
    pred = [norm(t) for t in mentions[mentions["kind"] == "PERSON"]["text"]]
    used: set[int] = set()
    for g in gold:
        j = next((j for j, p in enumerate(pred) if j not in used and p and (p == g or f" {p} " in f" {g} " or f" {g} " in f" {p} ")), None)
        if j is not None:
            used.add(j)
    return {"tp": len(used), "fp": len(pred) - len(used), "fn": len(gold) - len(used)}


def date_counts(doc: dict[str, Any], mentions: pd.DataFrame, text: str) -> dict[str, int]:
    dates = mentions[mentions["kind"] == "DATE"]
    spans = list(zip(dates["start_char"], dates["end_char"], dates["value"], strict=True))
    n = exact = 0
    for g in doc["gold"]["timex"]:
        if g.get("type") != "DATE" or g.get("function") == "CREATION_TIME" or not DATE_VALUE.match(str(g.get("value") or "")):
            continue
        n += 1
        at = locate(doc["text"], g["start"], g["end"], text)
        if at and any(s < at[1] and at[0] < e and v == g["value"] for s, e, v in spans):
            exact += 1
    return {"n": n, "exact": exact}


def interval(value: str) -> tuple[date, date] | None:
    if not DATE_VALUE.match(value):
        return None
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        day = date(*parts)
        return day, day
    if len(parts) == 2:
        first = date(parts[0], parts[1], 1)
        return first, (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return date(parts[0], 1, 1), date(parts[0], 12, 31)


def event_counts(doc: dict[str, Any], events: pd.DataFrame, text: str) -> dict[str, int]:
    preds = list(zip(events["trigger_start_char"], events["trigger_end_char"], events["date_start"], events["date_end"], strict=True))
    n = exact = 0
    for g in doc["gold"]["events"]:
        anchors = set()
        for t in g.get("time", []):
            rel = INVERSE.get(t["rel"], t["rel"]) if t.get("inverse") else t["rel"]
            if rel in ANCHORS and (span := interval(str(t.get("value") or ""))):
                anchors.add(span)
        if not anchors:
            continue
        n += 1
        at = locate(doc["text"], g["trigger"]["start"], g["trigger"]["end"], text)
        if at and any(s < at[1] and at[0] < e and not pd.isna(a) and (a, b) in anchors for s, e, a, b in preds):
            exact += 1
    return {"n": n, "exact": exact}


def person_items(doc: dict[str, Any], mentions: pd.DataFrame, text: str) -> list[tuple[str, str]]:
    """(gold identity, person_id) for every pipeline person mention inside a gold person span."""
    people = mentions[(mentions["kind"] == "PERSON") & mentions["entity_id"].notna()]
    spans = [
        (at, p["instance"]) for p in doc["gold"]["persons"] if p.get("instance") and (at := locate(doc["text"], p["start"], p["end"], text))
    ]
    items = []
    for start, end, person_id in zip(people["start_char"], people["end_char"], people["entity_id"], strict=True):
        inside = [(b - a, instance) for (a, b), instance in spans if a <= start and end <= b]
        if inside:
            items.append((min(inside)[1], person_id))
    return items


# --- scores and intervals


def f1(counts: list[dict[str, int]]) -> float:
    tp, fp, fn = (sum(c[k] for c in counts) for k in ("tp", "fp", "fn"))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def share(counts: list[dict[str, int]]) -> float:
    n = sum(c["n"] for c in counts)
    return sum(c["exact"] for c in counts) / n if n else 0.0


def b_cubed(per_article: list[list[tuple[str, str]]]) -> float:
    """B³ F1 over items; an article drawn twice in a resample counts as two articles."""
    items = [(f"{k}:{g}", f"{k}:{p}", g, p) for k, article in enumerate(per_article) for g, p in article]
    if not items:
        return 0.0
    gold, pred, both = Counter(g for _, _, g, _ in items), Counter(p for _, _, _, p in items), Counter((g, p) for _, _, g, p in items)
    precision = sum(both[(g, p)] / pred[p] for _, _, g, p in items) / len(items)
    recall = sum(both[(g, p)] / gold[g] for _, _, g, p in items) / len(items)
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def with_interval(score: Any, per_article: list[Any], items: int, seed: int = 13) -> dict[str, Any]:
    """The score on all articles and its 95 % percentile bootstrap interval over articles."""
    rng = random.Random(seed)
    draws = sorted(score([per_article[rng.randrange(len(per_article))] for _ in per_article]) for _ in range(RESAMPLES))
    return {
        "value": round(score(per_article), 3),
        "low": round(draws[int(0.025 * RESAMPLES)], 3),
        "high": round(draws[int(0.975 * RESAMPLES) - 1], 3),
        "items": items,
        "articles": len(per_article),
    }


def _tables(output: Path) -> dict[str, pd.DataFrame]:
    return {n: pd.read_parquet(output / "parquet" / f"{n}.parquet") for n in ("articles", "mentions", "events")}


def _by_stem(tables: dict[str, pd.DataFrame]) -> dict[str, tuple[str, pd.DataFrame, pd.DataFrame]]:
    articles = tables["articles"]
    found = {}
    mentions, events = tables["mentions"].groupby("article_id"), tables["events"].groupby("article_id")
    empty_m, empty_e = tables["mentions"].iloc[0:0], tables["events"].iloc[0:0]
    for article_id, path, text in zip(articles["article_id"], articles["source_path"], articles["text"], strict=True):
        m = mentions.get_group(article_id) if article_id in mentions.groups else empty_m
        e = events.get_group(article_id) if article_id in events.groups else empty_e
        found[Path(path).stem] = (text, m, e)
    return found


def score(head_docs: list[dict[str, Any]], head_out: Path, full_docs: list[dict[str, Any]], full_out: Path) -> dict[str, Any]:
    """Every figure with its interval, from two pipeline outputs (head and full articles)."""
    head_tables = _tables(head_out)
    head, full = _by_stem(head_tables), _by_stem(_tables(full_out))
    missing = ("", head_tables["mentions"].iloc[0:0], head_tables["events"].iloc[0:0])  # an article not published scores as all missed
    persons, dates, events, items = [], [], [], []
    for doc in head_docs:
        text, mentions, found = head.get(stem(doc["doc_id"]), missing)
        persons.append(person_counts(doc, mentions))
        dates.append(date_counts(doc, mentions, text))
        events.append(event_counts(doc, found, text))
    for doc in full_docs:
        if (entry := full.get(stem(doc["doc_id"]))) is not None:
            items.append(person_items(doc, entry[1], entry[0]))
    return {
        "person_mentions_f1": with_interval(f1, persons, sum(c["tp"] + c["fn"] for c in persons)),
        "date_values_exact": with_interval(share, dates, sum(c["n"] for c in dates)),
        "event_dates_exact": with_interval(share, events, sum(c["n"] for c in events)),
        "people_across_articles_b3_f1": with_interval(b_cubed, items, sum(len(i) for i in items)),
    }


def measure(cache_dir: Path | None = None, limit: int | None = None) -> dict[str, Any]:
    """Run the flow on MEANTIME (headline and lead part, and whole articles) and score it;
    cached under cache_dir by pipeline version and limit."""
    from flows.pipeline import build_dataset
    from flows.tables.archive import pipeline_version

    version = pipeline_version()
    cached = cache_dir / f"meantime-{version}-{limit or 'all'}.json" if cache_dir else None
    if cached and cached.exists():
        return json.loads(cached.read_text(encoding="utf-8"))
    head_docs, full_docs = documents(MEANTIME / HEAD, limit), documents(MEANTIME / FULL, limit)
    with tempfile.TemporaryDirectory() as tmp:
        runs = {}
        for name, docs in (("head", head_docs), ("full", full_docs)):
            write_raw(docs, Path(tmp) / name / "raw")
            build_dataset(Path(tmp) / name / "raw", Path(tmp) / name / "out", full=True)
            runs[name] = Path(tmp) / name / "out"
        result = {"pipeline_version": version, "scores": score(head_docs, runs["head"], full_docs, runs["full"])}
    if cached:
        cached.parent.mkdir(parents=True, exist_ok=True)
        cached.write_text(json.dumps(result, indent=1), encoding="utf-8")
    return result


EXPLAINED = {
    "person_mentions_f1": "PERSON mentions: F1 of names found (headline and lead of each article)",
    "date_values_exact": "DATE mentions: share of annotated calendar dates found with the exact TIMEX3 value",
    "event_dates_exact": "events: share of annotated events placed in a dated interval that are found with that interval",
    "people_across_articles_b3_f1": "people across articles: B³ F1 of person ids against MEANTIME's identities",
}


def render(result: dict[str, Any]) -> str:
    lines = [
        "## On real news: MEANTIME",
        "",
        f"Pipeline version `{result['pipeline_version']}` on MEANTIME (Wikinews articles annotated by the NewsReader",
        "project; CC BY 4.0, shipped in `gold/meantime/`; Minard et al., 2016). Intervals are 95 % bootstrap",
        f"intervals over articles ({RESAMPLES} resamples).",
        "",
        "| figure | value | 95 % interval | items | articles | meaning |",
        "|---|---|---|---|---|---|",
    ]
    for key, s in result["scores"].items():
        lines.append(f"| `{key}` | {s['value']} | {s['low']}–{s['high']} | {s['items']} | {s['articles']} | {EXPLAINED[key]} |")
    return "\n".join(lines) + "\n"
