"""How many worker processes a chunk of articles gets."""

import os

import pytest

from flows.batches import worker_count


@pytest.mark.parametrize(
    ("n_process", "n_articles", "batch_size", "expected"),
    [(1, 100, 10, 1), (2, 100, 10, 2), (4, 15, 10, 2), (2, 5, 10, 1), (2, 0, 10, 1), (0, 100, 10, 1)],
)
def test_worker_count_never_exceeds_the_batches(n_process, n_articles, batch_size, expected):
    assert worker_count(n_process, n_articles, batch_size) == expected


def test_all_cpus_means_one_worker_per_cpu_when_there_are_enough_batches():
    assert worker_count(-1, 10_000, 1) == (os.cpu_count() or 1)
