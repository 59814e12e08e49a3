"""The same flow on a Dask LocalCluster of 2 workers gives the same tables as the local runner."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from flows.pipeline import build_dataset
from flows.runtime.scaleout import dask_runner
from flows.tables.schema import TABLES
from tests.published import sorted_rows

pytestmark = pytest.mark.slow  # a local Dask cluster

FIXTURES = Path(__file__).parents[1] / "fixtures"


def test_dask_runner_matches_the_local_runner(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in ["protest.txt", "disaster.txt", "council.html", "split-quote.txt"]:
        shutil.copy(FIXTURES / "articles" / name, raw)
    build_dataset(raw, tmp_path / "local", articles_per_task=1)
    # --processes 2 on Dask workers (daemon processes, which may not fork): each annotates in-process
    build_dataset.with_options(task_runner=dask_runner())(raw, tmp_path / "dask", batch_size=1, n_process=2, articles_per_task=2)
    for name in TABLES:  # four parts of one article, two of two: the same rows
        assert sorted_rows(tmp_path / "local", name) == sorted_rows(tmp_path / "dask", name), name
