"""Read what a run published, whatever the number of parts a table is stored in."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from flows.tables.publish import read_table


def parquet(output: Path, name: str) -> pa.Table:
    """Every part of a published table, as one Arrow table."""
    return read_table(output / "parquet", name)


def csv_text(output: Path, name: str) -> str:
    """A published table's CSV file (one per table, joined from its parts), CRLF kept."""
    return (output / "csv" / f"{name}.csv").read_bytes().decode("utf-8")


def files_bytes(folder: Path) -> dict[str, bytes]:
    """Every file under a folder (its parts), by relative path."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def table_bytes(output: Path, name: str) -> list[bytes]:
    """The bytes of a table's Parquet and CSV parts, in part order (part names differ between runs)."""
    parts = sorted((output / "parquet" / f"{name}.parquet").glob("part-*.parquet"))
    return [p.read_bytes() for p in parts] + [(output / "csv" / f"{name}.csv").read_bytes()]


def sorted_rows(output: Path, name: str) -> list[dict]:
    """A published table's rows in key order: equal for two runs that split the articles into parts differently."""
    from flows.tables.schema import table

    return parquet(output, name).sort_by(table(name).key).to_pylist()
