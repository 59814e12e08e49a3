"""CODEBOOK.md, generated from schemas/ and the event vocabulary: what every column means."""

from __future__ import annotations

from flows import lexicons, rules
from flows.tables.schema import all_tables

CONVENTIONS = """\
## Conventions

- **Files**: one CSV file per table; in a release one Parquet file per table too. In a run's `output/`, a
  table stored in *parts* (see each table's `Stored:` line) is a Parquet folder of files, one per part of the
  archive (`parquet/mentions.parquet/part-….parquet`): `pandas.read_parquet` reads the folder as one table.
  Parquet keeps the types below (lists as `list<string>`,
  [start, end] offset pairs as `list<list<int64>>`, dates as `date32`); each Parquet field carries its description as field metadata.
- **CSV**: UTF-8, comma-separated, CRLF line ends (RFC 4180), a header row in the column order below; a cell
  holding a comma, a quote mark, CR or LF is quoted, so no reader splits a row inside it. Lists are JSON arrays
  (`["Horvat", "Ms. Horvat"]`), dates ISO 8601 (`2022-05-30`), timestamps ISO 8601 in UTC, null is an empty
  cell. A text cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return — and every line inside a
  cell that begins with one of the first five — is prefixed with `'` so that spreadsheets do not run it as a
  formula (OWASP CSV injection rule); strip that one quote to get the raw value. `articles.text` is the
  exception: it is written exactly as stored, so its offsets hold in the CSV too (open it as text, not as a
  formula: a spreadsheet may evaluate an article that begins with `=`).
- **Dates** are written at their precision, as TIMEX3 does: `2022-05-30` (day), `2022-05` (month), `2022`
  (year), `199` (decade). Relative expressions are resolved against the article's published date; `date_rule`
  names the rule. An interval's `date_start` is its first day, `date_end` its last.
- **Provenance**: `articles.text[start_char:end_char]` (Python string offsets) reproduces the `claim_text`,
  `evidence_text`, `trigger` or mention `text` of a row exactly; `sentence_index` counts sentences from 0. The
  `rule` columns say which model or rule produced a value.
- **Checks** have a severity, declared in `schemas/`. An *invariant* (types, not-null, unique keys, allowed
  values, references, offsets that reproduce the text, minimums) blocks publication when it fails. A *row* check
  (plausible dates and counts, non-empty claims; the `checks` column below) moves a failing row to the
  `quarantine` table, with the check, the offending values and the whole row, and the rest is published; rows that
  refer to it follow it. More than `--max-quarantined` (default 1 %) of a table's rows failing stops publication.
- **Identifiers** are hashes of content (article text; article id and offsets), so the same input always gives
  the same ids and byte-identical files.
"""


def render() -> str:
    """The codebook as Markdown."""
    parts = ["# newsledger codebook\n", CONVENTIONS]
    for spec in all_tables():
        stored = "one file per part of the archive" if spec.stored == "parts" else "one file for the whole archive"
        parts.append(f"\n## `{spec.name}`\n\n{spec.description}\n\nKey: `{spec.key}`. Stored: {stored}.\n")
        parts.append("| column | type | nulls | meaning | allowed values | checks |\n|---|---|---|---|---|---|")
        for col in spec.columns:
            allowed = ", ".join(f"`{v}`" for v in col.allowed) if col.allowed else ""
            if col.references:
                allowed = f"refers to `{col.references}`"
            meaning = col.description.replace("|", "\\|")
            checks = "; ".join(f"`{c.describe()}` ({c.severity})" for c in col.checks).replace("|", "\\|")
            parts.append(f"| `{col.name}` | {col.type} | {'yes' if col.nullable else 'no'} | {meaning} | {allowed} | {checks} |")
    parts.append(event_types())
    parts.append(rule_list())
    return "\n".join(parts) + "\n"


def event_types() -> str:
    """The event vocabulary with its crosswalk to PLOVER and ACLED, and each type's trigger words."""
    lines = [
        "\n## Event types\n",
        "From `flows/lexicons/events.yaml`, rooted in PLOVER (the Political Language Ontology for Verifiable Event",
        "Records). Each type names its PLOVER event type (— where PLOVER has none and the type is newsledger's) and,",
        "where one exists, its ACLED event type and sub-event type, so the table can be compared with those datasets.",
        "A word listed under several types is decided by a sense rule (`sense:…` in `rule`).\n",
        "| type | PLOVER | ACLED event type / sub-event type | meaning | triggers |",
        "|---|---|---|---|---|",
    ]
    for name, spec in sorted(lexicons.load("events")["types"].items()):
        triggers = ", ".join(spec.get("verbs", []) + spec.get("nouns", []))
        acled = " / ".join(spec.get("acled", [])) or "—"
        lines.append(f"| `{name}` | {spec['plover']} | {acled} | {spec['description']} | {triggers} |")
    return "\n".join(lines)


def rule_list() -> str:
    """Every named rule: what `--without-rule` takes, the column and values it writes, the phrase it handles."""
    lines = [
        "\n## Rules\n",
        "Every value of a `rule`, `speaker_rule` or `date_rule` column is written by one named rule (`flows/rules.py`),",
        "listed here stage by stage; `newsledger run --without-rule NAME` switches one off.",
        "`spacy:<model>` in `mentions.rule` is the statistical model; `none`, `duration` and `unresolved` say that no rule applied.\n",
        "| rule | writes | values | handles |",
        "|---|---|---|---|",
    ]
    registered = rules.registry().values()
    for found in sorted(registered, key=lambda r: rules.RULE_MODULES.index(r.module)):  # stable: definition order within a stage
        values = ", ".join(v if v.startswith("(") else f"`{v}`" for v in found.values)
        summary = found.summary.replace("|", "\\|")
        lines.append(f"| `{found.name}` | {found.column} | {values} | {summary} |")
    return "\n".join(lines)
