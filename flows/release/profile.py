"""reports/profile.html and profile.json of a release: the observed values behind the pass/fail of
the validation report — per column, the share of nulls, the distinct values, the range of numbers
and dates, the commonest values, and the length of lists."""

from __future__ import annotations

import html
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

TOP = 5
LONG_TEXT = 200  # longer strings (article texts) are not listed as values


def column_profile(values: pa.ChunkedArray) -> dict[str, Any]:
    """What one column holds, observed."""
    n = len(values)
    found: dict[str, Any] = {"rows": n, "null_share": round(values.null_count / n, 4) if n else 0.0}
    kind = values.type
    if pa.types.is_list(kind):
        lengths = pc.list_value_length(values).drop_null()
        found["mean_length"] = round(pc.mean(lengths).as_py() or 0.0, 2)
        found["empty_share"] = round(pc.sum(pc.equal(lengths, 0)).as_py() / n, 4) if n else 0.0
        return found
    present = values.drop_null()
    found["distinct"] = len(pc.unique(present))
    if pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_temporal(kind):
        bounds = pc.min_max(present)
        found |= {"min": _plain(bounds["min"].as_py()), "max": _plain(bounds["max"].as_py())}
        if not pa.types.is_temporal(kind) and len(present):
            found["median"] = _plain(pc.approximate_median(present).as_py())
    elif pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_boolean(kind):
        counted = Counter(v for v in present.to_pylist() if not isinstance(v, str) or len(v) <= LONG_TEXT)
        found["top"] = [[_plain(v), c] for v, c in sorted(counted.items(), key=lambda kv: (-kv[1], str(kv[0])))[:TOP]]
    return found


def _plain(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def profile(tables: dict[str, pa.Table]) -> dict[str, dict[str, dict[str, Any]]]:
    return {name: {col: column_profile(data.column(col)) for col in data.column_names} for name, data in tables.items()}


def write(tables: dict[str, pa.Table], folder: Path) -> None:
    found = profile(tables)
    (folder / "profile.json").write_text(json.dumps(found, indent=1, ensure_ascii=False), encoding="utf-8")
    sections = []
    for name, columns in found.items():
        rows = "".join(
            f"<tr><td>{html.escape(col)}</td><td>{p['null_share']:.1%}</td><td>{p.get('distinct', '')}</td>"
            f"<td>{html.escape(_observed(p))}</td></tr>"
            for col, p in columns.items()
        )
        sections.append(
            f"<h2>{html.escape(name)}</h2><table><tr><th>column</th><th>null</th><th>distinct</th><th>observed</th></tr>{rows}</table>"
        )
    (folder / "profile.html").write_text(
        '<!doctype html><html lang="en"><meta charset="utf-8"><title>Column profile</title>'
        "<style>body{font-family:sans-serif;max-width:70em;margin:2em auto}td{padding:2px 10px;vertical-align:top}</style>"
        "<h1>Column profile</h1><p>Observed values of every column (the checks themselves are in validation.html).</p>"
        + "".join(sections)
        + "</html>\n",
        encoding="utf-8",
    )


def _observed(p: dict[str, Any]) -> str:
    if "mean_length" in p:
        return f"mean length {p['mean_length']}, empty {p['empty_share']:.1%}"
    if "min" in p:
        return f"{p['min']} … {p['max']}" + (f", median {p['median']}" if "median" in p else "")
    return ", ".join(f"{v!r} ×{c}" for v, c in p.get("top", []))
