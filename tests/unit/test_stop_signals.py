"""What a stopped run removes and says (the real signals are in tests/integration/test_stopping.py)."""

from __future__ import annotations

import signal

from flows.runtime.stop import remove_unfinished, stopped_line
from flows.tables.publish import SNAPSHOTS, Snapshot


def test_a_stopped_run_removes_its_own_snapshot_and_never_another_runs(tmp_path):
    output = tmp_path / "out"
    ours = Snapshot(output)
    theirs = output / SNAPSHOTS / ".writing-another-run"  # a run this one found busy may be stopped meanwhile
    theirs.mkdir()
    remove_unfinished()
    assert not ours.folder.exists() and theirs.exists()


def test_the_stop_line_says_what_was_published(tmp_path):
    before = stopped_line(signal.SIGINT, 14.2, False, tmp_path)
    assert before.startswith("newsledger: stopped by Ctrl-C (SIGINT) after 14 s; nothing was published")
    after = stopped_line(signal.SIGTERM, 3, True, tmp_path)
    assert "SIGTERM" in after and f"{tmp_path}/ shows it" in after and "nothing was published" not in after
