"""Command line: `newsledger run [--raw DIR] [--output DIR]`."""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any, cast

from flows.errors import RunRefused
from flows.runtime import settings


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="newsledger", description="Turn raw news articles into research tables.")
    parser.add_argument("--version", action="version", version=f"newsledger {installed_version()}")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run the pipeline on a folder of articles")
    run.add_argument("--raw", type=Path, default=Path("raw"), help="folder of input articles (default: raw/)")
    run.add_argument("--output", type=Path, default=Path("output"), help="output folder (default: output/)")
    run.add_argument("--batch-size", type=positive, default=64, help="articles per spaCy batch (default: 64)")
    run.add_argument(
        "--processes",
        type=processes,
        default=-1,
        help="worker processes that annotate and extract (default: -1, one per CPU; never more than there are batches)",
    )
    run.add_argument("--articles-per-task", type=positive, default=2000, help="articles per Prefect task (default: 2000)")
    run.add_argument("--full", action="store_true", help="process every article again, ignoring the cache of earlier runs")
    run.add_argument("--runner", choices=["local", "dask"], default="local", help="where batches run (default: local)")
    run.add_argument(
        "--max-quarantined",
        type=share,
        default=0.01,
        help="share of a table's rows that may fail row checks and be quarantined before nothing is published (default: 0.01)",
    )
    run.add_argument(
        "--allow-shrink",
        action="store_true",
        help="publish even when the input lost more than half of the published articles (default: refuse)",
    )
    run.add_argument(
        "--dask-address", help="scheduler of an existing Dask cluster, tcp://host:port; implies --runner dask (default: a LocalCluster)"
    )
    run.add_argument(
        "--without-rule",
        action="append",
        default=[],
        metavar="NAME",
        help="switch an extraction rule off (repeatable; names in the codebook's list of rules), to see what it contributes",
    )
    release = commands.add_parser("release", help="build a versioned release from the published tables")
    release.add_argument("--output", type=Path, default=Path("output"), help="output folder holding the tables (default: output/)")
    release.add_argument("--version", help="MAJOR.MINOR.PATCH (default: from the version rule, see README)")
    release.add_argument(
        "--text",
        choices=["excerpt", "none", "full"],
        default="excerpt",
        help="how much of each article's text the release carries: the stretches the rows cite (default), none, "
        "or all of it (only for a private copy: the texts belong to their publishers)",
    )
    release.add_argument(
        "--about", type=Path, help="YAML file describing the dataset: title, description, corpus, contributors, keywords, doi, homepage"
    )
    serve = commands.add_parser("serve", help="serve the flow as a scheduled deployment (starts a local Prefect server if needed)")
    serve.add_argument("--cron", required=True, help='cron schedule, e.g. "0 * * * *" (every hour)')
    serve.add_argument("--raw", type=Path, default=Path("raw"), help="folder of input articles (default: raw/)")
    serve.add_argument("--output", type=Path, default=Path("output"), help="output folder (default: output/)")
    serve.add_argument("--name", default="newsledger", help="deployment name (default: newsledger)")
    return parser.parse_args(argv)


EXIT_VALIDATION, EXIT_USAGE, EXIT_INPUT_OUTPUT, EXIT_INTERNAL = 1, 2, 3, 4


def run_log(output: Path) -> Path:
    """Where a run's warnings, errors and tracebacks go (the terminal gets one line)."""
    try:
        (output / "reports").mkdir(parents=True, exist_ok=True)
        return output / "reports" / "run.log"
    except OSError:
        return Path(tempfile.gettempdir()) / "newsledger-run.log"


@contextmanager
def errors_to(log: Path) -> Iterator[None]:
    """Prefect's console logging goes to the log file while the flow runs (its tracebacks of a
    failed task would otherwise fill the terminal); the CLI prints one line per problem."""
    from prefect.logging.configuration import setup_logging

    setup_logging()
    root = logging.getLogger()
    consoles = [h for h in root.handlers if type(h).__name__ == "PrefectConsoleHandler"]
    levels = [h.level for h in consoles]
    try:
        to_file: logging.Handler = logging.FileHandler(log, encoding="utf-8")
    except OSError:
        to_file = logging.NullHandler()
    to_file.setLevel(logging.WARNING)
    to_file.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(to_file)
    for handler in consoles:
        handler.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for handler, level in zip(consoles, levels, strict=True):
            handler.setLevel(level)
        root.removeHandler(to_file)
        to_file.close()


def _one_line(err: BaseException) -> str:
    return " ".join(str(err).split()) or type(err).__name__


def _log_traceback(log: Path) -> None:
    try:
        with log.open("a", encoding="utf-8") as f:
            f.write(traceback.format_exc())
    except OSError:
        traceback.print_exc()


def installed_version() -> str:
    """The package's version, as installed (`make` installs it); "unknown" when run from a bare checkout."""
    try:
        return package_version("newsledger")
    except PackageNotFoundError:
        return "unknown"


def positive(text: str) -> int:
    """A whole number of at least 1 (argparse type): a batch or task of 0 articles would never end."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, got {value}")
    return value


def processes(text: str) -> int:
    """A number of worker processes: 1 or more, or -1 for one per CPU (argparse type)."""
    return -1 if text.strip() == "-1" else positive(text)


def share(text: str) -> float:
    """A share between 0 and 1 (argparse type)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, got {value}")
    return value


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.command == "run":
        settings.lean_local_run()
        return run(args)
    settings.quiet()
    if args.command == "release":
        return release(args)
    from flows.runtime.serve import serve

    return serve(args.raw, args.output, args.cron, args.name)


def usage_problem(args: argparse.Namespace) -> str | None:
    """What makes a `run` command line unusable (exit 2), or None; switches the named rules off."""
    if args.raw.is_file():
        return f"raw path {args.raw} is a file, not a folder of articles"
    if not args.raw.is_dir():
        return f"raw folder {args.raw} does not exist"
    if args.output.exists() and not args.output.is_dir():
        return f"output path {args.output} is a file, not a folder"
    if args.dask_address:
        from flows.runtime.scaleout import unreachable

        args.runner = "dask"  # an address says where to run
        if problem := unreachable(args.dask_address):
            return problem
    from flows import rules

    try:
        rules.switch_off(args.without_rule)  # NEWSLEDGER_WITHOUT_RULES too: a misspelt name is refused
    except ValueError as err:
        return str(err)
    return None


def run(args: argparse.Namespace) -> int:
    """`newsledger run`: the flow once, with one line per problem and the exit codes of the README."""
    if problem := usage_problem(args):
        print(f"newsledger: {problem}", file=sys.stderr)
        return EXIT_USAGE
    from flows import rules
    from flows.pipeline import build_dataset
    from flows.runtime.stop import call_stoppably, stop_on_signal
    from flows.tables.validate import ValidationFailed

    print(f"newsledger: reading {args.raw}/ …", flush=True)
    if off := sorted(rules.switched_off()):
        print(f"newsledger: rules switched off: {', '.join(off)}", flush=True)
    flow = build_dataset
    if args.runner == "dask":
        from flows.runtime.scaleout import dask_runner

        flow = build_dataset.with_options(task_runner=cast(Any, dask_runner(args.dask_address)))
    log = run_log(args.output)
    options = (args.batch_size, args.processes, args.full, args.articles_per_task, args.max_quarantined, args.allow_shrink)
    try:
        with stop_on_signal(args.output), settings.local_run(), errors_to(log):
            summary = call_stoppably(flow, args.raw, args.output, *options)
    except ValidationFailed as err:
        print(f"newsledger: {err}", file=sys.stderr)
        print(f"newsledger: report: {args.output / 'reports' / 'validation.html'}", file=sys.stderr)
        return EXIT_VALIDATION
    except (RunRefused, OSError) as err:
        print(f"newsledger: {_one_line(err)} (details: {log})", file=sys.stderr)
        return EXIT_INPUT_OUTPUT
    except Exception as err:
        _log_traceback(log)
        print(f"newsledger: internal error, nothing was published: {_one_line(err)} (traceback: {log})", file=sys.stderr)
        return EXIT_INTERNAL
    print_summary(summary)
    return 0


def print_summary(summary: Any) -> None:
    """What a run read, made and set aside, and where it is."""
    lines = summary.lines()
    print(f"newsledger: {lines[0]}")
    for line in lines[1:]:
        print(line)


def release(args: argparse.Namespace) -> int:
    from flows.release import ReleaseError, build_release

    try:
        folder = build_release(args.output, args.version, text=args.text, about=args.about)
    except ReleaseError as err:
        print(f"newsledger: {err}", file=sys.stderr)
        return 1
    except (RunRefused, OSError) as err:
        print(f"newsledger: {_one_line(err)}", file=sys.stderr)
        return EXIT_INPUT_OUTPUT
    print(f"newsledger: release {folder.name} written to {folder}/")
    print(f"  summary page: {folder / 'index.html'}")
    print(f"  download:     {folder / f'newsledger-{folder.name}.zip'}")
    if args.text == "full":
        print("  note: it holds the full article texts, which belong to their publishers: do not publish it as it is", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
