"""One run at a time per output folder: an advisory lock on <output>/.newsledger.lock.

`fcntl.flock` locks belong to the open file, so the kernel releases them when the process
ends, however it ends: a lock left by a killed run is never stale. The file keeps the pid of
the last holder, for the message a second run prints.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flows.errors import OutputBusy

LOCK = ".newsledger.lock"


@contextmanager
def output_lock(output: Path) -> Iterator[None]:
    """Hold the output folder's lock, or raise OutputBusy at once if another process holds it."""
    output.mkdir(parents=True, exist_ok=True)
    handle = (output / LOCK).open("a+")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "?"
            raise OutputBusy(f"another newsledger run (pid {holder}) is writing to {output}/; wait for it to end and run again") from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        yield
    finally:
        handle.close()  # releases the lock
