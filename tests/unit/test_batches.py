"""Annotation throughput settings: the components loaded, and how many worker processes a chunk gets."""

import os

import pytest

from flows.annotate import COMPONENTS, load_model
from flows.runtime.batches import worker_count


def test_the_model_runs_only_what_the_extractors_read():
    nlp = load_model()
    assert nlp.disabled == []  # nothing is loaded only to sit idle
    assert [n for n in nlp.pipe_names if not n.startswith("newsledger_")] == list(COMPONENTS)
    assert nlp.pipe_names.index("newsledger_paragraphs") < nlp.pipe_names.index("parser")
    assert nlp.pipe_names[-1] == "newsledger_entity_repair"


@pytest.mark.parametrize(
    ("n_process", "n_articles", "batch_size", "expected"),
    [(1, 100, 10, 1), (2, 100, 10, 2), (4, 15, 10, 2), (2, 5, 10, 1), (2, 0, 10, 1), (0, 100, 10, 1)],
)
def test_worker_count_never_exceeds_the_batches(n_process, n_articles, batch_size, expected):
    assert worker_count(n_process, n_articles, batch_size) == expected


def test_all_cpus_means_one_worker_per_cpu_when_there_are_enough_batches():
    assert worker_count(-1, 10_000, 1) == (os.cpu_count() or 1)
