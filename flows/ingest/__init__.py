"""Read raw/ into clean Article records; every file that cannot be read becomes a Reject.

Inputs: .txt/.md (plain text) and .html/.htm, each with an optional
<stem>.meta.json sidecar whose values win over what is read from the file.
"""

from __future__ import annotations

import codecs
import html as html_lib
import json
import os
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path

import charset_normalizer
import yaml

from flows import lexicons
from flows.article import Article, Reject
from flows.dates import (
    DATE_LINE_PARAGRAPHS,
    DATELINE,
    date_lines,
    infer_from_anchors,
    parse_absolute,
    parse_dateline,
    published_line,
)
from flows.ingest import html
from flows.ingest.language import unsupported as unsupported_language

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "schemas"
TEXT_SUFFIXES = {".txt", ".md"}
HTML_SUFFIXES = {".html", ".htm"}
SIDECAR = ".meta.json"
MAX_BYTES = 2_000_000  # ~300k words; larger files are rarely single articles
MAX_CHARS = 1_000_000  # spaCy's nlp.max_length: a longer text cannot be annotated in one piece
HEADLINE_WORDS = 16  # a first line this short, without closing punctuation, is a headline
TITLE_CASE_SHARE = 0.7  # a short first line with this share of its longer words capitalised is a headline
MAX_CHAOS = 0.1  # charset-normalizer "mess" above which a guessed encoding is not trusted
MIN_COHERENCE = 0.5  # … and language coherence below which it is not trusted


class RejectedInput(Exception):
    """Raised while reading one file; becomes a rejects row."""

    def __init__(self, reason: str, detail: str):
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


def clean_text(text: str) -> str:
    """Unicode NFC, unified newlines, paragraphs separated by exactly one blank line.
    Line by line, in linear time (a regex over long runs of spaces backtracks quadratically)."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n")).lstrip("\ufeff")
    paragraphs, current = [], []
    for line in text.split("\n"):
        line = line.rstrip(" \t\u00a0")
        if line.strip():
            current.append(line)
        elif current:
            paragraphs.append("\n".join(current).strip())
            current = []
    if current:
        paragraphs.append("\n".join(current).strip())
    if len(paragraphs) == 1 and _one_paragraph_per_line(paragraphs[0].split("\n")):
        paragraphs = paragraphs[0].split("\n")
    return "\n\n".join(p for p in paragraphs if p)


LINE_PARAGRAPH_SHARE = 0.8  # of a text's long lines ending a sentence: one paragraph per line, no blank lines


def _one_paragraph_per_line(lines: list[str]) -> bool:
    """A text written one paragraph per line (a headline line, a date line, then a line per paragraph), not one
    hard-wrapped at a width: most of its long lines end a sentence."""
    long = [line.rstrip() for line in lines if len(line.split()) >= 8]
    ends = sum(line.endswith((".", "!", "?", '"', "”", "’", "'", ")")) for line in long)
    return len(lines) >= 3 and len(long) >= 2 and ends >= LINE_PARAGRAPH_SHARE * len(long)


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding) of a file: UTF-8, or a legacy encoding charset-normalizer is confident
    about; RejectedInput for empty and binary files and for encodings that cannot be told."""
    if not data.strip():
        raise RejectedInput("empty", "the file is empty or holds only whitespace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # before the NUL test: UTF-16 is full of NULs
        try:
            return _readable(data.decode("utf-16")), "utf-16"
        except UnicodeDecodeError:
            raise RejectedInput("encoding", "starts with a UTF-16 byte-order mark but is not valid UTF-16") from None
    if b"\x00" in data:
        raise RejectedInput("binary", f"the file holds NUL bytes (first at byte {data.index(0)}): it is binary, not text")
    encoding = "utf-8"
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        if err.reason == "unexpected end of data":  # a file cut inside its last character
            return decode(data[: err.start])[0], "utf-8 (truncated)"
        guess = charset_normalizer.from_bytes(data).best()
        if guess is None or guess.chaos > MAX_CHAOS or guess.coherence < MIN_COHERENCE:
            raise RejectedInput(
                "encoding",
                f"not valid UTF-8 (byte {err.start}: {data[err.start : err.start + 1]!r}) and no encoding could be "
                "detected with confidence; re-save the file as UTF-8",
            ) from None
        text, encoding = str(guess), guess.encoding
    return _readable(text), encoding


def _readable(text: str) -> str:
    """The decoded text, unless it is not text at all: control characters, or nothing to read."""
    controls = sum(1 for c in text[:8192] if unicodedata.category(c) == "Cc" and c not in "\n\r\t\f")
    if controls > 0.05 * min(len(text), 8192):
        raise RejectedInput("binary", f"{controls} control characters in the first 8 KiB: not text")
    if not any(c.isalnum() for c in text):
        raise RejectedInput("empty", "the file holds no letter or digit (only spaces, punctuation or invisible characters)")
    return text


def _sidecar(path: Path, rel: str, seen_at: datetime, rejects: list[Reject]) -> dict:
    """Sidecar metadata; an invalid sidecar or key is reported and ignored, never fatal."""
    meta_path = path.with_name(path.name[: -len(path.suffix)] + SIDECAR)
    if not meta_path.exists():
        return {}
    meta_rel = str(Path(rel).with_name(meta_path.name))
    try:
        raw = json.loads(meta_path.read_text(encoding="utf-8"))
        if not isinstance(raw, dict):
            raise ValueError("the top level is not a JSON object")
    except (OSError, ValueError, UnicodeDecodeError, RecursionError) as err:
        detail = "too deeply nested" if isinstance(err, RecursionError) else str(err)
        rejects.append(Reject(meta_rel, "sidecar_invalid", f"sidecar ignored: not a readable JSON object ({detail})", seen_at))
        return {}
    meta, problems = check_sidecar(raw)
    if problems:
        rejects.append(Reject(meta_rel, "sidecar_invalid", "ignored: " + "; ".join(problems), seen_at))
    return meta


@cache
def _sidecar_schema() -> dict[str, dict]:
    return yaml.safe_load((SCHEMA_DIR / "sidecar.yaml").read_text(encoding="utf-8"))


def check_sidecar(raw: dict) -> tuple[dict, list[str]]:
    """(the keys that pass schemas/sidecar.yaml, with `published` as a date; what was ignored and why)."""
    import jsonschema

    schema = _sidecar_schema()
    meta, problems = {}, []
    for key, value in sorted(raw.items(), key=lambda kv: str(kv[0])):
        if key not in schema:
            problems.append(f"unknown key {str(key)[:40]!r}")
            continue
        try:
            jsonschema.validate(value, schema[key]["schema"])
            meta[key] = date.fromisoformat(value[:10]) if key == "published" else value
        except (jsonschema.ValidationError, ValueError):
            problems.append(f"{key} {_shown(value)} is not valid: {schema[key]['description']}")
    return meta, problems


def _shown(value: object) -> str:
    text = repr(value) if not isinstance(value, dict | list) else f"a JSON {type(value).__name__}"
    return text[:60] + ("…" if len(text) > 60 else "")


@cache
def _boilerplate() -> list[re.Pattern[str]]:
    return [re.compile(p, re.IGNORECASE) for p in lexicons.load("boilerplate")["patterns"]]


def strip_boilerplate(text: str) -> tuple[str, list[str]]:
    """Drop lines about the publication (bylines, credits, sign-up calls; see
    lexicons/boilerplate.yaml): (the text left, the lines removed). Lines, not paragraphs: a
    byline followed by the body after a single newline leaves the body."""
    kept, removed = [], []
    longest = lexicons.load("boilerplate")["max_words"]
    for paragraph in text.split("\n\n"):
        lines = paragraph.split("\n")
        dropped = [line for line in lines if len(line.split()) <= longest and any(p.search(line.strip()) for p in _boilerplate())]
        removed += dropped
        if rest := "\n".join(line for line in lines if line not in dropped).strip():
            kept.append(rest)
    return "\n\n".join(kept), removed


MARKUP = re.compile(r"</?[A-Za-z][\w:-]*(?:\s+[\w:-]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]+))?)*\s*/?>")


def strip_markup(text: str) -> str:
    """Tags left in a plain-text article (embedded posts copied from a web page, <a href=…>)
    go, their text stays — as HTML input is cleaned; attribute values are not article text."""
    if not MARKUP.search(text):
        return text
    return html_lib.unescape(MARKUP.sub("", text))


def headline_end(text: str, title: str | None) -> int:
    """End of the first paragraph when it is the headline: the title the metadata gives, or a
    short line in Title Case ("Senator Says Vote Will Go Ahead."); 0 otherwise."""
    first, sep, rest = text.partition("\n\n")
    if not sep or not rest.strip() or "\n" in first or len(first.split()) > HEADLINE_WORDS + 4:
        return 0
    if title and _same_words(first, title):
        return len(first)
    return len(first) if is_title_case(first) else 0


def is_title_case(line: str) -> bool:
    """ "Senator Says Vote Will Go Ahead": most of a line's longer words capitalised (at least three of them)."""
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", line) if len(w) > 3]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= TITLE_CASE_SHARE * len(words)


def _same_words(a: str, b: str) -> bool:
    def fold(s: str) -> list[str]:
        return re.findall(r"\w+", s.lower())

    return fold(a) == fold(b)


def take_date_lines(text: str, boilerplate: list[str]) -> tuple[str, list[str], tuple[date, str] | None]:
    """Date lines near the top leave the text: (the text left, the lines taken, the publication
    date and its words — from those lines, else from a byline's "| March 3, 2024")."""
    paragraphs = text.split("\n\n")
    lines = date_lines(paragraphs[:DATE_LINE_PARAGRAPHS])
    taken = [line for _, line in lines] if len(lines) < len(paragraphs) else []  # a text that is only a date keeps it
    bylines = [b for b in boilerplate if b.lower().startswith("by ")]
    from_bylines = [(d, b) for b in bylines for d, _ in date_lines([b.split("|")[-1].strip()])]
    text = "\n\n".join(p for p in paragraphs if p not in taken)
    return text, taken, published_line(lines) or published_line(from_bylines)


def _plain_title(text: str, suffix: str) -> tuple[str | None, str]:
    """A Markdown '# heading' becomes the title and leaves the text; a first line that reads as a headline
    (one short line without closing punctuation, followed by more paragraphs) becomes the title and stays
    at the top of the text, where its claims and events are read (ingest marks it as the headline)."""
    first, _, rest = text.partition("\n\n")
    if suffix == ".md" and first.startswith("#"):
        return first.lstrip("#").strip() or None, rest
    looks_like_headline = (
        rest.strip()
        and "\n" not in first
        and len(first.split()) <= HEADLINE_WORDS
        and first[-1] not in '.!?…:;,"”’»—–-'
        and not DATELINE.match(first + " —")
    )
    return (first.strip(), text) if looks_like_headline else (None, text)


def published_date(
    text: str,
    sidecar: date | None,
    page_date: str | None,
    dateline: tuple[date | None, str, int] | None,
    date_line: tuple[date, str] | None,
) -> tuple[date | None, str, str | None]:
    """(date, source, words) from the first source that gives one, in order of trust: the sidecar,
    the page's metadata, a wire dateline, a date line, an anchor event in the text; else none."""
    if sidecar:
        return sidecar, "metadata", sidecar.isoformat()
    if page_date and (resolved := parse_absolute(page_date[:10])):
        return resolved.start, "html", page_date
    if dateline and dateline[0]:
        return dateline[0], "dateline", dateline[1]
    if date_line:
        return date_line[0], "date_line", date_line[1]
    if inferred := infer_from_anchors(text):
        return inferred[0], "inferred", inferred[1]
    return None, "none", None


def _page(raw: str, suffix: str) -> tuple[str, str | None, str | None, str | None, str | None]:
    """Clean text, title, page date (as written), page language and URL of an HTML page, a Markdown or a text file."""
    if suffix not in HTML_SUFFIXES:
        title, text = _plain_title(clean_text(strip_markup(raw)), suffix)
        return text, title, None, None, None
    try:
        page = html.extract(raw)
    except Exception as err:  # lxml raises many kinds on broken markup
        raise RejectedInput("html_unreadable", f"no article text could be extracted: {err}") from None
    return clean_text(page.text), page.title, page.published, page.language, page.url


def read_article(path: Path, rel: str, seen_at: datetime, rejects: list[Reject]) -> Article:
    """One file → Article; raises RejectedInput when the file cannot be an article."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise RejectedInput("too_large", f"{size} bytes is above the {MAX_BYTES}-byte cap for one article")
    raw, encoding = decode(path.read_bytes())
    text, title, page_date, language, url = _page(raw, path.suffix.lower())
    text, boilerplate = strip_boilerplate(text)
    text, taken, date_line = take_date_lines(text, boilerplate)
    boilerplate += taken
    if not text.strip():
        raise RejectedInput("no_text", "no text remains after cleaning" + (" (only boilerplate)" if boilerplate else ""))
    if len(text) > MAX_CHARS:
        raise RejectedInput("too_long", f"{len(text)} characters of text is above the {MAX_CHARS}-character limit of the language model")

    meta = _sidecar(path, rel, seen_at, rejects)
    if problem := unsupported_language(text, meta.get("language"), language):
        raise RejectedInput("unsupported_language", problem)
    english = language if language and language.lower().startswith("en") else "en"  # what passed the check above
    article = Article(source_path=rel, text=text, title=title, url=url, language=english, source_encoding=encoding)
    article.removed_boilerplate = boilerplate
    article.headline_end = headline_end(text, meta.get("title") or title)
    if article.headline_end and not article.title:
        article.title = text[: article.headline_end].strip()
    dateline = parse_dateline(text)
    if dateline:
        article.dateline_end = dateline[2]
    found = published_date(text, meta.get("published"), page_date, dateline, date_line)
    article.published_date, article.published_date_source, article.published_date_text = found
    for key in ("title", "source", "url", "language"):
        if meta.get(key):
            setattr(article, key, str(meta[key]))
    return article


@dataclass(frozen=True)
class Listing:
    """What a walk of raw/ found: regular files to read, and entries that cannot be articles."""

    files: list[Path]
    refused: list[tuple[Path, str, str]]  # (path, reject reason, detail)


def walk(raw_dir: Path, skip: tuple[Path, ...] = ()) -> Listing:
    """Every entry under raw_dir, recursively; hidden files and folders are skipped, and so are
    the folders in `skip` (an output folder inside raw/). A symlink is followed only to a file
    inside raw_dir (it is read like that file; both paths then name one article); a symlink out
    of raw_dir, to a folder, dangling or looping, FIFOs, sockets and devices, and folders that
    cannot be listed are refused with a reason, never opened."""
    root = raw_dir.resolve()
    skipped = {s.resolve() for s in skip}
    files: list[Path] = []
    refused: list[tuple[Path, str, str]] = []
    pending = [raw_dir]
    while pending:
        folder = pending.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as err:
            refused.append((folder, "unreadable", f"the folder could not be listed: {err.strerror or err}"))
            continue
        for entry in entries:
            path = Path(entry.path)
            if entry.name.startswith("."):
                continue
            try:
                if entry.is_symlink():
                    if (problem := _symlink_problem(path, root)) is not None:
                        refused.append((path, *problem))
                    else:
                        files.append(path)
                elif entry.is_dir(follow_symlinks=False):
                    if path.resolve() not in skipped:
                        pending.append(path)
                elif entry.is_file(follow_symlinks=False):
                    files.append(path)
                else:
                    refused.append((path, "unsupported_type", "not a regular file (a FIFO, socket or device): never opened"))
            except OSError as err:
                refused.append((path, "unreadable", f"the entry could not be examined: {err.strerror or err}"))
    return Listing(sorted(files), sorted(refused))


def _symlink_problem(path: Path, root: Path) -> tuple[str, str] | None:
    try:
        target = path.resolve(strict=True)
    except FileNotFoundError:
        return "unreadable", "a dangling symlink: its target does not exist"
    except (OSError, RuntimeError):
        return "unreadable", "a symlink loop"
    if not target.is_relative_to(root):
        return "outside_raw", "a symlink to a file outside the raw folder: not read"
    if not target.is_file():
        return "unsupported_type", "a symlink to a folder or a special file: not followed"
    return None


def input_files(raw_dir: Path, skip: tuple[Path, ...] = ()) -> list[Path]:
    """Every file ingest reads (see `walk`)."""
    return walk(raw_dir, skip).files


def fingerprint(raw_dir: Path, skip: tuple[Path, ...] = (), listing: Listing | None = None) -> dict[str, list[int]]:
    """Path → [size, modification time, change time (ns), inode] of every entry: a change of
    any means the file must be read again. ctime and inode catch an edit that keeps size and
    mtime (`cp -p`, `rsync -t`); refused entries count too, so fixing one is seen."""
    listing = listing or walk(raw_dir, skip)
    found: dict[str, list[int]] = {}
    refused = [p for p, _, _ in listing.refused]
    for path, follow in [*((p, True) for p in listing.files), *((p, False) for p in refused)]:
        try:  # a file read through a symlink counts with its target's stat; a refused entry is never followed
            st = path.stat() if follow else path.lstat()
        except OSError:
            found[path.relative_to(raw_dir).as_posix()] = [-1, -1, -1, -1]
            continue
        found[path.relative_to(raw_dir).as_posix()] = [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]
    return found


def read_folder(raw_dir: Path, skip: tuple[Path, ...] = (), listing: Listing | None = None) -> tuple[list[Article], list[Reject]]:
    """Every article under raw_dir (see `walk`; or the entries of `listing`, a walk already
    made), deduplicated by text; every other entry a reject."""
    listing = listing or walk(raw_dir, skip)
    reading = read_files(raw_dir, listing, only=None)
    return reading.articles, reading.listing_rejects + [r for found in reading.file_rejects.values() for r in found]


@dataclass
class Reading:
    """What reading some of the files of a walk gave."""

    articles: list[Article]  # deduplicated by text among the files read
    listing_rejects: list[Reject]  # entries the walk alone refuses (no file is opened for these)
    file_rejects: dict[str, list[Reject]]  # article file read → rejects reading it gave (its sidecar's, its copies')


def article_files(listing: Listing) -> list[Path]:
    return [p for p in listing.files if p.suffix.lower() in TEXT_SUFFIXES | HTML_SUFFIXES and not p.name.endswith(SIDECAR)]


def sidecar_of(path: Path) -> Path:
    """The metadata file of an article file (`a.txt` → `a.meta.json`)."""
    return path.with_name(path.name[: -len(path.suffix)] + SIDECAR)


def read_files(raw_dir: Path, listing: Listing, only: set[str] | None) -> Reading:
    """Read the article files of the walk whose raw_dir-relative paths are in `only` (every one
    when None: an incremental run reads only new and changed files); entries that cannot be
    articles are refused from the walk alone, without opening them."""
    groups: dict[str, list[Article]] = {}
    refused = [Reject(path.relative_to(raw_dir).as_posix(), reason, detail, _seen_at(path)) for path, reason, detail in listing.refused]
    file_rejects: dict[str, list[Reject]] = {}
    stems = {p.with_suffix("") for p in listing.files if p.suffix.lower() in TEXT_SUFFIXES | HTML_SUFFIXES}
    for path in listing.files:
        rel = path.relative_to(raw_dir).as_posix()
        if path.name.endswith(SIDECAR):
            if path.with_name(path.name[: -len(SIDECAR)]) not in stems:
                refused.append(Reject(rel, "sidecar_orphan", "sidecar with no article of the same stem", _seen_at(path)))
            continue
        if path.suffix.lower() not in TEXT_SUFFIXES | HTML_SUFFIXES:
            refused.append(
                Reject(
                    rel, "unsupported_type", f"'{path.suffix or path.name}' files are not read (use .txt, .md, .html, .htm)", _seen_at(path)
                )
            )
            continue
        if only is not None and rel not in only:
            continue
        seen_at = _seen_at(path)
        found = file_rejects.setdefault(rel, [])
        try:
            article = read_article(path, rel, seen_at, found)
        except RejectedInput as err:
            found.append(Reject(rel, err.reason, err.detail, seen_at))
            continue
        except OSError as err:  # unreadable, or deleted since the walk
            found.append(Reject(rel, "unreadable", f"the file could not be read: {err.strerror or err}", seen_at))
            continue
        article.seen_at = seen_at
        groups.setdefault(article.article_id, []).append(article)
    articles = []
    for copies in groups.values():
        merged: list[Reject] = []
        articles.append(merge_duplicates(copies, merged))
        for reject in merged:
            file_rejects[reject.path].append(reject)
    return Reading(articles, refused, {rel: found for rel, found in file_rejects.items() if found})


EPOCH = datetime.fromtimestamp(0, tz=UTC)


def _seen_at(path: Path) -> datetime:
    """The entry's modification time (whole seconds): rejects stay the same when raw/ is copied."""
    try:
        return datetime.fromtimestamp(int(path.lstat().st_mtime), tz=UTC)
    except OSError:
        return EPOCH


MERGED = ("published_date", "published_date_source", "published_date_text", "title", "url", "language")


def merge_duplicates(copies: list[Article], rejects: list[Reject]) -> Article:
    """One article for files with the same text. Its metadata come from the earliest-dated copy
    (ties: the smallest title, then URL — never the file names, so renaming files changes
    nothing); sources are all kept ("A; B"); every value left out is reported in a
    `sidecar_conflict` row of the copy it came from."""
    if len(copies) == 1:
        return copies[0]
    lead = min(copies, key=lambda a: (a.published_date is None, a.published_date or date.min, a.title or "", a.url or "", a.source_path))
    others = sorted((a for a in copies if a is not lead), key=lambda a: a.source_path)
    for other in others:
        ignored = {k: getattr(other, k) for k in MERGED if getattr(other, k) != getattr(lead, k) and getattr(other, k) is not None}
        if ignored:
            shown = "; ".join(f"{k} {v!s} (kept {getattr(lead, k)!s})" for k, v in ignored.items())
            rejects.append(
                Reject(other.source_path, "sidecar_conflict", f"same text as {lead.source_path}; ignored {shown}", other.seen_at or EPOCH)
            )
    sources = sorted({a.source for a in copies if a.source})
    lead.source = "; ".join(sources) or None
    lead.duplicate_paths = sorted(a.source_path for a in others)
    return lead
