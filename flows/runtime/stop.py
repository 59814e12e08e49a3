"""Ctrl-C and SIGTERM stop a run at once, publish nothing partial and leave no process behind.

Left to Python and Prefect, Ctrl-C kills the temporary Prefect API (it shares the terminal's
process group) while the task threads carry the work on to the end, and SIGTERM leaves that
API server running as an orphan. So a run installs `stop_on_signal`: the first SIGINT or
SIGTERM ends every process the run started (the API server, annotation workers, a local Dask
cluster), removes the snapshot being written (output/current is switched atomically, so it
still shows the last publication), says so in one line and exits 130 or 143, the shell's
codes for a process ended by those signals.

The flow itself runs in another thread (`call_stoppably`): Prefect swaps SIGTERM's handler
for its own in the thread that runs a flow, and that handler waits for the running tasks to
finish before it lets the signal through; in any other thread it leaves the handlers alone.
"""

from __future__ import annotations

import contextvars
import os
import shutil
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from types import FrameType
from typing import Any, TypeVar

import psutil

from flows.tables.publish import WRITING

T = TypeVar("T")
SIGNALS = (signal.SIGINT, signal.SIGTERM)
SAY: dict[int, str] = {signal.SIGINT: "Ctrl-C (SIGINT)", signal.SIGTERM: "SIGTERM"}


def end_children(grace: float = 3.0) -> None:
    """Terminate every descendant of this process, kill those still there after `grace` seconds."""
    children = psutil.Process().children(recursive=True)
    for child in children:
        with suppress(psutil.NoSuchProcess):
            child.terminate()
    _, alive = psutil.wait_procs(children, timeout=grace)
    for child in alive:
        with suppress(psutil.NoSuchProcess):
            child.kill()
    psutil.wait_procs(alive, timeout=grace)


def published_snapshot(output: Path) -> str | None:
    """The snapshot output/current points at (None before the first publication)."""
    try:
        return os.readlink(output / "current")
    except OSError:
        return None


def remove_unfinished() -> None:
    """Remove the snapshots this process is writing (never another run's: a run refused because
    the output is busy may be stopped while the other one writes)."""
    for folder in list(WRITING):
        shutil.rmtree(folder, ignore_errors=True)


def stopped_line(signum: int, seconds: float, switched: bool, output: Path) -> str:
    """The one line a stopped run prints."""
    stopped = f"newsledger: stopped by {SAY.get(signum, signal.Signals(signum).name)} after {seconds:.0f} s"
    if switched:
        return f"{stopped}, once the new publication was in place: {output}/ shows it, its summary was not printed"
    return f"{stopped}; nothing was published, {output}/ is as the last run left it"


@contextmanager
def stop_on_signal(output: Path) -> Iterator[None]:
    """While inside, SIGINT and SIGTERM stop the run as the module docstring says."""
    owner, started, before = os.getpid(), time.monotonic(), published_snapshot(output)

    def stop(signum: int, frame: FrameType | None) -> None:
        if os.getpid() != owner:  # a forked worker before it set its own handlers: the run ends it
            os._exit(128 + signum)
        for sig in SIGNALS:
            signal.signal(sig, signal.SIG_IGN)  # a second Ctrl-C does not interrupt the stopping
        end_children()
        remove_unfinished()
        line = stopped_line(signum, time.monotonic() - started, published_snapshot(output) != before, output)
        on_a_bar = sys.stdout.isatty()  # the progress bar leaves the cursor at the end of its line
        sys.stderr.write(("\n" if on_a_bar else "") + line + "\n")
        sys.stderr.flush()
        os._exit(128 + signum)

    previous = {sig: signal.signal(sig, stop) for sig in SIGNALS}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def call_stoppably(fn: Callable[..., T], *args: Any) -> T:
    """fn(*args) in a thread of its own (with this thread's context: Prefect's settings live in
    context variables), while this main thread waits where the signal handlers can run."""
    context = contextvars.copy_context()
    value: list[T] = []
    error: list[BaseException] = []

    def target() -> None:
        try:
            value.append(context.run(fn, *args))
        except BaseException as err:  # handed to the caller as it is
            error.append(err)

    thread = threading.Thread(target=target, name="newsledger-flow", daemon=True)
    thread.start()
    while thread.is_alive():
        thread.join(0.2)
    if error:
        raise error[0]
    return value[0]


def worker_ignores_interrupts() -> None:
    """Initializer of annotation workers: Ctrl-C reaches the whole terminal's process group, and
    the run (not each worker, with a traceback) handles it; SIGTERM ends a worker quietly."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
