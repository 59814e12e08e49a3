"""A real `newsledger run` on a terminal: a progress bar while it annotates; and Ctrl-C or SIGTERM
stop it within seconds: one line, nothing published, no process left behind (the temporary
Prefect API server and the annotation workers included)."""

from __future__ import annotations

import os
import pty
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

pytestmark = pytest.mark.slow  # real runs in subprocesses

ARTICLE = """Port workers walk out in Sevmar over pay {i}

SEVMAR, March {day} (Wire) - Dock workers in Sevmar began a strike on Monday over pay, union leader Ana Horvat said.
"We will stay out until the offer changes," Horvat told reporters. Police arrested {n} people near the harbour on Tuesday,
a police spokesman said. Port director Ivo Lenz said the talks would resume on Friday.
"""


def write_articles(folder: Path, n: int, start: int = 0) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(start, start + n):
        (folder / f"strike-{i:04d}.txt").write_text(ARTICLE.format(i=i, day=1 + i % 28, n=2 + i % 40), encoding="utf-8")


def start_run(raw: Path, output: Path) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "flows.cli", "run", "--raw", str(raw), "--output", str(output), "--processes", "2"]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


def wait_for_workers(proc: subprocess.Popen[str], at_least: int, timeout: float = 120.0) -> list[psutil.Process]:
    """The run's descendants once the API server and the annotation workers are all up."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the run ended before it could be stopped"
        children = psutil.Process(proc.pid).children(recursive=True)
        if len(children) >= at_least:
            return children
        time.sleep(0.2)
    raise AssertionError(f"the run never had {at_least} processes")


def gone(process: psutil.Process) -> bool:
    try:
        return process.status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def stop_and_check(proc: subprocess.Popen[str], send: signal.Signals, output: Path, expected_exit: int) -> str:
    before = os.readlink(output / "current") if (output / "current").is_symlink() else None
    children = wait_for_workers(proc, at_least=3)  # the temporary API server and two annotation workers
    sent = time.monotonic()
    if send == signal.SIGINT:
        os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C: the terminal signals the whole foreground group
    else:
        proc.send_signal(send)  # `kill PID`, a scheduler stopping a job
    _, err = proc.communicate(timeout=30)
    took = time.monotonic() - sent
    assert proc.returncode == expected_exit, err
    assert took < 15, f"stopping took {took:.0f} s"
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and "nothing was published" in lines[0], err  # one line, no tracebacks from workers or Prefect
    assert all(gone(child) for child in children), [c.pid for c in children if not gone(c)]
    after = os.readlink(output / "current") if (output / "current").is_symlink() else None
    assert after == before
    assert not list((output / ".snapshots").glob(".writing-*"))  # the half-written snapshot is removed
    return lines[0]


def test_ctrl_c_stops_the_run_and_keeps_the_last_publication(tmp_path):
    raw, output = tmp_path / "raw", tmp_path / "output"
    write_articles(raw, 2)
    first = subprocess.run([sys.executable, "-m", "flows.cli", "run", "--raw", str(raw), "--output", str(output)], capture_output=True)
    assert first.returncode == 0, first.stderr
    published = (output / "csv" / "articles.csv").read_bytes()
    write_articles(raw, 400, start=2)
    line = stop_and_check(start_run(raw, output), signal.SIGINT, output, 130)
    assert "Ctrl-C" in line
    assert (output / "csv" / "articles.csv").read_bytes() == published


def test_sigterm_stops_the_run_and_leaves_no_server_behind(tmp_path):
    raw, output = tmp_path / "raw", tmp_path / "output"
    write_articles(raw, 400)
    line = stop_and_check(start_run(raw, output), signal.SIGTERM, output, 143)
    assert "SIGTERM" in line
    assert not (output / "parquet").exists()


def test_a_run_on_a_terminal_shows_a_progress_bar_and_the_summary(tmp_path):
    raw, output = tmp_path / "raw", tmp_path / "output"
    write_articles(raw, 40)
    (raw / "empty.txt").write_text("", encoding="utf-8")
    leader, terminal = pty.openpty()
    command = [
        sys.executable,
        "-m",
        "flows.cli",
        "run",
        "--raw",
        str(raw),
        "--output",
        str(output),
        "--batch-size",
        "8",
        "--processes",
        "1",
    ]
    proc = subprocess.Popen(command, stdin=terminal, stdout=terminal, stderr=terminal, close_fds=True)
    os.close(terminal)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the run closed the terminal
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    assert proc.wait(timeout=60) == 0, shown.decode(errors="replace")
    text = shown.decode(errors="replace")
    assert "newsledger: annotating" in text and "40/40" in text and "\r" in text  # a bar, redrawn in place
    assert "newsledger: annotated part 1/1: 40/40 articles" in text
    assert "rejected" in text and "empty" in text  # the summary lists reject reasons
