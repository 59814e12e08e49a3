"""Scale-out: the same flow's batches on a Dask cluster through prefect-dask."""

from __future__ import annotations

from prefect_dask import DaskTaskRunner

LOCAL_WORKERS = 2


def dask_runner(address: str | None = None) -> DaskTaskRunner:
    """A runner for an existing cluster (tcp://host:port) or, without an address, a local one."""
    if address:
        return DaskTaskRunner(address=address)
    return DaskTaskRunner(cluster_kwargs={"n_workers": LOCAL_WORKERS, "threads_per_worker": 1, "processes": True})
