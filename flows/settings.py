"""Environment defaults for Prefect and Great Expectations (set before either is imported).

A one-off `newsledger run` uses Prefect's temporary local API, which lives only as
long as the run: its background services (schedules, late runs, task-run
recording, automations, …) would only compete with spaCy for the CPU, so they are
off unless the user sets them. Flow runs are still recorded.
"""

from __future__ import annotations

import os

QUIET = {
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


def lean_local_run() -> None:
    """Defaults for a run on the temporary local API (not for `serve`, whose server schedules)."""
    quiet()
    if not os.environ.get("PREFECT_API_URL"):
        for service in IDLE_SERVICES:
            os.environ.setdefault(f"PREFECT_SERVER_SERVICES_{service}_ENABLED", "false")
