"""`make bench` archive scenario: a growing archive, side by side at N and N/10 articles.

For each size, in a fresh process (so peak memory is that size's own): build the archive with a
full run, run again with nothing new, add 1 % new articles and run again. Prints each run's time
as a share of the full run, rows per second, and the main process's peak memory at both sizes;
and the full run at N/10 against bare `nlp.pipe` on the same texts with the same processes.

usage: python -m benchmarks.archive [--articles 20000] [--processes -1] [--batch-size 64]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.corpus import write_corpus


def one_size(n: int, processes: int, batch_size: int, bare: bool) -> dict[str, float]:
    """Full run, nothing-new run and 1 % increment over n generated articles (in this process)."""
    import resource

    from flows.runtime import settings

    settings.lean_local_run()  # before Prefect is imported, as `newsledger run` does
    from flows.annotate import load_model
    from flows.pipeline import build_dataset

    with tempfile.TemporaryDirectory() as tmp, settings.local_run():
        raw, output = Path(tmp) / "raw", Path(tmp) / "output"
        texts = write_corpus(raw, n)
        write_corpus(Path(tmp) / "warm", 5, seed=1)
        build_dataset(Path(tmp) / "warm", Path(tmp) / "warm-out")  # Prefect's local API, Great Expectations, the model
        result: dict[str, float] = {"articles": n}
        start = time.perf_counter()
        summary = build_dataset(raw, output, batch_size, processes)
        result["full_s"] = time.perf_counter() - start
        result["rows"] = sum(summary.rows.values())
        result["peak_after_full_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        start = time.perf_counter()
        assert build_dataset(raw, output, batch_size, processes).nothing_new
        result["nothing_new_s"] = time.perf_counter() - start
        for i, text in enumerate(write_corpus(Path(tmp) / "new", max(1, n // 100), seed=99)):
            (raw / f"new-{i:06d}.txt").write_text(text, encoding="utf-8")
        start = time.perf_counter()
        added = build_dataset(raw, output, batch_size, processes)
        result["increment_s"] = time.perf_counter() - start
        result["increment_processed"] = added.processed
        result["peak_main_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        result["peak_worker_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        if bare:
            nlp = load_model()
            start = time.perf_counter()
            for _ in nlp.pipe(texts, batch_size=batch_size, n_process=(os.cpu_count() or 1) if processes < 0 else processes):
                pass
            result["bare_s"] = time.perf_counter() - start
    return result


def in_a_process(n: int, processes: int, batch_size: int, bare: bool) -> dict[str, float]:
    command = [sys.executable, "-m", "benchmarks.archive", "--one", str(n), "--processes", str(processes), "--batch-size", str(batch_size)]
    done = subprocess.run([*command, *(["--bare"] if bare else [])], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def report(big: dict[str, float], small: dict[str, float], processes: int) -> None:
    print(f"archive scenario: {int(big['articles'])} and {int(small['articles'])} generated articles, processes {processes}")
    for r in (small, big):
        n = int(r["articles"])
        print(
            f"  {n:6d} articles: full {r['full_s']:7.1f} s ({r['rows'] / r['full_s']:7.0f} rows/s); "
            f"nothing new {r['nothing_new_s']:5.1f} s = {100 * r['nothing_new_s'] / r['full_s']:4.1f} % (target ≤ 1 %); "
            f"+1 % ({int(r['increment_processed'])} articles) {r['increment_s']:5.1f} s = {100 * r['increment_s'] / r['full_s']:4.1f} % "
            "(target ≤ 3 %)"
        )
        print(f"          peak memory: main process {r['peak_main_mb']:.0f} MB, largest worker {r['peak_worker_mb']:.0f} MB")
    growth = big["peak_main_mb"] / small["peak_main_mb"]
    print(f"  peak memory at {int(big['articles'])} / at {int(small['articles'])}: {growth:.2f} (target ≤ 1.3)")
    if "bare_s" in small:
        print(f"  full run / bare nlp.pipe at {int(small['articles'])}: {small['full_s'] / small['bare_s']:.2f} (target ≤ 1.15)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--processes", type=int, default=-1)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--bare", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one_size(args.one, args.processes, args.batch_size, args.bare)))
        return
    small = in_a_process(max(1, args.articles // 10), args.processes, args.batch_size, bare=True)
    big = in_a_process(args.articles, args.processes, args.batch_size, bare=False)
    report(big, small, args.processes)


if __name__ == "__main__":
    main()
