"""`newsledger serve`: the served deployment runs (triggered, not waited for on the clock) and
everything started is stopped."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parents[1] / "fixtures"


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is not alive
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


def api(url: str, body: dict | None = None) -> object:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"}, method="GET" if body is None else "POST")
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.loads(answer.read())


def trigger(api_url: str, env: dict[str, str], deadline: float) -> None:
    """Ask the server for a run of the served deployment now, once it is registered."""
    prefect = Path(sys.executable).with_name("prefect")
    while time.monotonic() < deadline:
        done = subprocess.run(
            [str(prefect), "deployment", "run", "newsledger/newsledger"], env={**env, "PREFECT_API_URL": api_url}, capture_output=True
        )
        if done.returncode == 0:
            return
        time.sleep(2)
    raise AssertionError("the deployment was never registered")


@pytest.mark.slow
def test_serve_runs_the_deployment_and_stops_what_it_started(tmp_path):
    raw, output = tmp_path / "raw", tmp_path / "output"
    raw.mkdir()
    shutil.copy(FIXTURES / "articles" / "protest.txt", raw)
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env["PREFECT_SERVER_SERVICES_SCHEDULER_ENABLED"] = "false"  # as a one-off run sets it: serve must still schedule
    env.update(PREFECT_HOME=str(tmp_path / "prefect"), PREFECT_SERVER_ANALYTICS_ENABLED="false")
    yearly = "0 0 1 1 *"  # the run below can only come from the trigger
    command = [sys.executable, "-m", "flows.cli", "serve", "--cron", yearly, "--raw", str(raw), "--output", str(output)]
    log = (tmp_path / "serve.log").open("w")
    proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=Path(__file__).parents[2])
    pids: list[int] = []
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and not (
            found := re.search(r"at (http://127\.0\.0\.1:\d+/api)", (tmp_path / "serve.log").read_text())
        ):
            assert proc.poll() is None, (tmp_path / "serve.log").read_text()
            time.sleep(1)
        assert found, (tmp_path / "serve.log").read_text()
        trigger(found[1], env, deadline)
        while time.monotonic() < deadline and not (output / "parquet" / "articles.parquet").exists():
            assert proc.poll() is None, (tmp_path / "serve.log").read_text()
            time.sleep(2)
        text = (tmp_path / "serve.log").read_text()
        assert (output / "parquet" / "articles.parquet").exists(), text  # the triggered run of the deployment completed
        pids = [int(p) for p in re.findall(r"\((?:pid )?(\d+)\)|process (\d+)", text) for p in p if p]
        assert len(pids) >= 2  # the local server and the serving process
        api_url = found[1]
        assert api(api_url.removesuffix("/api") + "/ui-settings")["api_url"] == api_url  # the UI talks to this server
        # the summary is recorded after the tables are published, and logs reach the API in batches: wait for both
        while time.monotonic() < deadline:
            artifacts = api(f"{api_url}/artifacts/filter", {})
            logs = api(f"{api_url}/logs/filter", {})
            if any(a["key"] == "newsledger-run" for a in artifacts) and any("articles read" in e["message"] for e in logs):
                break
            time.sleep(1)
        summary = [a for a in artifacts if a["key"] == "newsledger-run"]
        assert summary and "| articles |" in summary[0]["data"] and "Validation report" in summary[0]["data"]
        assert any(a["key"] == "newsledger-progress" and a["data"] == 100.0 for a in artifacts)
        assert any("articles read" in entry["message"] for entry in logs)  # the run's summary is in its log
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
    time.sleep(1)
    text = (tmp_path / "serve.log").read_text()
    assert "stopped the local Prefect server" in text and "paused deployment 'newsledger'" in text
    assert not [pid for pid in pids if alive(pid)]
    with sqlite3.connect(tmp_path / "prefect" / "prefect.db") as db:  # nothing left to run "Late" at the next start
        assert db.execute("select paused from deployment").fetchall() == [(1,)]
        assert db.execute("select count(*) from flow_run where state_type = 'SCHEDULED'").fetchone() == (0,)
