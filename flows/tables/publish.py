"""Write validated tables where users read them: Parquet, CSV and the validation report.

Tables are written into a new snapshot folder and published by switching one
link (see `publish`), so a failed or killed run never leaves a half-written
table beside complete ones.

CSV conventions (also in the codebook): UTF-8, comma-separated, header row in
schema order; lists as JSON arrays (["a", "b"]); dates as ISO 8601; empty cell
for null; a text cell that begins with =, +, -, @, tab or carriage return is
prefixed with a single quote so spreadsheets do not run it as a formula
(OWASP CSV injection rule).
"""

from __future__ import annotations

import csv
import hashlib
import html
import json
import os
import re
import shutil
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from flows.errors import OutputNotOurs
from flows.tables import codebook
from flows.tables.schema import TABLES, table
from flows.tables.validate import Report

LINE_FORMULA_STARTS = ("=", "+", "-", "@", "\t")  # a line inside a cell that starts like this is a formula to a spreadsheet
FORMULA_STARTS = (*LINE_FORMULA_STARTS, "\r")  # … and so is a whole cell that starts with a carriage return
FORMULA_PATTERN = "^[" + re.escape("".join(FORMULA_STARTS)) + "]"
CODEBOOK = "CODEBOOK.md"
LINKED = ("parquet", "csv", CODEBOOK)  # what output/ shows through output/current
SNAPSHOTS = ".snapshots"
STATE = "state"  # the archive state of a publication (flows/tables/archive.py), inside its snapshot
WHOLE = "all"  # the part name of a table stored whole


LINE_START_PATTERN = r"([\r\n])([" + re.escape("".join(LINE_FORMULA_STARTS)) + "])"


def neutralise(cells: pa.ChunkedArray) -> pa.ChunkedArray:
    """Defuse spreadsheet formula injection: a cell that starts like a formula gets a leading ',
    and so does every line inside it that starts like one (after a CR or LF)."""
    risky = pc.match_substring_regex(cells, FORMULA_PATTERN)
    cells = pc.if_else(risky, pc.binary_join_element_wise("'", cells, ""), cells)
    return pc.replace_substring_regex(cells, pattern=LINE_START_PATTERN, replacement="\\1'\\2")


_to_json = json.JSONEncoder(ensure_ascii=False).encode  # one encoder: json.dumps with options builds one per cell


def csv_cells(name: str, data: pa.Table) -> dict[str, list[str]]:
    """The table's cells as written to CSV, column by column in schema order: lists as JSON, text
    neutralised (except verbatim columns: the article text, which offsets point into, is kept
    exactly), booleans as True/False, timestamps as ISO 8601 UTC, an empty cell for null.
    Made in Arrow where it can be, as pandas' CSV writer would make them (the same bytes)."""
    cells: dict[str, list[str]] = {}
    for col in table(name).columns:
        values = data.column(col.name)
        if col.is_list:
            cells[col.name] = ["" if v is None else _to_json(v) for v in values.to_pylist()]
        elif col.type == "string":
            cells[col.name] = pc.fill_null(values if col.csv_verbatim else neutralise(values), "").to_pylist()
        elif col.type == "bool":
            cells[col.name] = pc.fill_null(pc.if_else(values, "True", "False"), "").to_pylist()
        elif col.type == "float64":
            cells[col.name] = ["" if v is None or v != v else repr(v) for v in values.to_pylist()]
        elif col.type == "timestamp":
            cells[col.name] = ["" if v is None else v.strftime("%Y-%m-%dT%H:%M:%SZ") for v in values.to_pylist()]
        else:  # int64, date: Arrow's text is pandas' (digits, ISO 8601)
            cells[col.name] = pc.fill_null(values.cast(pa.string()), "").to_pylist()
    return cells


def write_tables(tables: dict[str, pa.Table], folder: Path) -> dict[str, str]:
    """Parquet and CSV of every table as one file each (a release), and the codebook that explains
    them; returns the SHA-256 of every table file (relative path → digest)."""
    (folder / "parquet").mkdir(parents=True)
    (folder / "csv").mkdir()
    (folder / CODEBOOK).write_text(codebook.render(), encoding="utf-8")
    for name, data in tables.items():
        pq.write_table(data, folder / "parquet" / f"{name}.parquet", compression="zstd")
        write_csv(name, data, folder / "csv" / f"{name}.csv")
    return checksums(folder)


def checksums(folder: Path) -> dict[str, str]:
    """SHA-256 of the table files under folder/parquet and folder/csv (a Parquet file per table, or per part)."""
    files = sorted([*(folder / "parquet").rglob("*.parquet"), *(folder / "csv").glob("*.csv")])
    return {p.relative_to(folder).as_posix(): sha256_file(p) for p in files if p.is_file()}


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_part(folder: Path, name: str, part: str, data: pa.Table) -> dict[str, str]:
    """Write one part of a table (Parquet and CSV) into a snapshot folder; returns their SHA-256."""
    written = {}
    for rel in part_files(name, part):
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if rel.endswith(".parquet"):
            pq.write_table(data, path, compression="zstd")
        else:
            write_csv(name, data, path)
        written[rel] = sha256_file(path)
    return written


def part_files(name: str, part: str) -> tuple[str, str]:
    """Where a part of a table is kept, relative to the snapshot: in one Parquet folder per table
    (`pd.read_parquet("parquet/mentions.parquet")` reads every part), and as CSV in the archive's
    state, from which `join_csv` makes the table's one CSV file."""
    return f"parquet/{name}.parquet/part-{part}.parquet", f"{STATE}/csv/{name}/part-{part}.csv"


def rows_path(state: Path, part: str) -> Path:
    """A part's rows file (its extracted rows before people are resolved) in a snapshot's state."""
    return state / "rows" / f"part-{part}.parquet"


def join_csv(folder: Path, name: str) -> str:
    """csv/<name>.csv of a snapshot: the header, then the rows of every CSV part in part order —
    bytes copied, not parsed again, so a run that changes one part does not encode the others.
    Returns the file's SHA-256."""
    parts = sorted((folder / STATE / "csv" / name).glob("part-*.csv"))
    target = folder / "csv" / f"{name}.csv"
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with target.open("wb") as out:
        header = ",".join(table(name).column_names).encode() + b"\r\n"
        for i, part in enumerate(parts):
            with part.open("rb") as fh:
                first = fh.readline()
                if i == 0:
                    out.write(first)
                    digest.update(first)
                while block := fh.read(1 << 20):
                    out.write(block)
                    digest.update(block)
        if not parts:
            out.write(header)
            digest.update(header)
    return digest.hexdigest()


def read_table(folder: Path, name: str, columns: list[str] | None = None) -> pa.Table:
    """A published table, every part of it (or only some columns: cheap, Parquet is columnar)."""
    path = folder / f"{name}.parquet"
    schema = table(name).arrow_schema()
    if not path.is_file():  # a folder of parts (none yet: an empty table)
        parts = sorted(path.glob("part-*.parquet"))
        if not parts:
            return schema.empty_table().select(columns) if columns else schema.empty_table()
        return pa.concat_tables([pq.read_table(p, columns=columns) for p in parts])
    return pq.read_table(path, columns=columns)


WRITING: set[Path] = set()  # snapshot folders this process is writing (what a stopped run removes)


class Snapshot:
    """A publication being written: parts are written into a hidden snapshot folder, or linked
    from the snapshot output/ shows when they did not change, then `publish` switches to it."""

    def __init__(self, output: Path):
        output.mkdir(parents=True, exist_ok=True)
        (output / SNAPSHOTS).mkdir(exist_ok=True)
        check_output(output)
        self.output = output
        self.name = f"{datetime.now(UTC):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}"
        self.folder = output / SNAPSHOTS / f".writing-{self.name}"
        WRITING.add(self.folder)
        self.digests: dict[str, str] = {}  # relative path → SHA-256 of every table file
        for name in TABLES:
            (self.folder / "parquet" / f"{name}.parquet").mkdir(parents=True)

    @property
    def state(self) -> Path:
        return self.folder / STATE

    def write(self, name: str, part: str, data: pa.Table) -> None:
        self.digests |= write_part(self.folder, name, part, data)

    def link_part(self, part: str, names: tuple[str, ...], digests: dict[str, str]) -> None:
        """Carry one unchanged part over from the current snapshot (hard links: no copy): its rows
        file and its file of each table that has one (a part quarantines no rows, mostly)."""
        current = self.output / "current"
        link_file(rows_path(current / STATE, part), rows_path(self.state, part))
        for name in names:
            for rel in part_files(name, part):
                if rel in digests:
                    link_file(current / rel, self.folder / rel)
                    self.digests[rel] = digests[rel]

    def join_csv(self) -> None:
        """Write every table's one CSV file from its parts (after the last part, before the manifest)."""
        for name in TABLES:
            self.digests[f"csv/{name}.csv"] = join_csv(self.folder, name)

    def counts(self) -> dict[str, int]:
        """Rows per table, from the Parquet footers of its parts (nothing is read)."""
        return {
            name: sum(pq.ParquetFile(f).metadata.num_rows for f in (self.folder / "parquet" / f"{name}.parquet").glob("*.parquet"))
            for name in TABLES
        }

    def publish(self) -> dict[str, str]:
        """Add the codebook, then switch output/ to this snapshot in one step (see `publish`)."""
        (self.folder / CODEBOOK).write_text(codebook.render(), encoding="utf-8")
        self.folder.rename(self.output / SNAPSHOTS / self.name)
        WRITING.discard(self.folder)
        _switch(self.output, Path(SNAPSHOTS) / self.name)
        _tidy(self.output, keep=self.name)
        return dict(self.digests)

    def abandon(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
        WRITING.discard(self.folder)


def link_file(source: Path, target: Path) -> None:
    """A hard link to a file of the previous snapshot (a copy where the file system has none)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def write_csv(name: str, data: pa.Table, path: Path) -> None:
    """RFC 4180 lines (CRLF), header row in schema order: Python's csv quotes a cell holding the
    delimiter, a quote mark or any character of the line terminator, so with CRLF every cell
    holding CR or LF is quoted and no reader can split a row inside a cell."""
    cells = csv_cells(name, data)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
        writer.writerow(cells)
        writer.writerows(zip(*cells.values(), strict=True))


def write_report(report: Report, folder: Path) -> Path:
    """validation.json (machine-readable) and validation.html (for people); returns the HTML path."""
    folder.mkdir(parents=True, exist_ok=True)
    records: list[dict[str, Any]] = [
        {
            "table": c.table,
            "check": c.check,
            "severity": c.severity,
            "success": c.success,
            "quarantined": c.quarantined,
            "examples": [str(e) for e in c.examples[:5]],
        }
        for c in report.checks
    ]
    quarantined = {name: dict(counts) for name, counts in sorted(report.quarantined.items())}
    summary = {"success": report.success, "max_quarantined": report.max_quarantined, "quarantined": quarantined, "checks": records}
    (folder / "validation.json").write_text(json.dumps(summary, indent=1, ensure_ascii=False), encoding="utf-8")
    path = folder / "validation.html"
    path.write_text(_report_page(report, records, quarantined), encoding="utf-8")
    return path


def _report_page(report: Report, records: list[dict[str, Any]], quarantined: dict[str, dict[str, int]]) -> str:
    """validation.html: the outcome, the quarantined rows per check, and one table row per check."""
    rows = "\n".join(
        f"<tr class={'ok' if r['success'] else 'fail'}><td>{html.escape(r['table'])}</td><td>{html.escape(r['check'])}</td>"
        f"<td>{r['severity']}</td><td>{'pass' if r['success'] else 'FAIL'}</td><td>{r['quarantined'] or ''}</td>"
        f"<td>{html.escape('; '.join(r['examples']))}</td></tr>"
        for r in records
    )
    moved = "".join(
        f"<li>{html.escape(name)}: {count} rows — {html.escape(check)}</li>"
        for name, counts in quarantined.items()
        for check, count in counts.items()
    )
    return (
        "<!doctype html><meta charset=utf-8><title>newsledger validation</title>"
        "<style>body{font-family:sans-serif}td{padding:2px 8px;border-bottom:1px solid #ddd}.fail{background:#fdd}</style>"
        f"<h1>Validation {'passed' if report.success else 'FAILED'}</h1>"
        f"<p>{len(records)} checks, {sum(not r['success'] for r in records)} failed. Invariants block publication; rows failing a "
        f"row check are moved to the quarantine table (at most {report.max_quarantined:.2%} of a table's rows).</p>"
        f"<h2>Quarantined: {report.n_quarantined} rows</h2><ul>{moved or '<li>none</li>'}</ul>"
        f"<table><tr><th>table</th><th>check</th><th>severity</th><th>result</th><th>quarantined</th><th>examples</th></tr>{rows}</table>"
    )


def check_output(output: Path) -> None:
    """Refuse to publish into output/parquet, output/csv or output/CODEBOOK.md when they are real
    files or folders holding files newsledger did not write (a user's own folder): publishing
    replaces them."""
    ours = {f"{name}.{suffix}" for name in TABLES for suffix in ("parquet", "csv")} | set(TABLES)  # files, or folders of parts
    for folder in ("parquet", "csv"):
        target = output / folder
        if target.is_dir() and not target.is_symlink():
            foreign = sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.relative_to(target).parts[0] not in ours)
            if foreign:
                raise OutputNotOurs(
                    f"{target}/ holds files newsledger did not write ({', '.join(foreign[:3])}{' …' if len(foreign) > 3 else ''}); "
                    "move them away or choose another --output"
                )
    book = output / CODEBOOK
    if (
        book.is_file()
        and not book.is_symlink()
        and not book.read_text(encoding="utf-8", errors="replace").startswith("# newsledger codebook")
    ):
        raise OutputNotOurs(f"{book} is not a codebook newsledger wrote; move it away or choose another --output")


def publish(tables: dict[str, pa.Table], output: Path) -> dict[str, str]:
    """Publish whole tables as one part each, into a new snapshot, then switch to it in one step.

    output/parquet and output/csv are links into output/current, and
    output/current is a link to the newest complete snapshot under
    output/.snapshots/. The switch is one atomic rename of that link, so a
    crash or Ctrl-C at any moment leaves either the old or the new complete
    set of tables, never a mix.
    """
    snapshot = Snapshot(output)
    for name, data in tables.items():
        snapshot.write(name, WHOLE, data)
    snapshot.join_csv()
    return snapshot.publish()


def _switch(output: Path, snapshot: Path) -> None:
    """Point output/current at the snapshot (atomic), and make sure parquet/, csv/ and the codebook go through it."""
    link = output / f".current-{uuid.uuid4().hex[:6]}"
    link.symlink_to(snapshot, target_is_directory=True)
    os.replace(link, output / "current")
    for folder in LINKED:
        target = output / folder
        if target.is_symlink():
            continue
        if target.exists():  # a folder from an older layout: keep it aside, then link
            target.rename(output / SNAPSHOTS / f"legacy-{folder}-{uuid.uuid4().hex[:6]}")
        target.symlink_to(Path("current") / folder, target_is_directory=(output / "current" / folder).is_dir())


def _tidy(output: Path, keep: str) -> None:
    """Remove older snapshots, abandoned half-written ones (never the one in use), and links a
    run killed during the switch left behind (.current-*)."""
    for old in (output / SNAPSHOTS).iterdir():
        if old.name != keep:
            shutil.rmtree(old, ignore_errors=True)
    for stray in output.glob(".current-*"):
        if stray.is_symlink():
            stray.unlink(missing_ok=True)
