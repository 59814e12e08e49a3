"""The archive state: rows files are data checked against their digest; ingest reads only what changed."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from flows import ingest
from flows.extract.rows import ArticleRows
from flows.tables.archive import Archive, DamagedArchive, article_key, decode_rows, encode_rows, write_rows
from flows.tables.build import read_rows


def _rows(article_id: str) -> ArticleRows:
    return ArticleRows(
        article={"article_id": article_id, "published_date": date(2024, 5, 1)},
        mentions=[{"mention_id": f"M{article_id}", "text": "Ana Horvat", "_person_key": None}],
    )


def test_rows_round_trip_with_dates_and_drop_keys(tmp_path):
    path = tmp_path / "part-x.parquet"
    digest = write_rows(path, [("k1", _rows("A1")), ("k2", _rows("A2"))])
    found = dict(read_rows(path, digest, drop={"k2"}))
    assert list(found) == ["k1"]
    assert found["k1"] == _rows("A1") and found["k1"].article["published_date"] == date(2024, 5, 1)
    assert decode_rows(encode_rows(_rows("A3"))) == _rows("A3")


def test_a_damaged_or_unrecorded_rows_file_is_refused(tmp_path):
    path = tmp_path / "part-x.parquet"
    digest = write_rows(path, [("k1", _rows("A1"))])
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x20
    path.write_bytes(bytes(data))
    with pytest.raises(DamagedArchive, match="does not match the manifest"):
        list(read_rows(path, digest))
    with pytest.raises(DamagedArchive):
        list(read_rows(path, None))


class _Last(Archive):
    """An archive whose last publication is given, not read from disk."""

    def __init__(self, last: dict):
        self.output = Path("nowhere")
        self.state = self.output
        self.last = last


def _raw(tmp_path: Path, texts: dict[str, str]) -> tuple[Path, ingest.Listing, dict[str, list[int]]]:
    raw = tmp_path / "raw"
    raw.mkdir(exist_ok=True)
    for name, text in texts.items():
        (raw / name).write_text(text, encoding="utf-8")
    listing = ingest.walk(raw)
    return raw, listing, ingest.fingerprint(raw, listing=listing)


def test_only_new_and_changed_files_are_read(tmp_path, monkeypatch):
    raw, listing, files = _raw(
        tmp_path, {"a.txt": "Ana Horvat spoke on Monday.\n", "b.txt": "Ivo Lenz left on Tuesday.\n", "empty.txt": ""}
    )
    first = _Last({}).read_inputs(raw, listing, files)
    assert {a.source_path for a in first.new.values()} == {"a.txt", "b.txt"} and [r.path for r in first.rejects] == ["empty.txt"]
    assert all(key == article_key(a) for key, a in first.new.items())  # keyed once, when read
    entries = {key: {"id": a.article_id, "paths": first.paths[key], "part": "p1"} for key, a in first.new.items()}
    last = {
        "files": files,
        "articles": entries,
        "file_rejects": {"empty.txt": [["empty.txt", "empty", "no text", "2024-01-01T00:00:00+00:00"]]},
    }
    (raw / "b.txt").write_text("Ivo Lenz left on Wednesday.\n", encoding="utf-8")
    (raw / "c.txt").write_text("Marko Dorn arrived on Friday.\n", encoding="utf-8")
    listing = ingest.walk(raw)
    read: list[set[str] | None] = []
    real = ingest.read_files
    monkeypatch.setattr(ingest, "read_files", lambda r, lst, only: read.append(only) or real(r, lst, only))
    second = _Last(last).read_inputs(raw, listing, ingest.fingerprint(raw, listing=listing))
    assert read == [{"b.txt", "c.txt"}]  # a.txt and the empty file are not opened again
    assert {a.source_path for a in second.new.values()} == {"b.txt", "c.txt"}
    assert [e["paths"] for e in second.kept.values()] == [["a.txt"]] and len(second.removed) == 1  # the old b.txt
    assert [r.path for r in second.rejects] == ["empty.txt"]  # carried from the manifest


def test_a_new_copy_of_a_published_article_reads_its_first_copy_again(tmp_path):
    raw, listing, files = _raw(tmp_path, {"a.txt": "Ana Horvat spoke on Monday.\n"})
    first = _Last({}).read_inputs(raw, listing, files)
    key = next(iter(first.paths))
    last = {"files": files, "articles": {key: {"id": next(iter(first.new.values())).article_id, "paths": ["a.txt"], "part": "p1"}}}
    (raw / "copy.txt").write_text("Ana Horvat spoke on Monday.\n", encoding="utf-8")
    listing = ingest.walk(raw)
    second = _Last(last).read_inputs(raw, listing, ingest.fingerprint(raw, listing=listing))
    assert [a.duplicate_paths for a in second.new.values()] == [["copy.txt"]] and second.removed == {key} and not second.kept


def _written(tmp_path: Path, parts: dict[str, dict[str, list[dict]]]) -> Path:
    """A snapshot folder holding the given rows, one file per part and table."""
    from flows.tables.publish import write_part
    from flows.tables.schema import table

    for part, tables in parts.items():
        for name, rows in tables.items():
            write_part(tmp_path, name, part, table(name).build(rows))
    return tmp_path


def test_archive_checks_find_a_key_repeated_across_parts_and_a_dangling_reference(tmp_path):
    from flows.tables.build import archive_checks
    from flows.tables.schema import table
    from tests.unit.test_validate import good_rows

    rows = good_rows()
    part_tables = ["articles", "mentions", "claims", "events", "titles"]
    whole = {name: table(name).build(rows[name]) for name in ("people", "places")}
    folder = _written(tmp_path / "ok", {"p1": {n: rows[n] for n in part_tables}})
    assert all(c.success for c in archive_checks(folder, whole))

    twice = _written(tmp_path / "twice", {"p1": {n: rows[n] for n in part_tables}, "p2": {"articles": rows["articles"]}})
    failed = [c for c in archive_checks(twice, whole) if not c.success]
    assert [(c.table, c.check) for c in failed] == [("articles", "article_id unique across parts")]

    nobody = {**whole, "people": table("people").build([])}  # the people the parts name are gone
    failed = {(c.table, c.check.split(" references")[0]) for c in archive_checks(folder, nobody) if not c.success}
    assert ("mentions", "entity_id") in failed
