"""datapackage.json and CITATION.cff of a release: what citation and discovery need, generated from
schemas/ and from the tables themselves, and checked with frictionless before the release is kept.

Every table is two resources: its CSV (a tabular resource with the Table Schema of schemas/*.yaml,
list columns typed `array`) and its Parquet file (a file resource). Each carries its `bytes` and
`hash`, so `frictionless validate` checks the downloads as well as the rows.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import yaml

from flows.release.changes import ID_CHANGE_COLUMNS, ID_CHANGES
from flows.tables.publish import sha256_file
from flows.tables.schema import TABLES, Column, table

FRICTIONLESS_TYPES = {
    "string": "string",
    "int64": "integer",
    "float64": "number",
    "bool": "boolean",
    "date": "date",
    "timestamp": "datetime",
    "list<string>": "array",  # a JSON array in the CSV (see the codebook)
    "list<list<int64>>": "array",  # a JSON array of [start, end] pairs in the CSV
}
DATA_LICENCE = {"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}
TEXT_LICENCE = {
    "name": "LicenseRef-publishers-copyright",
    "title": "Article texts remain the copyright of their publishers; the release carries them only as --text says",
}
ABOUT_KEYS = {"title", "description", "corpus", "contributors", "keywords", "doi", "homepage"}
KEYWORDS = ["news", "events", "claims", "quotations", "reported speech", "named entities", "political science"]


class AboutError(ValueError):
    """The --about file is not a mapping of the known keys."""


@dataclass
class About:
    """What the researcher says about the dataset (`release --about FILE.yaml`), with defaults."""

    title: str = "newsledger: people, events and claims extracted from news articles"
    description: str = (
        "People, events and claims (who said what, who did what, when and where) extracted from news articles,"
        " each row traceable to the words it came from."
    )
    corpus: str | None = None  # which articles these are, in words ("wire stories on … collected by …")
    contributors: list[dict[str, str]] = field(default_factory=lambda: [{"title": "newsledger contributors", "role": "author"}])
    keywords: list[str] = field(default_factory=lambda: list(KEYWORDS))
    doi: str | None = None  # the slot for a DOI once the release is deposited
    homepage: str | None = None


def read_about(path: Path | None) -> About:
    if path is None:
        return About()
    found = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(found, dict) or (unknown := sorted(set(found) - ABOUT_KEYS)):
        raise AboutError(f"{path}: expected a mapping of {', '.join(sorted(ABOUT_KEYS))}" + (f"; unknown: {unknown}" if found else ""))
    return About(**found)


def facts(tables: dict[str, pa.Table]) -> dict[str, Any]:
    """What the tables say about their sources: how many articles, their date range, their outlets."""
    articles = tables["articles"]
    dates = pc.min_max(articles.column("published_date"))
    outlets = pc.value_counts(articles.column("source").drop_null()).to_pylist()
    return {
        "articles": articles.num_rows,
        "first_published": None if dates["min"].as_py() is None else dates["min"].as_py().isoformat(),
        "last_published": None if dates["max"].as_py() is None else dates["max"].as_py().isoformat(),
        "outlets": [o["values"] for o in sorted(outlets, key=lambda o: (-o["counts"], o["values"]))],
    }


def commit() -> str | None:
    """The git commit of the pipeline's code when it runs from a checkout ("-modified" when files differ from it)."""
    try:
        done = subprocess.run(["git", "rev-parse", "HEAD"], cwd=Path(__file__).parent, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        return None
    edited = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"], cwd=Path(__file__).parent, capture_output=True, text=True
    )
    return done.stdout.strip() + ("-modified" if edited.stdout.strip() else "")


def _field(col: Column) -> dict[str, Any]:
    field: dict[str, Any] = {"name": col.name, "type": FRICTIONLESS_TYPES[col.type], "description": col.description}
    constraints: dict[str, Any] = {}
    if not col.nullable:
        constraints["required"] = True
    if col.unique:
        constraints["unique"] = True
    if col.allowed:
        constraints["enum"] = list(col.allowed)
    if col.min is not None:
        constraints["minimum"] = int(col.min)
    if constraints:
        field["constraints"] = constraints
    return field


def _file(folder: Path, rel: str) -> dict[str, Any]:
    return {"path": rel, "bytes": (folder / rel).stat().st_size, "hash": "sha256:" + sha256_file(folder / rel)}


def _table_resources(folder: Path, name: str, text_scope: str) -> list[dict[str, Any]]:
    spec = table(name)
    foreign = [
        {"fields": col.name, "reference": {"resource": col.references.split(".")[0], "fields": col.references.split(".")[1]}}
        for col in spec.columns
        if col.references and not col.is_list  # Table Schema foreign keys hold one value per cell
    ]
    schema: dict[str, Any] = {"fields": [_field(c) for c in spec.columns], "primaryKey": [spec.key], "missingValues": [""]}
    if foreign:
        schema["foreignKeys"] = foreign
    licences = {"licenses": [DATA_LICENCE, TEXT_LICENCE]} if name == "articles" else {}
    text = f" Article texts: {text_scope} (see text_scope)." if name == "articles" else ""
    csv = {"name": name, **_file(folder, f"csv/{name}.csv"), "format": "csv", "mediatype": "text/csv", "encoding": "utf-8"}
    parquet = {"name": f"{name}-parquet", "type": "file", **_file(folder, f"parquet/{name}.parquet"), "format": "parquet"}
    return [
        {**csv, "description": spec.description + text, "schema": schema, **licences},
        {**parquet, "mediatype": "application/vnd.apache.parquet", "description": f"The {name} table as Parquet.", **licences},
    ]


def _id_changes_resource(folder: Path) -> dict[str, Any]:
    described = {
        "table": "The table the id belongs to.",
        "change": "added, removed or changed (a row that kept its id), or for a person id: merged, split or removed.",
        "old_id": "The id in the previous release (empty when added).",
        "new_id": "The id now (empty when removed; the other person for merged and split).",
    }
    fields = [{"name": c, "type": "string", "description": described[c]} for c in ID_CHANGE_COLUMNS]
    return {
        "name": "id_changes",
        **_file(folder, ID_CHANGES),
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "description": "Every id added, removed or changed since the previous release, and what became of each person id that retired.",
        "schema": {"fields": fields, "missingValues": [""]},
    }


def descriptor(folder: Path, version: str, created: str, about: About, tables: dict[str, pa.Table], text_scope: str) -> dict[str, Any]:
    """datapackage.json of the release being built in `folder` (its files written already)."""
    found = facts(tables)
    span = f"published {found['first_published']} to {found['last_published']}" if found["first_published"] else "publication dates unknown"
    outlets = ", ".join(found["outlets"][:10]) or "outlets not given"
    source = {"title": about.corpus or f"{found['articles']} news articles ({outlets}), {span}"}
    package: dict[str, Any] = {
        "name": "newsledger",
        "title": about.title,
        "description": about.description,
        "version": version,
        "created": f"{created}T00:00:00Z",
        "keywords": about.keywords,
        "contributors": about.contributors,
        "licenses": [DATA_LICENCE],
        "sources": [source],
        "newsledger": {"pipeline_version": _pipeline_version(), "commit": commit(), "text": text_scope, **found},
        "resources": [r for name in TABLES for r in _table_resources(folder, name, text_scope)] + [_id_changes_resource(folder)],
    }
    if about.doi:
        package["id"] = f"https://doi.org/{about.doi}"
    if about.homepage:
        package["homepage"] = about.homepage
    return package


def _pipeline_version() -> str:
    from flows.tables.archive import pipeline_version

    return pipeline_version()


def citation(version: str, day: str, about: About, tables: dict[str, pa.Table]) -> str:
    """CITATION.cff (Citation File Format 1.2.0) of the release."""
    found = facts(tables)
    record: dict[str, Any] = {
        "cff-version": "1.2.0",
        "message": "If you use these data, please cite them as below.",
        "type": "dataset",
        "title": about.title,
        "abstract": about.description + (f" Source: {about.corpus}." if about.corpus else ""),
        "version": version,
        "date-released": day,
        "authors": [{"name": c.get("title") or c.get("name", "")} for c in about.contributors],
        "license": DATA_LICENCE["name"],
        "keywords": about.keywords,
        "commit": commit() or "unknown",
    }
    if about.doi:
        record["doi"] = about.doi
    if about.homepage:
        record["url"] = about.homepage
    span = f"{found['first_published']} – {found['last_published']}" if found["first_published"] else "unknown dates"
    head = f"# {found['articles']} articles, {span}. Add `doi:` (release --about) once the release is deposited.\n"
    return head + yaml.safe_dump(record, sort_keys=False, allow_unicode=True)


def validate_package(folder: Path) -> list[str]:
    """frictionless' verdict on the package: its errors (none when valid)."""
    from frictionless import validate

    report = validate(folder / "datapackage.json")
    return [f"{t}: {m}" for t, m in report.flatten(["type", "message"])]


def write(folder: Path, package: dict[str, Any]) -> None:
    (folder / "datapackage.json").write_text(json.dumps(package, indent=2, ensure_ascii=False), encoding="utf-8")
