"""The real flow under faults and hostile data: no code from the cache, no split CSV rows, no
tampered release, one run at a time, no silent loss of the published tables, clear exit codes."""

from __future__ import annotations

import csv
import io
import os
import pickle
import shutil
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from flows.cli import main
from flows.errors import OutputBusy, OutputNotOurs, ShrinkRefused
from flows.pipeline import build_dataset
from flows.release import ReleaseError, build_release, check_untampered, latest_release, parse_version
from flows.runtime.lock import output_lock
from flows.tables.schema import TABLES
from tests.published import csv_text, table_bytes
from tests.published import parquet as published

FIXTURES = Path(__file__).parents[1] / "fixtures"
NAMES = ["protest.txt", "court-ruling.txt", "diplomacy.txt"]


def raw_folder(tmp: Path, names: list[str] = NAMES) -> Path:
    folder = tmp / "raw"
    folder.mkdir(exist_ok=True)
    for name in names:
        shutil.copy(FIXTURES / "articles" / name, folder / name)
    return folder


def tables_bytes(output: Path) -> dict[str, list[bytes]]:
    return {name: table_bytes(output, name) for name in TABLES}


class Payload:
    """Unpickling this runs code: it writes a marker file."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (Path.write_text, (self.marker, "code ran"))


@pytest.mark.slow  # four runs
def test_cached_rows_are_data_checked_against_the_manifest(tmp_path):
    raw, output = raw_folder(tmp_path), tmp_path / "output"
    build_dataset(raw, output)
    rows = output / "current" / "state" / "rows"
    entries = sorted(rows.glob("*.parquet"))
    assert entries and not list(rows.glob("*.pickle"))
    marker = tmp_path / "marker"
    for entry in entries:  # a planted pickle beside every rows file, and every rows file bit-flipped
        entry.with_suffix(".pickle").write_bytes(pickle.dumps(Payload(marker)))
        data = bytearray(entry.read_bytes())
        data[len(data) // 2] ^= 0x20
        entry.write_bytes(bytes(data))
    (raw / NAMES[0]).unlink()  # the part holding it must be built again from its cached rows
    (raw / "extra.txt").write_text("Officials met on Monday to discuss the budget, the ministry said.\n")
    summary = build_dataset(raw, output, allow_shrink=True)
    assert not marker.exists()  # no cached file is ever unpickled
    assert summary.processed == len(NAMES)  # damaged rows are recomputed, never trusted
    fresh = tmp_path / "fresh"
    build_dataset(raw, fresh)
    assert tables_bytes(output) == tables_bytes(fresh)
    assert not list((output / "current" / "state" / "rows").glob("*.pickle"))
    (output / "current" / "state" / "manifest.json").write_text("[1, 2, 3]")  # valid JSON, not an object
    again = build_dataset(raw, output)
    assert again.processed == len(NAMES) and tables_bytes(output) == tables_bytes(fresh)


def test_a_carriage_return_in_a_cell_never_splits_a_csv_row(tmp_path):
    raw = raw_folder(tmp_path, ["protest.txt"])
    evil = "note\r=cmd|' -C calc'!A0.txt"  # a file name is a cell of articles.source_path and rejects.path
    shutil.copy(FIXTURES / "articles" / "court-ruling.txt", raw / evil)
    (raw / "empty\r@SUM(1).txt").write_text("")
    (raw / "dash.txt").write_text("-Officials met on Monday to discuss the budget, the ministry said.\n")
    output = tmp_path / "output"
    build_dataset(raw, output)
    for name in ("articles", "rejects"):
        parquet = published(output, name)
        data = csv_text(output, name).encode()
        python_rows = list(csv.reader(io.StringIO(data.decode(), newline="")))
        assert len(python_rows) == parquet.num_rows + 1
        assert len(pd.read_csv(io.BytesIO(data), keep_default_na=False)) == parquet.num_rows
        assert len(spreadsheet_rows(data.decode())) == parquet.num_rows + 1
        for row in spreadsheet_rows(data.decode()):
            for cell in row:
                for line in cell.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
                    assert not line.startswith(("=", "+", "@")), f"formula at a line start in {name}: {cell!r}"
    article = pd.read_csv(io.StringIO(csv_text(output, "articles")), keep_default_na=False).set_index("article_id")
    stored = published(output, "articles").to_pandas().set_index("article_id")
    assert (article["text"] == stored["text"]).all()  # the article text is verbatim: offsets hold in the CSV
    assert any(text.startswith("-Officials") for text in article["text"])


def spreadsheet_rows(text: str) -> list[list[str]]:
    """A reader as spreadsheets read CSV: quotes respected, and any CR, LF or CRLF outside quotes ends a row."""
    rows, row, cell, quoted, i = [], [], [], False, 0
    while i < len(text):
        ch = text[i]
        if quoted:
            if ch == '"' and text[i + 1 : i + 2] == '"':
                cell.append('"')
                i += 1
            elif ch == '"':
                quoted = False
            else:
                cell.append(ch)
        elif ch == '"':
            quoted = True
        elif ch == ",":
            row.append("".join(cell))
            cell = []
        elif ch in "\r\n":
            row.append("".join(cell))
            rows.append(row)
            row, cell = [], []
            if ch == "\r" and text[i + 1 : i + 2] == "\n":
                i += 1
        else:
            cell.append(ch)
        i += 1
    if cell or row:
        rows.append([*row, "".join(cell)])
    return rows


def test_release_refuses_tables_edited_by_hand(tmp_path):
    raw, output = raw_folder(tmp_path), tmp_path / "output"
    build_dataset(raw, output)
    [part] = (output / "parquet" / "people.parquet").glob("part-*.parquet")
    people = pq.read_table(part)
    names = people.column("name").to_pylist()
    names[0] = "Someone Else"
    pq.write_table(people.set_column(people.schema.get_field_index("name"), people.schema.field("name"), pa.array(names)), part)
    with pytest.raises(ReleaseError, match="people.parquet/part-all.parquet differ from what"):
        build_release(output)


def test_release_refuses_tables_made_without_a_rule(tmp_path, monkeypatch):
    raw, output = raw_folder(tmp_path), tmp_path / "output"
    monkeypatch.setenv("NEWSLEDGER_WITHOUT_RULES", "speaker:pronoun")
    build_dataset(raw, output)
    with pytest.raises(ReleaseError, match="made without the rules speaker:pronoun"):
        build_release(output)
    monkeypatch.delenv("NEWSLEDGER_WITHOUT_RULES")
    again = build_dataset(raw, output)  # every rule on again: the rows are made anew, and release may go on
    assert again.processed == again.articles > 0
    check_untampered(output)  # the check that refused above passes now


def test_one_run_at_a_time_per_output_folder(tmp_path, capsys, monkeypatch):
    raw, output = raw_folder(tmp_path), tmp_path / "output"
    with output_lock(output):
        with pytest.raises(OutputBusy, match="another newsledger run"):
            build_dataset(raw, output)
        monkeypatch.setattr("os.environ", dict(os.environ))
        assert main(["run", "--raw", str(raw), "--output", str(output)]) == 3
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and f"pid {os.getpid()}" in err[0]
    assert not (output / "parquet").exists()
    build_dataset(raw, output)  # the lock is gone with its holder
    assert (output / "parquet" / "articles.parquet").exists()


@pytest.mark.slow  # makes a release
def test_an_emptied_input_folder_does_not_wipe_the_published_tables(tmp_path):
    raw, output = raw_folder(tmp_path), tmp_path / "output"
    build_dataset(raw, output)
    build_release(output, day="2024-01-01")
    before = tables_bytes(output)
    for path in raw.iterdir():
        path.unlink()  # an unmounted drive
    with pytest.raises(ShrinkRefused, match="--allow-shrink"):
        build_dataset(raw, output)
    assert tables_bytes(output) == before
    assert build_dataset(raw, output, allow_shrink=True).articles == 0
    with pytest.raises(ReleaseError, match="remove every article"):
        build_release(output, day="2024-01-02")


def test_a_folder_of_the_users_own_files_is_never_taken_over(tmp_path):
    raw, output = raw_folder(tmp_path), tmp_path / "output"
    (output / "csv").mkdir(parents=True)
    (output / "csv" / "my-notes.csv").write_text("mine\n")
    with pytest.raises(OutputNotOurs, match="my-notes.csv"):
        build_dataset(raw, output)
    assert (output / "csv" / "my-notes.csv").read_text() == "mine\n"


def test_an_output_folder_inside_raw_is_not_ingested(tmp_path):
    raw = raw_folder(tmp_path)
    output = raw / "output"
    build_dataset(raw, output)
    again = build_dataset(raw, output, full=True)
    assert again.articles == len(NAMES) and again.rejects == 0


def test_a_stray_link_of_a_killed_switch_is_removed(tmp_path):
    raw, output = raw_folder(tmp_path), tmp_path / "output"
    build_dataset(raw, output)
    (output / ".current-dead00").symlink_to(output / ".snapshots" / "gone", target_is_directory=True)
    (raw / "extra.txt").write_text("Officials met on Monday to discuss the budget, the ministry said.\n")
    build_dataset(raw, output)
    assert not list(output.glob(".current-*"))


def test_processing_errors_are_dated_by_the_file_not_the_clock(tmp_path, monkeypatch):
    raw, output = raw_folder(tmp_path, ["protest.txt"]), tmp_path / "output"
    os.utime(raw / "protest.txt", (1_600_000_000, 1_600_000_000))
    import flows.runtime.batches as batches

    monkeypatch.setattr(batches, "extract_article", lambda _ann: (_ for _ in ()).throw(RuntimeError("boom")))
    build_dataset(raw, output, allow_shrink=True)
    [reject] = pd.read_parquet(output / "parquet" / "rejects.parquet").to_dict("records")
    assert reject["reason"] == "processing_error" and reject["seen_at"].timestamp() == 1_600_000_000


def test_crashes_and_refusals_exit_with_their_codes_and_one_line(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("os.environ", dict(os.environ))
    raw, output = raw_folder(tmp_path), tmp_path / "output"
    import flows.tables.resolve as resolve

    def broken(*_args):
        raise RuntimeError("resolver broke")

    monkeypatch.setattr(resolve, "resolve_people", broken)
    assert main(["run", "--raw", str(raw), "--output", str(output)]) == 4
    [line] = capsys.readouterr().err.strip().splitlines()
    assert "internal error" in line and "resolver broke" in line and "run.log" in line
    assert "Traceback" in (output / "reports" / "run.log").read_text()
    with pytest.raises(SystemExit) as usage:
        main(["run", "--max-quarantined", "2"])
    assert usage.value.code == 2


def test_release_versions_are_strict_and_stray_folders_ignored(tmp_path):
    for bad in ("01.0.0", "１.0.0", "².0.0", "1.0", "1.0.0.bak"):
        with pytest.raises(ReleaseError):
            parse_version(bad)
    assert parse_version("10.2.0") == (10, 2, 0)
    for name in ("1.0.0", "1.0.0.bak", "2.0"):
        (tmp_path / name).mkdir()
    assert latest_release(tmp_path)[0] == "1.0.0"
