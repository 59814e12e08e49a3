"""`make bench`: pipeline vs bare spaCy on a synthetic corpus, and people resolution at 10,000 records.

usage: python -m benchmarks.run [--articles 2000] [--batch-size 64] [--processes 1] [--people 10000]
"""

from __future__ import annotations

import argparse
import random
import resource
import tempfile
import time
from pathlib import Path

from benchmarks.corpus import FAMILY, GIVEN, write_corpus


def peak_mb(who: int = resource.RUSAGE_SELF) -> float:
    """Peak resident memory; for RUSAGE_CHILDREN, that of the largest finished child process."""
    return resource.getrusage(who).ru_maxrss / 1024


def _timed(fn, *args) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn(*args)
    took = time.perf_counter() - start
    return took, result


def bench_pipeline(n: int, batch_size: int, processes: int) -> None:
    from flows.runtime import settings

    settings.lean_local_run()  # before Prefect is imported
    from flows.annotate import load_model
    from flows.pipeline import build_dataset

    with tempfile.TemporaryDirectory() as tmp, settings.local_run():  # the same Prefect settings as `newsledger run`
        raw, output, warm = Path(tmp) / "raw", Path(tmp) / "output", Path(tmp) / "warm"
        texts = write_corpus(raw, n)
        words = sum(len(t.split()) for t in texts)
        nlp = load_model()
        bare, _ = _timed(lambda: [None for _ in nlp.pipe(texts, batch_size=batch_size, n_process=processes)])
        write_corpus(warm, 5, seed=1)
        build_dataset(warm, Path(tmp) / "warm-out")  # starts Prefect's local API and imports Great Expectations
        full, summary = _timed(build_dataset, raw, output, batch_size, processes, True)
        again, _ = _timed(build_dataset, raw, output, batch_size, processes)
        new = write_corpus(Path(tmp) / "new", max(1, n // 100), seed=99)
        for i, text in enumerate(new):
            (raw / f"new-{i:05d}.txt").write_text(text, encoding="utf-8")
        one_percent, _ = _timed(build_dataset, raw, output, batch_size, processes)
    print(f"corpus: {n} articles, {words} words; batch size {batch_size}, {processes} process(es)")
    print(f"bare nlp.pipe       : {bare:8.1f} s  {n / bare:8.1f} articles/s  {words / bare:9.0f} words/s")
    print(f"pipeline, full      : {full:8.1f} s  {n / full:8.1f} articles/s  {words / full:9.0f} words/s")
    print(f"ratio pipeline / bare model: {full / bare:.2f}  (target ≤ 1.3)")
    print(f"incremental, nothing new: {again:6.1f} s = {100 * again / full:5.1f} % of the full run  (target < 5 %)")
    print(f"incremental, 1% new     : {one_percent:6.1f} s = {100 * one_percent / full:5.1f} % of the full run")
    print(f"rows: {summary.rows}")
    print(f"peak memory: {peak_mb():.0f} MB this process, {peak_mb(resource.RUSAGE_CHILDREN):.0f} MB largest worker process")


def bench_people(n: int) -> None:
    from flows.tables.resolve import cluster_people

    rng = random.Random(3)
    records = []
    for i in range(n):
        given, family = rng.choice(GIVEN), rng.choice(FAMILY) + rng.choice(["", "", "a", "ov", "escu", "ić", "y"])
        name = family if i % 4 == 3 else f"{given} {family}"  # every fourth a bare surname, as news writes them
        records.append({"key": f"A{i // 5}:{i % 5}", "article_id": f"A{i // 5}", "name": name, "gender": None, "n_mentions": 1 + i % 3})
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
