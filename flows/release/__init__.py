"""`newsledger release`: a versioned, documented, citable bundle of the validated tables.

Version rule: a schema change (a column added, removed or retyped) is a major
release; new rows are a minor release; only removed or corrected rows are a
patch. The first release is 1.0.0. A release that exists is never overwritten.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import shutil
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa

from flows.release import accuracy, accuracy_meantime, changes, data_docs, datapackage, profile, release_page, texts
from flows.runtime.lock import output_lock
from flows.tables import publish, validate
from flows.tables.archive import published_manifest
from flows.tables.publish import write_report, write_tables
from flows.tables.schema import TABLES

RELEASES = "releases"


class ReleaseError(Exception):
    """The release cannot be made (nothing published, nothing changed, version exists)."""


VERSION = re.compile(r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)", re.ASCII)  # SemVer core, ASCII digits


def parse_version(text: str) -> tuple[int, int, int]:
    """MAJOR.MINOR.PATCH in ASCII digits without leading zeros ("01.0.0" and "１.0.0" are refused,
    so two spellings never name one release)."""
    if not (m := VERSION.fullmatch(text)):
        raise ReleaseError(f"version {text!r} is not MAJOR.MINOR.PATCH (digits 0-9, no leading zeros)")
    return int(m[1]), int(m[2]), int(m[3])


def read_tables(folder: Path) -> dict[str, pa.Table]:
    missing = [n for n in TABLES if not (folder / f"{n}.parquet").exists()]
    if missing:
        raise ReleaseError(f"no published tables in {folder} (missing {', '.join(missing)}): run `newsledger run` first")
    return {n: publish.read_table(folder, n) for n in TABLES}


def latest_release(releases: Path) -> tuple[str, Path] | None:
    found = [p for p in releases.iterdir() if p.is_dir() and VERSION.fullmatch(p.name)]  # "1.0.0.bak" is not a release
    if not found:
        return None
    best = max(found, key=lambda p: parse_version(p.name))
    return best.name, best


def next_version(previous: str | None, diff: changes.Diff | None) -> str:
    """Apply the version rule to the previous release and the difference."""
    if previous is None or diff is None:
        return "1.0.0"
    major, minor, patch = parse_version(previous)
    if diff.schema_changes:
        return f"{major + 1}.0.0"
    if any(d.added for d in diff.tables.values()):
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


def sha256sums(folder: Path) -> str:
    lines = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.name != "SHA256SUMS" and p.suffix != ".zip"):
        lines.append(f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path.relative_to(folder).as_posix()}")
    return "\n".join(lines) + "\n"


def build_release(
    output: Path, version: str | None = None, day: str | None = None, text: str = "excerpt", about: Path | None = None
) -> Path:
    """Build output/releases/<version>/ from the validated tables in output/parquet, with as much
    of the article texts as `text` says (texts.SCOPES) and what `about` (a YAML file) says of them."""
    if text not in texts.SCOPES:
        raise ReleaseError(f"--text must be one of {', '.join(texts.SCOPES)}, not {text!r}")
    try:
        described = datapackage.read_about(about)
    except (OSError, datapackage.AboutError, TypeError) as err:
        raise ReleaseError(f"--about: {err}") from err
    with output_lock(output):
        return _build_release(output, version, day, text, described)


def check_untampered(output: Path) -> None:
    """The tables are the files the last run published (checksums in the manifest), made with every rule on."""
    last = published_manifest(output)
    recorded = {rel: digest for rel, digest in last.get("published", {}).items() if rel.startswith(("parquet/", "csv/"))}
    if not recorded:
        raise ReleaseError(f"no record of what newsledger published in {output}/: run `newsledger run` first")
    if off := list(last.get("without_rules", [])):
        raise ReleaseError(
            f"the published tables were made without the rules {', '.join(off)} (an evaluation run); "
            "run `newsledger run` with every rule on before releasing"
        )
    found = publish.checksums(output)
    changed = sorted(name for name in recorded.keys() | found.keys() if recorded.get(name) != found.get(name))
    if changed:
        raise ReleaseError(
            f"{', '.join(changed[:5])} differ from what `newsledger run` published (edited by hand?); "
            "run `newsledger run --full` to publish them again"
        )


def _build_release(output: Path, version: str | None, day: str | None, text: str, about: datapackage.About) -> Path:
    """Check the published tables, then write the release in a hidden folder, check it with
    frictionless, and move it into place."""
    tables, report, previous, diff = _releasable(output, version, text)
    version = version or next_version(previous[0] if previous else None, diff)
    parse_version(version)
    target = output / RELEASES / version
    if target.exists():
        raise ReleaseError(f"release {version} exists already and is never overwritten; choose another version")
    day = day or datetime.now(UTC).date().isoformat()
    building = output / RELEASES / f".building-{version}"
    shutil.rmtree(building, ignore_errors=True)
    write_tables(tables, building)  # parquet/, csv/, CODEBOOK.md
    write_report(report, building / "reports")
    profile.write(tables, building / "reports")
    data_docs.build(tables, building / "reports")
    _write_id_changes(building / changes.ID_CHANGES, changes.id_changes(diff))
    datapackage.write(building, datapackage.descriptor(building, version, day, about, tables, text))
    if errors := datapackage.validate_package(building):
        shutil.rmtree(building, ignore_errors=True)
        raise ReleaseError("the data package is not valid (frictionless):\n  " + "\n  ".join(errors[:10]))
    scores = _write_accuracy(building, output)
    old_log = (previous[1] / "CHANGELOG.md").read_text(encoding="utf-8").split("\n", 2)[2] if previous else ""
    counts = {n: t.num_rows for n, t in tables.items()}
    entry = changes.changelog_entry(version, previous[0] if previous else None, diff, counts, day)
    (building / "CHANGELOG.md").write_text("# Changelog\n\n" + entry + ("\n" + old_log if old_log else ""), encoding="utf-8")
    (building / "CITATION.cff").write_text(datapackage.citation(version, day, about, tables), encoding="utf-8")
    _write_page_and_bundle(building, version, tables, scores, about)
    building.rename(target)
    return target


def _write_id_changes(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=changes.ID_CHANGE_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)


def _releasable(
    output: Path, version: str | None, text: str
) -> tuple[dict[str, pa.Table], validate.Report, tuple[str, Path] | None, changes.Diff | None]:
    """The published tables (articles with as much text as `text` says), their validation report,
    the previous release and the difference from it — or a ReleaseError saying why there is nothing
    to release."""
    check_untampered(output)
    tables = read_tables(output / "parquet")
    report = validate.validate(tables)
    if not report.success:
        raise ReleaseError(
            "the published tables fail validation; fix them before releasing:\n  " + "\n  ".join(c.describe() for c in report.failures)
        )
    tables["articles"] = texts.with_text(tables["articles"], text, tables)
    releases = output / RELEASES
    releases.mkdir(parents=True, exist_ok=True)
    previous = latest_release(releases)
    diff = changes.compare(read_tables(previous[1] / "parquet"), tables) if previous else None
    if previous and diff is not None and diff.empty and version is None:
        raise ReleaseError(f"nothing changed since release {previous[0]}; nothing to release")
    if previous and tables["articles"].num_rows == 0:
        raise ReleaseError(f"this release would remove every article of release {previous[0]}; nothing to release")
    return tables, report, previous, diff


def _write_accuracy(building: Path, output: Path) -> dict[str, Any]:
    """ACCURACY.md and accuracy.json: the gold/ samples and MEANTIME, scored at this pipeline version."""
    scores = accuracy.measure()
    scores["meantime"] = accuracy_meantime.measure(output / ".cache" / "accuracy")  # once per pipeline version
    page = "# Accuracy\n\n" + accuracy_meantime.render(scores["meantime"]) + "\n" + accuracy.render(scores)
    (building / "ACCURACY.md").write_text(page, encoding="utf-8")
    (building / "accuracy.json").write_text(json.dumps(scores, indent=1), encoding="utf-8")
    return scores


def _write_page_and_bundle(
    building: Path, version: str, tables: dict[str, pa.Table], scores: dict[str, Any], about: datapackage.About
) -> None:
    """The summary page with its timeline and map, SHA256SUMS over every file, and the zip of them all."""
    frames = {n: t.to_pandas() for n, t in tables.items()}
    release_page.timeline_png(frames["events"], building / "timeline.png")
    release_page.map_png(frames["events"], frames["places"], building / "map.png")
    files = sorted(p.relative_to(building).as_posix() for p in building.rglob("*") if p.is_file())
    package = json.loads((building / "datapackage.json").read_text(encoding="utf-8"))
    page = release_page.render(version, frames, [*files, "SHA256SUMS", f"newsledger-{version}.zip"], package, scores)
    (building / "index.html").write_text(page, encoding="utf-8")
    (building / "SHA256SUMS").write_text(sha256sums(building), encoding="utf-8")
    with zipfile.ZipFile(building / f"newsledger-{version}.zip", "w", zipfile.ZIP_DEFLATED) as bundle:
        for path in sorted(p for p in building.rglob("*") if p.is_file() and p.suffix != ".zip"):
            bundle.write(path, f"newsledger-{version}/{path.relative_to(building).as_posix()}")
