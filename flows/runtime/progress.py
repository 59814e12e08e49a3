"""What a run shows while it annotates: articles done of the total, rate and time left.

On a terminal a tqdm bar moves after every batch; when output goes to a file or a pipe, a plain
line is written every PLAIN_EVERY seconds instead (and after each part, on both). In Prefect the
same numbers go to a progress artifact and the lines to the flow run's logs, so a scheduled run
shows them in the UI.

The bar is fed from inside the task that annotates a part (`advance`, after each batch). Tasks
get a `token`, not the object: a task on a Dask worker finds no bar under it and stays silent,
and the flow still reports each part as it comes back.
"""

from __future__ import annotations

import logging
import shutil
import sys
import threading
import time
import uuid
from typing import IO, Any

from tqdm import tqdm

PLAIN_EVERY = 30.0  # seconds between plain lines when not on a terminal
ARTIFACT_EVERY = 5.0  # seconds between updates of the Prefect progress artifact
_ACTIVE: dict[str, Progress] = {}


def duration(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest} s" if minutes else f"{rest} s"


def rate_line(done: int, total: int, started: float) -> str:
    """`1200/10000 articles, 41/s, about 3 min 35 s left`."""
    took = max(time.monotonic() - started, 1e-9)
    left = (total - done) * took / max(done, 1)
    return f"{done}/{total} articles, {done / took:.0f}/s, about {duration(left)} left"


def part_line(parts_done: int, parts: int, done: int, total: int, started: float) -> str:
    """`annotated part 2/5: 4000/10000 articles, 41/s, about 2 min 26 s left` (after each part)."""
    return f"annotated part {parts_done}/{parts}: {rate_line(done, total, started)}"


class Progress:
    """Articles annotated in this run, shown as the module docstring says."""

    def __init__(self, total: int, stream: IO[str] | None = None, logger: logging.Logger | logging.LoggerAdapter[Any] | None = None):
        self.total, self.done, self.started = total, 0, time.monotonic()
        self.stream = stream or sys.stdout
        self.logger = logger
        self.lock = threading.Lock()
        self.token = uuid.uuid4().hex
        terminal = hasattr(self.stream, "isatty") and self.stream.isatty()
        size = shutil.get_terminal_size()  # 80 × 24 where a terminal does not say its size (tqdm would then draw nothing)
        self.bar = (
            tqdm(total=total, unit=" articles", desc="newsledger: annotating", file=self.stream, ncols=size.columns, nrows=size.lines)
            if terminal
            else None
        )
        self.last_line = self.last_artifact = self.started
        self.artifact = _progress_artifact()
        _ACTIVE[self.token] = self

    def advance(self, n: int) -> None:
        """n more articles annotated (called from the task, after each batch)."""
        with self.lock:
            self.done += n
            now = time.monotonic()
            if self.bar is not None:
                self.bar.update(n)
            elif now - self.last_line >= PLAIN_EVERY:
                self.last_line = now
                self._write(f"annotating: {rate_line(self.done, self.total, self.started)}")
            if now - self.last_artifact >= ARTIFACT_EVERY:
                self.last_artifact = now
                _update_artifact(self.artifact, self.done, self.total)

    def part_done(self, parts_done: int, parts: int, done: int) -> None:
        """A part came back: one line on every output (and the bar catches up with a remote part)."""
        with self.lock:
            if self.bar is not None and done > self.done:
                self.bar.update(done - self.done)
            self.done = max(self.done, done)
            self._write(part_line(parts_done, parts, done, self.total, self.started))
            _update_artifact(self.artifact, self.done, self.total)

    def close(self) -> None:
        _ACTIVE.pop(self.token, None)
        if self.bar is not None:
            self.bar.close()

    def _write(self, line: str) -> None:
        if self.bar is not None:
            self.bar.write(f"newsledger: {line}", file=self.stream)
        else:
            self.stream.write(f"newsledger: {line}\n")  # not print: the flow logs prints, at a level a terminal run hides
            self.stream.flush()
        if self.logger is not None:
            self.logger.info(line)


def advance(token: str | None, n: int) -> None:
    """Move the bar under `token` on by n articles, if there is one in this process."""
    if token and (progress := _ACTIVE.get(token)):
        progress.advance(n)


def _progress_artifact() -> Any:
    """A Prefect progress artifact of this flow run (None outside a flow run or without an API)."""
    try:
        from prefect.artifacts import create_progress_artifact
        from prefect.context import FlowRunContext

        if FlowRunContext.get() is None:
            return None
        return create_progress_artifact(0.0, key="newsledger-progress", description="articles annotated, % of this run's new articles")
    except Exception:  # progress is a courtesy: never a reason for a run to fail
        return None


def _update_artifact(artifact: Any, done: int, total: int) -> None:
    if artifact is None:
        return
    try:
        from prefect.artifacts import update_progress_artifact

        update_progress_artifact(artifact, 100.0 * done / max(total, 1))
    except Exception:
        pass
