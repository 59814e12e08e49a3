"""The archive: what the last publication holds, so that a run reads and builds only what is new.

A publication is one snapshot folder (see publish.py). Beside the tables it holds the
archive's state in `state/`, so tables and state always switch together:

* `state/manifest.json` — the inputs (each file's fingerprint, the articles and the files
  they came from, the rejects reading gave), the parts, and the checksums of every
  published file;
* `state/rows/part-<id>.parquet` — the rows extracted from the part's articles before
  people are resolved: one JSON document per article (data only — reading it never runs
  code), checked against the SHA-256 the manifest recorded;
* `state/people.parquet` — the people index: every per-article person record with the
  person it was resolved to.

Articles are grouped into **parts** (one per chunk of new articles a run processes); every
table of article rows is stored as one file per part. An increment adds parts, rebuilds the
parts that lost articles or whose people were renamed or re-merged, and links every other
part from the last snapshot unchanged. A change of code, lexicons, schemas or of the rules
switched off (the pipeline version) rebuilds everything.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from flows import ingest, rules
from flows.article import Article, Reject
from flows.extract.rows import ArticleRows
from flows.tables import person_ids, repoint
from flows.tables.publish import STATE, rows_path, sha256_file

ROOT = Path(__file__).resolve().parents[1]  # flows/: its code and lexicons shape the rows
MANIFEST = "manifest.json"
ROWS = pa.schema([("article_key", pa.string()), ("article_id", pa.string()), ("rows", pa.string()), ("refs", pa.string())])


def pipeline_version() -> str:
    """Hash of everything that shapes the rows: code, lexicons, schemas, and the rules switched
    off (rows made without a rule are never reused by a run with it, nor the other way round)."""
    off = rules.switched_off()
    if not off:
        return code_version()
    return hashlib.sha256(f"{code_version()} without {','.join(sorted(off))}".encode()).hexdigest()[:16]


@cache
def code_version() -> str:
    """Hash of the code, lexicons and schemas."""
    digest = hashlib.sha256()
    sources = sorted([*ROOT.rglob("*.py"), *ROOT.rglob("*.yaml"), *(ROOT.parent / "schemas").glob("*.yaml")])
    for path in sources:
        digest.update(path.relative_to(ROOT.parent).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def article_key(article: Article) -> str:
    """Everything ingest read for the article (text and metadata) and the pipeline version."""
    # the fields as they are (lists of strings, dates): dataclasses.asdict would deep-copy every one, at 0.2 ms an article
    read = {f.name: getattr(article, f.name) for f in dataclasses.fields(article) if f.name != "seen_at"}
    fields = json.dumps(read, sort_keys=True, default=str)
    return hashlib.sha256(f"{pipeline_version()}\x1f{fields}".encode()).hexdigest()[:32]


def encode_rows(rows: ArticleRows) -> str:
    return json.dumps(dataclasses.asdict(rows), ensure_ascii=False, sort_keys=True, default=_tag)


def decode_rows(data: str) -> ArticleRows:
    return ArticleRows(**json.loads(data, object_hook=_untag))


def _tag(value: Any) -> dict[str, str]:
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    raise TypeError(f"a cached row holds a {type(value).__name__}, which the cache does not store")


def _untag(obj: dict[str, Any]) -> Any:
    return date.fromisoformat(obj["$date"]) if len(obj) == 1 and "$date" in obj else obj


def reject_record(r: Reject) -> list[str]:
    return [r.path, r.reason, r.detail, r.seen_at.isoformat()]


def reject_of(record: list[str]) -> Reject:
    return Reject(record[0], record[1], record[2], datetime.fromisoformat(record[3]))


@dataclass
class Inputs:
    """The inputs of a run measured against the last publication."""

    new: dict[str, Article]  # article key → an article read that the last publication does not hold (new or changed)
    kept: dict[str, dict[str, Any]]  # article key → its manifest entry, carried over without being read again
    removed: set[str]  # article keys of the last publication that are gone or changed
    rejects: list[Reject]  # every reject of the inputs as they are now
    file_rejects: dict[str, list[Reject]]  # file → rejects reading it gave (kept for the files not read next time)
    paths: dict[str, list[str]] = field(default_factory=dict)  # new article key → the files it came from

    @property
    def n_articles(self) -> int:
        return len(self.new) + len(self.kept)


class Archive:
    """The state of the last publication under output/current/state/ (empty when there is none, or
    when `full`), and what this run adds to it."""

    def __init__(self, output: Path, full: bool = False):
        self.output = output
        self.state = output / "current" / STATE
        self.last = {} if full else self._read_manifest()

    def _read_manifest(self) -> dict[str, Any]:
        last = self._read_any()
        if last.get("pipeline_version") != pipeline_version() or not self._published():
            return {}  # another shape, another pipeline, or tables gone: build everything again
        return last

    def _published(self) -> bool:
        return (self.output / "parquet" / "articles.parquet").exists()

    @property
    def articles(self) -> dict[str, dict[str, Any]]:
        return dict(self.last.get("articles", {}))

    @property
    def parts(self) -> list[str]:
        return list(self.last.get("parts", []))

    def published_counts(self) -> tuple[int, int]:
        """Articles and rejects of the last publication (whatever its pipeline version)."""
        last = self.last or self._read_any()
        return len(last.get("articles", {})), len(last.get("rejects", []))

    def _read_any(self) -> dict[str, Any]:
        try:
            last = json.loads((self.state / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError):
            return {}
        return last if isinstance(last, dict) else {}

    def files_unchanged(self, files: dict[str, list[int]]) -> bool:
        """Same files (path, size, times, inode) and pipeline as the last publication: nothing to read."""
        return bool(self.last) and self.last.get("files") == files

    # --- inputs

    def read_inputs(self, raw_dir: Path, listing: ingest.Listing, files: dict[str, list[int]]) -> Inputs:
        """Read only the article files that are new or changed since the last publication (or
        whose sidecar changed), and the other copies of any article they touch; everything else
        is carried over from the manifest."""
        known = self.articles
        old_files: dict[str, list[int]] = self.last.get("files", {})
        changed = {rel for rel, fp in files.items() if old_files.get(rel) != fp} | (old_files.keys() - files.keys())
        present = {p.relative_to(raw_dir).as_posix() for p in ingest.article_files(listing)}
        fresh = {rel for rel in present if rel in changed or _sidecar_rel(rel) in changed}
        affected = {key for key, entry in known.items() if any(p in fresh or p not in present for p in entry["paths"])}
        only = fresh | {p for key in affected for p in known[key]["paths"] if p in present}
        reading = ingest.read_files(raw_dir, listing, only)
        ids_read = {a.article_id for a in reading.articles}
        joined = {key for key, entry in known.items() if key not in affected and entry["id"] in ids_read}
        if joined:  # a new copy of an article already published: read its files again, to merge them
            affected |= joined
            only |= {p for key in joined for p in known[key]["paths"] if p in present}
            reading = ingest.read_files(raw_dir, listing, only)
        kept = {key: entry for key, entry in known.items() if key not in affected}
        new: dict[str, Article] = {}
        paths: dict[str, list[str]] = {}
        for article in reading.articles:
            key = article_key(article)
            if key in known:  # read again (touched, or a copy moved) but what ingest read is the same
                kept[key] = known[key]
            else:
                new[key] = article
                paths[key] = sorted([article.source_path, *article.duplicate_paths])
        carried = {rel: [reject_of(r) for r in found] for rel, found in self.last.get("file_rejects", {}).items() if rel in present - only}
        file_rejects = {**carried, **reading.file_rejects}
        rejects = reading.listing_rejects + [r for found in file_rejects.values() for r in found]
        return Inputs(new, kept, set(known) - set(kept), sorted(rejects, key=reject_record), file_rejects, paths)

    def unchanged(self, inputs: Inputs) -> bool:
        """Files were touched but what they hold is what the last publication holds."""
        recorded = [reject_of(r) for r in self.last.get("rejects", [])]
        return bool(self.last) and not inputs.new and not inputs.removed and recorded == inputs.rejects

    def touch(self, files: dict[str, list[int]], inputs: Inputs) -> None:
        """Remember the new fingerprints of files whose contents did not change."""
        record = {**self.last, "files": files, "file_rejects": _rejects_by_file(inputs.file_rejects)}
        write_json(self.state / MANIFEST, record)

    # --- row cache of parts

    def rows_file(self, part: str) -> Path:
        return rows_path(self.state, part)

    def person_registry(self) -> person_ids.Registry:
        """Every person id minted so far. Kept through `--full` and new pipeline versions (unlike the
        rest of the state): ids are what researchers cite across releases."""
        return person_ids.read(self.state / person_ids.FILE)


class DamagedArchive(Exception):
    """The state of the last publication does not match its manifest."""


def write_rows(path: Path, rows: list[tuple[str, ArticleRows]]) -> str:
    """One part's rows as Parquet (article key, article id, rows as JSON, and the refs that let a
    rename repoint its tables without them, flows/tables/repoint.py); returns the file's SHA-256."""
    path.parent.mkdir(parents=True, exist_ok=True)
    keys = [k for k, _ in rows]
    refs = [json.dumps(repoint.person_refs(r), ensure_ascii=False, sort_keys=True) for _, r in rows]
    data = pa.table([keys, [r.article["article_id"] for _, r in rows], [encode_rows(r) for _, r in rows], refs], schema=ROWS)
    pq.write_table(data, path, compression="zstd")
    return sha256_file(path)


def write_json(path: Path, record: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    partial.write_text(json.dumps(record), encoding="utf-8")
    os.replace(partial, path)


def _sidecar_rel(rel: str) -> str:
    return ingest.sidecar_of(Path(rel)).as_posix()


def _rejects_by_file(file_rejects: dict[str, list[Reject]]) -> dict[str, list[list[str]]]:
    return {rel: [reject_record(r) for r in found] for rel, found in sorted(file_rejects.items()) if found}


def manifest(
    files: dict[str, list[int]],
    inputs: Inputs,
    articles: dict[str, dict[str, Any]],
    rows: dict[str, str],
    rejects: list[Reject],
    published: dict[str, str],
) -> dict[str, Any]:
    """What a publication records: its inputs, its parts and the checksums of its files."""
    return {
        "pipeline_version": pipeline_version(),
        "without_rules": sorted(rules.switched_off()),
        "files": files,
        "articles": articles,
        "file_rejects": _rejects_by_file(inputs.file_rejects),
        "rejects": [reject_record(r) for r in rejects],
        "parts": sorted(rows),
        "rows": rows,
        "published": published,
    }


def published_manifest(output: Path) -> dict[str, Any]:
    """The manifest of the publication output/ shows ({} when there is none)."""
    return Archive(output)._read_any()


def forget_old_layout(output: Path) -> None:
    """Remove the row cache of the layout before parts (output/.cache/rows, .cache/manifest.json):
    a publication holds its own state now. (.cache/accuracy stays: releases use it.)"""
    old = output / ".cache"
    shutil.rmtree(old / "rows", ignore_errors=True)
    (old / MANIFEST).unlink(missing_ok=True)
