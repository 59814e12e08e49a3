"""Scale-out: the same flow's batches on a Dask cluster through prefect-dask."""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

from prefect_dask import DaskTaskRunner

LOCAL_WORKERS = 2
CONNECT_TIMEOUT = 5.0  # seconds to reach a scheduler before the command line is refused


def unreachable(address: str, timeout: float = CONNECT_TIMEOUT) -> str | None:
    """Why a scheduler address cannot be used (not tcp://host:port, or nothing answers there), or None."""
    parts = urlsplit(address)
    try:
        host, port = parts.hostname, parts.port
    except ValueError:
        host, port = None, None
    if parts.scheme not in {"tcp", "tls"} or not host or not port:
        return f"Dask scheduler address {address!r} is not tcp://host:port"
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return None
    except OSError as err:
        return f"no Dask scheduler answers at {address} ({err.strerror or type(err).__name__})"


def single_task_warning(parts: int, new_articles: int, per_task: int) -> str | None:
    """A Dask run whose new articles fit in one task uses one worker: say how to spread it."""
    if parts != 1 or new_articles < 2:
        return None
    return (
        f"warning: this Dask run has a single task ({new_articles} new articles, --articles-per-task {per_task}): "
        f"one worker does all the work; a smaller --articles-per-task spreads it"
    )


def dask_runner(address: str | None = None) -> DaskTaskRunner:
    """A runner for an existing cluster (tcp://host:port) or, without an address, a local one."""
    if address:
        return DaskTaskRunner(address=address)
    return DaskTaskRunner(cluster_kwargs={"n_workers": LOCAL_WORKERS, "threads_per_worker": 1, "processes": True})
