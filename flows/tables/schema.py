"""Table definitions read from schemas/*.yaml — the single source of truth.

Everything that needs a column list (Parquet schema, validation suite, CSV
header order, codebook) asks this module; no other code restates columns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pyarrow as pa
import yaml

from flows import lexicons

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "schemas"
EXTRACTED = ("articles", "people", "titles", "places", "mentions", "claims", "events", "rejects")  # built from the articles' rows
TABLES = (*EXTRACTED, "quarantine")  # every published table; quarantine holds rows that failed a row check
SEVERITIES = ("invariant", "row")

ARROW_TYPES: dict[str, pa.DataType] = {
    "string": pa.string(),
    "int64": pa.int64(),
    "float64": pa.float64(),
    "bool": pa.bool_(),
    "date": pa.date32(),
    "timestamp": pa.timestamp("s", tz="UTC"),
    "list<string>": pa.list_(pa.string()),
    "list<list<int64>>": pa.list_(pa.list_(pa.int64())),  # [start, end] pairs: the fragments of a span
}


@dataclass(frozen=True)
class ValueCheck:
    """A named check of a column's values, declared in schemas/ with its severity.

    `invariant`: a failure blocks publication. `row`: failing rows are moved to the
    quarantine table and the rest is published (up to --max-quarantined per table).
    """

    check: str
    severity: str
    params: tuple[tuple[str, Any], ...] = ()

    def param(self, name: str, default: Any = None) -> Any:
        return dict(self.params).get(name, default)

    def describe(self) -> str:
        shown = ", ".join(f"{k}={'|'.join(map(str, v)) if isinstance(v, tuple) else v}" for k, v in self.params)
        return f"{self.check}({shown})" if shown else self.check


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    description: str
    nullable: bool = True
    unique: bool = False
    allowed: tuple[str, ...] | None = None
    min: float | None = None
    references: str | None = None
    checks: tuple[ValueCheck, ...] = ()
    min_items: int | None = None  # a list reference that must keep this many ids (else the row follows a quarantine)
    csv_verbatim: bool = False  # written to CSV exactly as stored (never formula-neutralised): offsets point into it

    @property
    def arrow_type(self) -> pa.DataType:
        return ARROW_TYPES[self.type]

    @property
    def is_list(self) -> bool:
        return self.type.startswith("list<")


@dataclass(frozen=True)
class Span:
    """A (text, start, end) column triple whose offsets must reproduce the text. With
    `fragments` (a column of [start, end] pairs), the text is the fragments joined by a space,
    start the first fragment's start and end the last one's end."""

    text: str
    start: str
    end: str
    fragments: str | None = None

    @property
    def columns(self) -> set[str]:
        return {self.text, self.start, self.end} | ({self.fragments} if self.fragments else set())


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    columns: tuple[Column, ...]
    sort_by: tuple[str, ...]
    spans: tuple[Span, ...] = field(default=())
    key_column: str = ""  # the primary key (schemas: `key:`)
    stored: str = "parts"  # `parts`: one file per part of the archive; `whole`: one file for the archive (schemas: `stored:`)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def key(self) -> str:
        return self.key_column

    def value_checks(self, severity: str) -> list[tuple[Column, ValueCheck]]:
        return [(col, chk) for col in self.columns for chk in col.checks if chk.severity == severity]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    def build(self, rows: list[dict[str, Any]]) -> pa.Table:
        """Rows → a typed, sorted Arrow table; a row with missing or unknown columns is a bug."""
        expected = set(self.column_names)
        for row in rows:
            if set(row) != expected:
                raise ValueError(
                    f"{self.name}: row columns differ from schemas/{self.name}.yaml: "
                    f"missing {sorted(expected - set(row))}, unknown {sorted(set(row) - expected)}"
                )
        table = pa.Table.from_pylist(rows, schema=self.arrow_schema())
        if rows and self.sort_by:
            table = table.sort_by([(c, "ascending") for c in self.sort_by])
        return table

    def arrow_schema(self) -> pa.Schema:
        fields = [pa.field(c.name, c.arrow_type, nullable=c.nullable, metadata={"description": c.description}) for c in self.columns]
        return pa.schema(fields, metadata={"table": self.name, "description": self.description})


def _column(spec: dict[str, Any], shared: dict[str, dict[str, Any]]) -> Column:
    merged = dict(shared.get(spec.get("use", ""), {}))
    merged.update({k: v for k, v in spec.items() if k != "use"})
    allowed = merged.get("allowed")
    if "allowed_from" in merged:
        allowed = lexicons.vocabulary(merged["allowed_from"])
    if merged["type"] not in ARROW_TYPES:
        raise ValueError(f"column {merged['name']}: unknown type {merged['type']!r}")
    column = Column(
        name=merged["name"],
        type=merged["type"],
        description=" ".join(str(merged["description"]).split()),
        nullable=merged.get("nullable", True),
        unique=merged.get("unique", False),
        allowed=tuple(allowed) if allowed else None,
        min=merged.get("min"),
        references=merged.get("references"),
        min_items=merged.get("min_items"),
        csv_verbatim=merged.get("csv") == "verbatim",
        checks=tuple(_value_check(merged["name"], c) for c in merged.get("checks", [])),
    )
    if column.is_list and (column.checks or column.unique or column.allowed or column.min is not None):
        raise SchemaError(f"column {column.name}: a list column takes no value check (validation sees its cells as present or null)")
    return column


def _value_check(column: str, spec: dict[str, Any]) -> ValueCheck:
    if spec.get("severity") not in SEVERITIES:
        raise ValueError(f"column {column}: check {spec.get('check')!r} needs a severity, one of {SEVERITIES}")
    params = tuple((k, _frozen(v)) for k, v in spec.items() if k not in {"check", "severity"})
    return ValueCheck(check=spec["check"], severity=spec["severity"], params=params)


def _frozen(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


TABLE_KEYS = {"name", "description", "key", "sort_by", "spans", "columns", "stored"}
COLUMN_KEYS = {
    "name",
    "use",
    "type",
    "description",
    "nullable",
    "unique",
    "allowed",
    "allowed_from",
    "min",
    "references",
    "checks",
    "min_items",
    "csv",
}
SPAN_KEYS = {"text", "start", "end", "fragments"}


class SchemaError(ValueError):
    """A schemas/*.yaml file that does not say what the code reads (a misspelt key is an error, not ignored)."""


def _known(where: str, spec: object, allowed: set[str]) -> dict[str, Any]:
    if not isinstance(spec, dict):
        raise SchemaError(f"{where}: expected a mapping, got {type(spec).__name__}")
    if unknown := sorted(set(spec) - allowed):
        raise SchemaError(f"{where}: unknown key(s) {', '.join(map(repr, unknown))} (known: {', '.join(sorted(allowed))})")
    return spec


def load_table(spec: dict[str, Any], shared: dict[str, Any], source: str) -> Table:
    """A table definition from its YAML, every key checked."""
    spec = _known(source, spec, TABLE_KEYS)
    for name, field_spec in shared.items():
        _known(f"_fields.yaml: {name}", field_spec, COLUMN_KEYS - {"name", "use"})
    columns = tuple(_column(_known(f"{source}: column {c.get('name', '?')}", c, COLUMN_KEYS), shared) for c in spec["columns"])
    names = [c.name for c in columns]
    if spec.get("key") not in names:
        raise SchemaError(f"{source}: `key:` must name one of its columns, got {spec.get('key')!r}")
    for col in columns:
        if col.references and col.references.split(".")[0] not in TABLES:
            raise SchemaError(f"{source}: column {col.name} references an unknown table {col.references!r}")
    spans = tuple(Span(**_known(f"{source}: span", s, SPAN_KEYS)) for s in spec.get("spans", []))
    for span in spans:
        if missing := sorted(span.columns - set(names)):
            raise SchemaError(f"{source}: span names unknown columns {missing}")
    return Table(
        name=spec["name"],
        description=" ".join(spec["description"].split()),
        columns=columns,
        sort_by=tuple(spec.get("sort_by", [])),
        spans=spans,
        key_column=spec["key"],
        stored=_stored(source, spec.get("stored", "parts")),
    )


STORED = ("parts", "whole")


def _stored(source: str, value: str) -> str:
    if value not in STORED:
        raise SchemaError(f"{source}: `stored:` must be one of {', '.join(STORED)}, got {value!r}")
    return value


@cache
def table(name: str) -> Table:
    """The definition of one table, with shared fields resolved."""
    shared = yaml.safe_load((SCHEMA_DIR / "_fields.yaml").read_text(encoding="utf-8"))
    spec = yaml.safe_load((SCHEMA_DIR / f"{name}.yaml").read_text(encoding="utf-8"))
    return load_table(spec, shared, f"schemas/{name}.yaml")


def all_tables() -> list[Table]:
    return [table(name) for name in TABLES]
