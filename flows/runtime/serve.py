"""`newsledger serve --cron …`: the flow as a scheduled Prefect deployment.

Prefect's temporary local API cannot run schedules, so without PREFECT_API_URL
this starts a real local `prefect server` on 127.0.0.1, waits until it is
healthy, serves the flow, and stops the server on exit (Ctrl-C or SIGTERM).
With PREFECT_API_URL set, that server is used and left alone.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

FLOW_NAME = "newsledger"  # the flow's name (flows/pipeline.py), the first half of a deployment's name
HEALTH_TIMEOUT = 90  # seconds for a fresh server to migrate its database and answer
STOP_GRACE = 10  # seconds the serving process gets to stop after an interrupt before it is killed


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(api_url: str, process: subprocess.Popen, timeout: float = HEALTH_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the Prefect server exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(f"{api_url}/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"the Prefect server did not become healthy within {timeout} s")


def start_server() -> tuple[subprocess.Popen, str]:
    """A local Prefect server in its own process group; returns it and its API URL."""
    port = free_port()
    prefect = Path(sys.executable).with_name("prefect")
    command = [str(prefect), "server", "start", "--host", "127.0.0.1", "--port", str(port)]
    # the services that schedule runs must be on, whatever a one-off run in this environment switched off
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_SERVER_SERVICES_")}
    api_url = f"http://127.0.0.1:{port}/api"
    env["PREFECT_UI_API_URL"] = api_url  # the UI asks the server where its API is: without this, 127.0.0.1:4200
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, start_new_session=True)
    print(f"newsledger: started a local Prefect server (pid {process.pid}) at {api_url}", flush=True)
    try:
        wait_healthy(api_url, process)
    except BaseException:
        stop_server(process)
        raise
    print(f"newsledger: runs, logs and artifacts in the Prefect UI at http://127.0.0.1:{port}", flush=True)
    return process, api_url


def stop_server(process: subprocess.Popen) -> None:
    """Stop the server and everything it started (its process group)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    print(f"newsledger: stopped the local Prefect server (pid {process.pid})", flush=True)


def serve(raw: Path, output: Path, cron: str, name: str = "newsledger") -> int:
    """Serve the flow on a schedule until Ctrl-C or SIGTERM; start and stop a local server if needed.

    The deployment is served by a child process; this process forwards Ctrl-C and SIGTERM to it as
    an interrupt (Prefect's clean way to stop serving: schedules are paused), then stops the server.
    """
    env = dict(os.environ)
    env["PREFECT_LOGGING_LEVEL"] = os.environ.get("NEWSLEDGER_SERVE_LOG_LEVEL", "INFO")  # scheduled runs log their progress and summary
    server = None
    if not env.get("PREFECT_API_URL"):
        server, env["PREFECT_API_URL"] = start_server()
    code = "import sys; from flows.runtime.serve import serve_deployment; serve_deployment(*sys.argv[1:])"
    args = [sys.executable, "-c", code, str(raw.resolve()), str(output.resolve()), cron, name]
    child = subprocess.Popen(args, env=env, start_new_session=True)
    print(f"newsledger: serving from process {child.pid}", flush=True)
    stopping: list[float] = []

    def forward(signum: int, frame: object) -> None:
        if child.poll() is None and not stopping:
            stopping.append(time.monotonic())
            child.send_signal(signal.SIGINT)

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    try:
        while child.poll() is None:
            if stopping and time.monotonic() - stopping[0] > STOP_GRACE:
                break  # Prefect's runner did not finish its shutdown in time
            time.sleep(0.5)
    finally:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGKILL)  # the runner and any flow run it started
            child.wait()
        try:
            paused, cancelled = pause_deployment(env["PREFECT_API_URL"], name)
            if paused:
                print(f"newsledger: paused deployment {name!r}, cancelled {cancelled} scheduled runs", flush=True)
        except Exception as err:  # the server may be gone already: say so, stop the rest anyway
            print(f"newsledger: could not pause deployment {name!r}: {err}", file=sys.stderr, flush=True)
        if server is not None:
            stop_server(server)
    return 0


def pause_deployment(api_url: str, name: str) -> tuple[bool, int]:
    """Pause the served deployment and cancel its scheduled runs, so that none is left "Late" for
    the next time a server starts on this database; (found it, runs cancelled)."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        DeploymentFilter,
        DeploymentFilterId,
        FlowRunFilter,
        FlowRunFilterState,
        FlowRunFilterStateType,
    )
    from prefect.client.schemas.objects import StateType
    from prefect.exceptions import ObjectNotFound
    from prefect.settings import PREFECT_API_URL, temporary_settings
    from prefect.states import Cancelled

    with temporary_settings(updates={PREFECT_API_URL: api_url}), get_client(sync_client=True) as client:
        try:
            deployment = client.read_deployment_by_name(f"{FLOW_NAME}/{name}")
        except ObjectNotFound:
            return False, 0
        client.pause_deployment(deployment.id)
        scheduled = client.read_flow_runs(
            deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[deployment.id])),
            flow_run_filter=FlowRunFilter(state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.SCHEDULED]))),
        )
        for run in scheduled:
            client.set_flow_run_state(run.id, Cancelled(message="newsledger serve stopped"), force=True)
    return True, len(scheduled)


def serve_deployment(raw: str, output: str, cron: str, name: str) -> None:
    """In the child process: register the deployment with its schedule and run scheduled flow runs."""
    from flows.pipeline import build_dataset

    print(f"newsledger: serving deployment {name!r} on schedule {cron!r}; Ctrl-C to stop", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        build_dataset.serve(name=name, cron=cron, parameters={"raw_dir": raw, "output_dir": output})
