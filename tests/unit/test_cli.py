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

    from flows.pipeline import progress_line

    line = progress_line(2, 5, 4000, 10000, time.monotonic() - 100)
    assert line.startswith("annotated part 2/5: 4000/10000 articles, 40/s, about 2 min 30 s left")
    assert progress_line(1, 1, 10, 10, time.monotonic() - 3).endswith("about 0 s left")
