"""Hostile and messy input folders: every entry is an article or a reject, nothing outside raw/
is read, no input takes the run down. Every fixture is built here."""

from __future__ import annotations

import json
import os
import signal
from datetime import date
from pathlib import Path

import pytest

from flows import ingest
from flows.ingest import check_sidecar, clean_text, fingerprint, read_folder

NEWS = "The council voted on Monday to close the old bridge for repairs, the mayor said. Work starts in May.\n"
ENGLISH = (
    "The council voted on Monday to close the old bridge for repairs, the mayor told reporters, "
    "and the work is expected to last until the end of the summer, officials said.\n"
)


def reasons(rejects) -> dict[str, str]:
    return {r.path: r.reason for r in rejects}


def test_a_symlink_out_of_raw_is_refused_and_never_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("The password of the archive is hunter2, the admin said on Monday.\n")
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "news.txt").write_text(NEWS)
    (raw / "leak.txt").symlink_to(secret)
    articles, rejects = read_folder(raw)
    assert reasons(rejects) == {"leak.txt": "outside_raw"}
    assert all("hunter2" not in a.text for a in articles)


def test_a_symlink_inside_raw_is_read_as_the_same_article(tmp_path):
    (tmp_path / "news.txt").write_text(NEWS)
    (tmp_path / "alias.txt").symlink_to(tmp_path / "news.txt")
    [article], rejects = read_folder(tmp_path)
    assert not rejects and {article.source_path, *article.duplicate_paths} == {"alias.txt", "news.txt"}


def test_dangling_and_looping_links_folders_links_and_fifos_are_rejects(tmp_path):
    (tmp_path / "news.txt").write_text(NEWS)
    (tmp_path / "gone.txt").symlink_to(tmp_path / "missing.txt")
    (tmp_path / "loop.txt").symlink_to(tmp_path / "loop.txt")
    (tmp_path / "sub").mkdir()
    (tmp_path / "folder-link").symlink_to(tmp_path / "sub", target_is_directory=True)
    os.mkfifo(tmp_path / "pipe.txt")  # opening it would block the run forever
    articles, rejects = read_folder(tmp_path)
    assert len(articles) == 1
    assert reasons(rejects) == {
        "gone.txt": "unreadable",
        "loop.txt": "unreadable",
        "folder-link": "unsupported_type",
        "pipe.txt": "unsupported_type",
    }


def test_a_folder_that_cannot_be_listed_is_a_reject(tmp_path, monkeypatch):
    (tmp_path / "news.txt").write_text(NEWS)
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "inside.txt").write_text(NEWS)
    real_scandir = os.scandir

    def scandir(path):
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(ingest.os, "scandir", scandir)  # tests run as root, for whom chmod 000 changes nothing
    articles, rejects = read_folder(tmp_path)
    assert len(articles) == 1 and reasons(rejects) == {"locked": "unreadable"}


def test_a_file_deleted_during_ingest_is_a_reject(tmp_path, monkeypatch):
    (tmp_path / "news.txt").write_text(NEWS)
    listing = ingest.walk(tmp_path)
    monkeypatch.setattr(ingest, "walk", lambda *_a, **_k: ingest.Listing([*listing.files, tmp_path / "vanished.txt"], []))
    articles, rejects = read_folder(tmp_path)
    assert len(articles) == 1 and reasons(rejects) == {"vanished.txt": "unreadable"}


def test_an_output_folder_inside_raw_is_not_read(tmp_path):
    (tmp_path / "news.txt").write_text(NEWS)
    (tmp_path / "output" / "csv").mkdir(parents=True)
    (tmp_path / "output" / "CODEBOOK.md").write_text("# newsledger codebook\n\nEvery column of every table.\n")
    articles, rejects = read_folder(tmp_path, skip=(tmp_path / "output",))
    assert [a.source_path for a in articles] == ["news.txt"] and not rejects
    assert "output/CODEBOOK.md" not in fingerprint(tmp_path, skip=(tmp_path / "output",))


def test_an_edit_that_keeps_size_and_mtime_changes_the_fingerprint(tmp_path):
    path = tmp_path / "news.txt"
    path.write_text(NEWS)
    before = fingerprint(tmp_path)
    stat = path.stat()
    path.write_text(NEWS.replace("Monday", "Friday"))  # same length
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # what cp -p and rsync -t do
    assert path.stat().st_size == stat.st_size and path.stat().st_mtime_ns == stat.st_mtime_ns
    assert fingerprint(tmp_path) != before


def test_long_runs_of_spaces_are_cleaned_in_linear_time():
    text = "First paragraph." + " " * 300_000 + "\n\n" + "\t" * 300_000 + "Second paragraph.  \n"
    signal.signal(signal.SIGALRM, lambda *_: pytest.fail("clean_text is not linear: 600k blanks took over 20 s"))
    signal.alarm(20)  # the quadratic cleaning took minutes on this input
    try:
        cleaned = clean_text(text)
    finally:
        signal.alarm(0)
    assert cleaned.startswith("First paragraph.") and cleaned.endswith("Second paragraph.") and "\n\n" in cleaned


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("nul.txt", NEWS.encode() * 200 + b"\x00" + NEWS.encode(), "binary"),  # the NUL lies after the first 8 KiB
        ("invisible.txt", "\u200b\u200c\u200d\u2060\n\u200b".encode(), "empty"),
        ("huge.txt", ("word " * 220_000).encode(), "too_long"),  # 1.1 million characters, under the 2 MB cap
        (
            "german.txt",
            ("Der Bundestag hat am Donnerstag mit großer Mehrheit ein neues Gesetz beschlossen, das die Förderung " * 3).encode(),
            "unsupported_language",
        ),
    ],
)
def test_input_that_is_not_readable_news_is_a_reject(tmp_path, name, data, reason):
    (tmp_path / name).write_bytes(data)
    articles, rejects = read_folder(tmp_path)
    assert not articles and reasons(rejects) == {name: reason}


def test_utf16_with_a_byte_order_mark_is_read(tmp_path):
    (tmp_path / "utf16.txt").write_bytes(NEWS.encode("utf-16"))
    [article], rejects = read_folder(tmp_path)
    assert not rejects and article.text == NEWS.strip() and article.source_encoding == "utf-16"


def test_a_declared_language_other_than_english_is_a_reject(tmp_path):
    (tmp_path / "a.txt").write_text(ENGLISH)
    (tmp_path / "a.meta.json").write_text('{"language": "fr"}')
    articles, rejects = read_folder(tmp_path)
    assert not articles and reasons(rejects) == {"a.txt": "unsupported_language"}


@pytest.mark.parametrize(
    "sidecar",
    [
        "[" * 100_000 + "]" * 100_000,  # nested 100,000 levels deep
        '{"published": "9999-12-31"}',
        '["not", "an", "object"]',
        b"\xff\xfe\x00\x01 not utf-8",
    ],
)
def test_a_bad_sidecar_is_reported_and_its_article_kept(tmp_path, sidecar):
    (tmp_path / "a.txt").write_text(ENGLISH)
    meta = tmp_path / "a.meta.json"
    meta.write_bytes(sidecar if isinstance(sidecar, bytes) else sidecar.encode())
    [article], rejects = read_folder(tmp_path)
    assert reasons(rejects) == {"a.meta.json": "sidecar_invalid"} and article.published_date is None


def test_a_sidecar_that_is_a_folder_does_not_reject_its_article(tmp_path):
    (tmp_path / "a.txt").write_text(ENGLISH)
    (tmp_path / "a.meta.json").mkdir()
    [article], rejects = read_folder(tmp_path)
    assert article.source_path == "a.txt" and reasons(rejects) == {"a.meta.json": "sidecar_invalid"}


def test_sidecar_values_are_checked_key_by_key():
    meta, problems = check_sidecar(
        {
            "published": "2024-06-03 and then some",
            "title": {"nested": "object"},
            "source": float("nan"),
            "language": "english",
            "url": "https://example.org/news/1",
            "colour": "blue",
        }
    )
    assert meta == {"url": "https://example.org/news/1"}
    assert [p.split()[0] for p in problems] == ["unknown", "language", "published", "source", "title"]
    assert check_sidecar({"published": "2024-06-03T10:00:00Z", "title": "Bridge closes"}) == (
        {"published": date(2024, 6, 3), "title": "Bridge closes"},
        [],
    )
    assert check_sidecar({"title": "Bridge\r=cmd|' /C calc'!A0"})[0] == {}  # control characters never reach a table


def test_same_text_with_different_sidecars_merges_by_date_not_by_file_name(tmp_path):
    def run(first: str, second: str):
        folder = tmp_path / f"{first}-{second}"
        folder.mkdir()
        for name, published, source in ((first, "2020-03-01", "Wire A"), (second, "2024-03-01", "Paper B")):
            (folder / f"{name}.txt").write_text(ENGLISH)
            (folder / f"{name}.meta.json").write_text(json.dumps({"published": published, "source": source}))
        return read_folder(folder)

    for names in (("a", "b"), ("b", "a")):  # renaming the files changes nothing
        [article], rejects = run(*names)
        assert article.published_date == date(2020, 3, 1) and article.source == "Paper B; Wire A"
        [conflict] = rejects
        assert conflict.reason == "sidecar_conflict" and "2024-03-01" in conflict.detail and "kept 2020-03-01" in conflict.detail


def test_a_page_language_is_a_hint_a_sidecar_language_is_trusted():
    from flows.ingest.language import unsupported

    german = "Der Bundestag hat am Donnerstag mit großer Mehrheit ein neues Gesetz beschlossen, das die Förderung " * 3
    assert unsupported(ENGLISH, None, "und") is None  # a mislabelled English page is read
    assert unsupported(german, None, "de") is not None and unsupported(ENGLISH, "fr") is not None
    assert unsupported(ENGLISH, "en-GB", "de") is None


def test_an_edit_of_a_file_read_through_a_symlink_changes_the_fingerprint(tmp_path):
    (tmp_path / ".drafts").mkdir()  # hidden, so its file is read only through the link
    (tmp_path / ".drafts" / "news.txt").write_text(NEWS)
    (tmp_path / "news.txt").symlink_to(tmp_path / ".drafts" / "news.txt")
    before = fingerprint(tmp_path)
    (tmp_path / ".drafts" / "news.txt").write_text(NEWS + "A second paragraph was added later.\n")
    assert fingerprint(tmp_path) != before
