"""Environment defaults for Prefect and Great Expectations (set before either is imported).

A one-off `newsledger run` uses Prefect's temporary local API, which lives only as
long as the run: its background services (schedules, late runs, task-run
recording, automations, …) would only compete with spaCy for the CPU, so they are
off unless the user sets them. Flow runs are still recorded.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

QUIET = {
    "DO_NOT_TRACK": "1",  # no client telemetry (and no notice about it on the terminal): nothing leaves the machine
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_LOGGING_LEVEL": "WARNING",
    "PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW": "ignore",
    "GX_ANALYTICS_ENABLED": "false",
}
IDLE_SERVICES = [
    "TASK_RUN_RECORDER",
    "SCHEDULER",
    "LATE_RUNS",
    "FOREMAN",
    "PAUSE_EXPIRATIONS",
    "REPOSSESSOR",
    "CANCELLATION_CLEANUP",
    "TRIGGERS",
    "CLEANUP_RECONCILER",
]


def quiet() -> None:
    for key, value in QUIET.items():
        os.environ.setdefault(key, value)


EPHEMERAL_STARTUP = "120"  # seconds; Prefect's 20 s is too short for a first start (a new database) on a busy 2-core machine


def lean_local_run() -> None:
    """Defaults for a run on the temporary local API (not for `serve`, whose server schedules)."""
    quiet()
    if not os.environ.get("PREFECT_API_URL"):
        os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", EPHEMERAL_STARTUP)
        for service in IDLE_SERVICES:
            os.environ.setdefault(f"PREFECT_SERVER_SERVICES_{service}_ENABLED", "false")


@contextmanager
def local_run() -> Iterator[None]:
    """`lean_local_run`, and no flow-run heartbeats while inside: heartbeats let a lasting
    server spot crashed runs, and on the temporary API their thread only holds every flow
    open for up to a second after its work is done (a third of a run with nothing new)."""
    lean_local_run()
    if os.environ.get("PREFECT_API_URL"):
        yield
        return
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        yield
