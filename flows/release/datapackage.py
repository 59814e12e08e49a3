"""A Frictionless Data Package descriptor for a release, generated from schemas/."""

from __future__ import annotations

from typing import Any

from flows.tables.schema import TABLES, Column, table

FRICTIONLESS_TYPES = {
    "string": "string",
    "int64": "integer",
    "float64": "number",
    "bool": "boolean",
    "date": "date",
    "timestamp": "datetime",
    "list<string>": "string",  # a JSON array in the CSV (see the codebook)
    "list<list<int64>>": "string",  # a JSON array of [start, end] pairs in the CSV
}


def _field(col: Column) -> dict[str, Any]:
    field: dict[str, Any] = {"name": col.name, "type": FRICTIONLESS_TYPES[col.type], "description": col.description}
    if col.is_list:
        field["format"] = "default"
        field["description"] += " Written as a JSON array."
    constraints: dict[str, Any] = {}
    if not col.nullable:
        constraints["required"] = True
    if col.unique:
        constraints["unique"] = True
    if col.allowed:
        constraints["enum"] = list(col.allowed)
    if col.min is not None:
        constraints["minimum"] = int(col.min)
    if constraints:
        field["constraints"] = constraints
    return field


def descriptor(version: str, created: str) -> dict[str, Any]:
    """datapackage.json content: one tabular resource per CSV, with keys and foreign keys."""
    resources = []
    for name in TABLES:
        spec = table(name)
        foreign = [
            {"fields": col.name, "reference": {"resource": col.references.split(".")[0], "fields": col.references.split(".")[1]}}
            for col in spec.columns
            if col.references and not col.is_list  # Table Schema foreign keys hold one value per cell
        ]
        schema: dict[str, Any] = {"fields": [_field(c) for c in spec.columns], "primaryKey": [spec.key], "missingValues": [""]}
        if foreign:
            schema["foreignKeys"] = foreign
        resources.append(
            {
                "name": name,
                "path": f"csv/{name}.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "description": spec.description,
                "schema": schema,
                "parquet": f"parquet/{name}.parquet",
            }
        )
    return {
        "name": "newsledger",
        "title": "newsledger: people, events and claims from news articles",
        "version": version,
        "created": f"{created}T00:00:00Z",
        "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}],
        "resources": resources,
    }
