"""Incremental runs: only new or changed articles are processed; deleted ones leave; --full redoes all."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

from flows import ingest
from flows.pipeline import build_dataset
from tests.published import table_bytes

FIXTURES = Path(__file__).parents[1] / "fixtures"


def articles(output: Path) -> set[str]:
    return set(pd.read_parquet(output / "parquet" / "articles.parquet")["source_path"])


def claims_bytes(output: Path) -> list[bytes]:
    return table_bytes(output, "claims")


@pytest.mark.slow  # five runs
def test_incremental_runs(tmp_path):
    raw, output = tmp_path / "raw", tmp_path / "output"
    raw.mkdir()
    for name in ["protest.txt", "court-ruling.txt", "council.html"]:
        shutil.copy(FIXTURES / "articles" / name, raw)
    first = build_dataset(raw, output)
    assert (first.processed, first.nothing_new) == (3, False)
    published = claims_bytes(output)

    again = build_dataset(raw, output)
    assert again.nothing_new and again.processed == 0 and again.articles == 3
    assert claims_bytes(output) == published

    os.utime(raw / "council.html", ns=(1_000_000_000, 1_000_000_000))  # touched: read again, contents the same
    touched = build_dataset(raw, output)
    assert touched.nothing_new and claims_bytes(output) == published

    shutil.copy(FIXTURES / "articles" / "disaster.txt", raw)
    (raw / "court-ruling.txt").unlink()
    (raw / "protest.txt").write_text((raw / "protest.txt").read_text() + "\nMore protests are planned for next week.\n")
    changed = build_dataset(raw, output)
    assert changed.processed == 2  # the new article and the edited one; council.html comes from the cache
    assert articles(output) == {"protest.txt", "council.html", "disaster.txt"}
    mentions = pd.read_parquet(output / "parquet" / "mentions.parquet")
    assert "Mihaela Rusu" not in set(mentions["text"])  # rows of the deleted article are gone
    people = pd.read_parquet(output / "parquet" / "people.parquet")
    assert set(people["name"]) >= {"Ana Horvat", "Jonel Estomo", "Vakhtang Gomelauri"}

    full = build_dataset(raw, output, full=True)
    assert full.processed == 3 and not full.nothing_new


def test_a_run_with_unchanged_files_reads_none_of_them(tmp_path, monkeypatch):
    raw, output = tmp_path / "raw", tmp_path / "output"
    raw.mkdir()
    shutil.copy(FIXTURES / "articles" / "protest.txt", raw)
    build_dataset(raw, output)

    def no_reading(*_args, **_options):
        raise AssertionError("ingest ran although no file changed")

    monkeypatch.setattr(ingest, "read_files", no_reading)
    assert build_dataset(raw, output).nothing_new
    (raw / "second.txt").write_text("A second article.\n", encoding="utf-8")
    with pytest.raises(AssertionError, match="ingest ran"):
        build_dataset(raw, output)
