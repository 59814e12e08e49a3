"""An archive grown run by run holds what one full run over the same files holds; unchanged parts
are carried over, not rewritten; a killed incremental run leaves the last publication intact."""

from __future__ import annotations

import json
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from flows.pipeline import build_dataset
from flows.tables.schema import TABLES, table
from tests.published import parquet, sorted_rows

pytestmark = pytest.mark.slow  # several runs of the flow

FIXTURES = Path(__file__).parents[1] / "fixtures" / "articles"
COUNCIL = "Ivo Lenz met the city council on Monday.\n\nLenz said the budget would pass before the summer.\n"
NEWCOMER = (
    "Ivo M. Lenz spoke to the assembly on Tuesday.\n\nIvo M. Lenz said the vote would wait until March.\n\n"
    "Reporters asked Ivo M. Lenz about the delay, and he declined to answer.\n"
)


def part_of(output: Path, article_id: str) -> Path:
    """The Parquet part of the articles table that holds an article."""
    for path in sorted((output / "parquet" / "articles.parquet").glob("part-*.parquet")):
        if article_id in parquet_file_ids(path):
            return path
    raise AssertionError(f"{article_id} is in no part")


def mentions_of(articles_part: Path) -> Path:
    """The mentions file of the part whose articles file is given."""
    return articles_part.parent.parent / "mentions.parquet" / articles_part.name


def claims_of(articles_part: Path) -> Path:
    return articles_part.parent.parent / "claims.parquet" / articles_part.name


def parquet_file_ids(path: Path) -> set[str]:
    import pyarrow.parquet as pq

    return set(pq.read_table(path, columns=["article_id"]).column("article_id").to_pylist())


def article_id(output: Path, source_path: str) -> str:
    [found] = [a["article_id"] for a in parquet(output, "articles").to_pylist() if a["source_path"] == source_path]
    return found


def test_an_archive_grown_in_increments_equals_one_full_run(tmp_path):
    raw, grown = tmp_path / "raw", tmp_path / "grown"
    raw.mkdir()
    for name in ["protest.txt", "court-ruling.txt", "diplomacy.txt"]:
        shutil.copy(FIXTURES / name, raw)
    (raw / "council.txt").write_text(COUNCIL, encoding="utf-8")
    build_dataset(raw, grown, articles_per_task=1)  # four parts of one article
    untouched = part_of(grown, article_id(grown, "diplomacy.txt")).stat().st_ino
    council = part_of(grown, article_id(grown, "council.txt"))
    council_articles, council_mentions = council.stat().st_ino, mentions_of(council).stat().st_ino
    council_claims = claims_of(council).stat().st_ino
    [lenz_id] = [p["person_id"] for p in parquet(grown, "people").to_pylist() if p["name"] == "Ivo Lenz"]

    shutil.copy(FIXTURES / "disaster.txt", raw)  # an addition
    (raw / "newcomer.txt").write_text(NEWCOMER, encoding="utf-8")  # makes "Ivo M. Lenz" the fuller, more frequent name
    (raw / "court-ruling.txt").unlink()  # a deletion
    protest = raw / "protest.txt"
    protest.write_text(protest.read_text(encoding="utf-8") + "\nMore marches are planned for next week.\n", encoding="utf-8")  # an edit
    summary = build_dataset(raw, grown, articles_per_task=2)
    assert summary.processed == 3  # the two new articles and the edited one, nothing else

    full = tmp_path / "full"
    shutil.copytree(grown, full, symlinks=True)  # output/current is a link to the snapshot
    build_dataset(raw, full, full=True)  # everything again, with the person ids the archive minted
    for name in TABLES:
        assert sorted_rows(grown, name) == sorted_rows(full, name), name
    assert part_of(grown, article_id(grown, "diplomacy.txt")).stat().st_ino == untouched  # linked, not rewritten
    council = part_of(grown, article_id(grown, "council.txt"))
    assert claims_of(council).stat().st_ino != council_claims  # its speaker was renamed: its claims rewritten …
    assert council.stat().st_ino == council_articles  # … and its articles, which did not change, linked,
    assert mentions_of(council).stat().st_ino == council_mentions  # and its mentions too: the person kept its id
    people = {p["name"]: p["person_id"] for p in parquet(grown, "people").to_pylist()}
    assert "Ivo M. Lenz" in people and "Ivo Lenz" not in people
    assert people["Ivo M. Lenz"] == lenz_id  # a fuller name does not move the id researchers cite

    fresh = tmp_path / "fresh"  # one run over the same files from nothing: the same rows, ids minted from today's names
    build_dataset(raw, fresh)
    renamed = {p["person_id"]: p["name"] for p in parquet(fresh, "people").to_pylist()}
    to_fresh = {old: next(i for i, n in renamed.items() if n == name) for name, old in people.items()}
    for name in TABLES:
        key = table(name).key
        assert with_ids(sorted_rows(fresh, name), {}, key) == with_ids(sorted_rows(grown, name), to_fresh, key), name


def with_ids(rows: list[dict], ids: dict[str, str], key: str) -> list[dict]:
    """Rows as JSON values with every person id replaced as `ids` says, in key order again."""
    text = re.sub(r"P[0-9a-f]{16}", lambda m: ids.get(m[0], m[0]), json.dumps(rows, default=str))
    return sorted(json.loads(text), key=lambda r: r[key])


RUN = """
import sys
from pathlib import Path
from flows.runtime import settings
settings.lean_local_run()
from flows.pipeline import build_dataset
with settings.local_run():
    print("started", flush=True)
    build_dataset(Path(sys.argv[1]), Path(sys.argv[2]), articles_per_task=1)
"""


def test_a_killed_incremental_run_leaves_the_last_publication_intact(tmp_path):
    raw, output = tmp_path / "raw", tmp_path / "output"
    raw.mkdir()
    shutil.copy(FIXTURES / "protest.txt", raw)
    build_dataset(raw, output)
    before = {name: sorted_rows(output, name) for name in TABLES}
    for name in ["court-ruling.txt", "diplomacy.txt", "disaster.txt"]:
        shutil.copy(FIXTURES / name, raw)
    rng = random.Random(5)
    for _ in range(2):
        proc = subprocess.Popen([sys.executable, "-c", RUN, str(raw), str(output)], stdout=subprocess.PIPE, text=True)
        try:
            assert proc.stdout is not None and proc.stdout.readline().strip() == "started"
            time.sleep(rng.uniform(1.0, 6.0))  # while it annotates, builds parts or publishes
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
        now = {name: sorted_rows(output, name) for name in TABLES}
        assert now == before or len(now["articles"]) == 4  # the old publication whole, or the new one whole
    build_dataset(raw, output)
    fresh = tmp_path / "fresh"
    build_dataset(raw, fresh)
    for name in TABLES:
        assert sorted_rows(output, name) == sorted_rows(fresh, name), name
