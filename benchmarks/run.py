"""`make bench`: pipeline vs bare spaCy on a synthetic corpus, and people resolution at 10,000 records.

usage: python -m benchmarks.run [--articles 2000] [--batch-size 64] [--processes 1] [--people 10000]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import tempfile
import time
from pathlib import Path

from benchmarks.corpus import FAMILY, GIVEN, write_corpus


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_pipeline(n: int, batch_size: int, processes: int) -> None:
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    from flows.annotate import load_model
    from flows.pipeline import build_dataset

    with tempfile.TemporaryDirectory() as tmp:
        raw, output = Path(tmp) / "raw", Path(tmp) / "output"
        texts = write_corpus(raw, n)
        words = sum(len(t.split()) for t in texts)
        nlp = load_model()
        start = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=batch_size, n_process=processes):
            pass
        bare = time.perf_counter() - start
        build_dataset(raw, output, batch_size, processes)  # warm-up: starts Prefect's local API
        start = time.perf_counter()
        summary = build_dataset(raw, output, batch_size, processes)
        full = time.perf_counter() - start
    print(f"corpus: {n} articles, {words} words; batch size {batch_size}, {processes} process(es)")
    print(f"bare nlp.pipe : {bare:8.1f} s  {n / bare:8.1f} articles/s  {words / bare:9.0f} words/s")
    print(f"pipeline      : {full:8.1f} s  {n / full:8.1f} articles/s  {words / full:9.0f} words/s")
    print(f"ratio pipeline / bare model: {full / bare:.2f}")
    print(f"rows: {summary.rows}")
    print(f"peak memory (this process): {peak_mb():.0f} MB")


def bench_people(n: int) -> None:
    from flows.resolve import cluster_people

    rng = random.Random(3)
    records = []
    for i in range(n):
        given, family = rng.choice(GIVEN), rng.choice(FAMILY) + rng.choice(["", "", "a", "ov", "escu", "ić", "y"])
        records.append({"key": f"A{i // 5}:{i % 5}", "name": f"{given} {family}", "gender": None})
    start = time.perf_counter()
    groups = cluster_people(records)
    took = time.perf_counter() - start
    print(f"people resolution: {n} person mentions → {len(groups)} people in {took:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--people", type=int, default=10_000)
    args = parser.parse_args()
    bench_people(args.people)
    bench_pipeline(args.articles, args.batch_size, args.processes)


if __name__ == "__main__":
    main()
