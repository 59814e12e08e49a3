"""A run killed at any moment leaves the old or the new complete set of tables, never a mix."""

from __future__ import annotations

import io
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from tests.published import csv_text

pytestmark = pytest.mark.slow  # kills publishing subprocesses

WRITER = """
import sys
from datetime import UTC, datetime
from pathlib import Path
from flows.tables.publish import publish
from flows.tables.schema import table

out = Path(sys.argv[1])
when = datetime(2024, 1, 1, tzinfo=UTC)
version = 0
while True:
    version += 1
    rows = [{"path": f"f{i}.txt", "reason": "empty", "detail": f"v{version}", "seen_at": when} for i in range(30000)]
    publish({"rejects": table("rejects").build(rows), "articles": table("articles").build([])}, out)
    print(version, flush=True)
"""


def test_killing_a_publishing_run_never_mixes_versions(tmp_path):
    rng = random.Random(11)
    for attempt in range(3):
        out = tmp_path / f"out{attempt}"
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(out)], stdout=subprocess.PIPE, text=True)
        try:
            assert proc.stdout.readline().strip() == "1"  # one complete publication before the kill
            time.sleep(rng.uniform(0.05, 1.5))
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
        parquet = pd.read_parquet(out / "parquet" / "rejects.parquet")
        csv = pd.read_csv(io.StringIO(csv_text(out, "rejects")))
        assert len(parquet) == len(csv) == 30000
        assert parquet["detail"].nunique() == 1 and set(parquet["detail"]) == set(csv["detail"])
        assert (out / "parquet" / "articles.parquet").exists() and (out / "csv" / "articles.csv").exists()
        assert Path(out / "current").resolve().parent.name == ".snapshots"
