"""Usage errors of the command line: one error line and exit 2 before any work, never a traceback."""

from __future__ import annotations

import pytest

from flows.cli import main


@pytest.mark.parametrize("option", ["--batch-size", "--articles-per-task", "--processes"])
def test_a_count_of_zero_is_a_usage_error(option, tmp_path, capsys):
    with pytest.raises(SystemExit) as usage:
        main(["run", "--raw", str(tmp_path), "--output", str(tmp_path / "out"), option, "0"])
    assert usage.value.code == 2
    assert f"argument {option}: must be 1 or more, got 0" in capsys.readouterr().err


def test_a_file_where_a_folder_belongs_is_a_usage_error(tmp_path, capsys):
    a_file = tmp_path / "notes.txt"
    a_file.write_text("not a folder", encoding="utf-8")
    assert main(["run", "--raw", str(a_file), "--output", str(tmp_path / "out")]) == 2
    assert main(["run", "--raw", str(tmp_path), "--output", str(a_file)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        f"newsledger: raw path {a_file} is a file, not a folder of articles",
        f"newsledger: output path {a_file} is a file, not a folder",
    ]
    assert not (tmp_path / "out").exists()


def test_version(capsys):
    with pytest.raises(SystemExit) as shown:
        main(["--version"])
    assert shown.value.code == 0 and capsys.readouterr().out.startswith("newsledger ")


def test_progress_line_gives_parts_rate_and_time_left():
    import time

    from flows.runtime.progress import part_line as progress_line

    line = progress_line(2, 5, 4000, 10000, time.monotonic() - 100)
    assert line.startswith("annotated part 2/5: 4000/10000 articles, 40/s, about 2 min 30 s left")
    assert progress_line(1, 1, 10, 10, time.monotonic() - 3).endswith("about 0 s left")


def test_an_unreachable_dask_scheduler_is_a_usage_error(tmp_path, capsys):
    import socket

    with socket.socket() as s:  # a port nothing listens on once this socket is closed
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    assert main(["run", "--raw", str(tmp_path), "--output", str(tmp_path / "out"), "--dask-address", f"tcp://127.0.0.1:{port}"]) == 2
    assert main(["run", "--raw", str(tmp_path), "--output", str(tmp_path / "out"), "--dask-address", "scheduler:8786"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[0].startswith(f"newsledger: no Dask scheduler answers at tcp://127.0.0.1:{port}")
    assert err[1] == "newsledger: Dask scheduler address 'scheduler:8786' is not tcp://host:port"
    assert not (tmp_path / "out").exists()


def test_a_listening_scheduler_is_reachable():
    import socket

    from flows.runtime.scaleout import unreachable

    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        assert unreachable(f"tcp://127.0.0.1:{server.getsockname()[1]}") is None


def test_a_dask_run_of_one_task_is_warned_about():
    from flows.runtime.scaleout import single_task_warning

    assert "single task (300 new articles, --articles-per-task 2000)" in single_task_warning(1, 300, 2000)
    assert single_task_warning(3, 5000, 2000) is None
    assert single_task_warning(1, 1, 2000) is None  # one article cannot be spread


def test_the_summary_lists_reject_reasons_with_counts(tmp_path):
    from flows.pipeline import RunSummary

    summary = RunSummary(12, 3, {"articles": 9}, tmp_path, tmp_path / "report.html", 12, reject_reasons={"empty": 1, "not_text": 2})
    lines = summary.lines()
    assert lines[0] == "12 articles read (12 processed, 0 unchanged), 3 rejected"
    assert lines[1].split() == ["rejected", "2", "not_text"] and lines[2].split() == ["rejected", "1", "empty"]
    assert "| articles | 9 |" in summary.markdown() and "- 2 rejected: not_text" in summary.markdown()


def test_progress_off_a_terminal_is_plain_periodic_lines(monkeypatch):
    import io

    from flows.runtime import progress

    monkeypatch.setattr(progress, "PLAIN_EVERY", 0.0)
    stream = io.StringIO()
    bar = progress.Progress(100, stream=stream)
    progress.advance(bar.token, 40)
    bar.part_done(1, 2, 50)
    bar.close()
    progress.advance(bar.token, 10)  # a closed bar takes no more
    lines = stream.getvalue().splitlines()
    assert lines[0].startswith("newsledger: annotating: 40/100 articles, ") and lines[0].endswith(" left")
    assert lines[1].startswith("newsledger: annotated part 1/2: 50/100 articles")
    assert len(lines) == 2 and bar.done == 50 and "\r" not in stream.getvalue()
