"""Schemas drive the Arrow types, the column order and the CSV; CSV cells are safe to open."""

import json
from datetime import date

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from flows import lexicons
from flows.tables.publish import csv_cells, neutralise, publish
from flows.tables.schema import TABLES, table
from tests.published import csv_text


@pytest.mark.parametrize("name", TABLES)
def test_every_column_is_described_and_typed(name):
    spec = table(name)
    assert spec.description
    assert len(set(spec.column_names)) == len(spec.column_names)
    for col in spec.columns:
        assert len(col.description) > 10, col.name
    schema = spec.arrow_schema()
    assert schema.names == spec.column_names
    assert all(f.metadata[b"description"] for f in schema)


def test_shared_fields_and_vocabularies_are_resolved():
    claims = table("claims")
    assert claims.column("article_id").references == "articles.article_id"
    assert claims.column("start_char").arrow_type == pa.int64()
    assert table("events").column("event_type").allowed == tuple(lexicons.vocabulary("event_types"))
    assert table("people").column("aliases").arrow_type == pa.list_(pa.string())
    assert table("articles").column("published_date").arrow_type == pa.date32()


def test_build_refuses_rows_that_differ_from_the_schema():
    with pytest.raises(ValueError, match="missing"):
        table("rejects").build([{"path": "x", "reason": "empty"}])


def test_formula_cells_are_neutralised():
    cells = pa.chunked_array([['=HYPERLINK("x")', "-1+2", "@SUM", "\tx", "Plain text", "a=b", None, ""]])
    assert neutralise(cells).to_pylist() == ['\'=HYPERLINK("x")', "'-1+2", "'@SUM", "'\tx", "Plain text", "a=b", None, ""]


def _people_table(name="Ana Horvat"):
    return table("people").build(
        [
            {
                "person_id": "P1",
                "name": name,
                "aliases": ["Horvat", "Ms. Horvat"],
                "titles": ["mayor"],
                "disputed_titles": [],
                "article_ids": ["A1"],
                "n_mentions": 2,
                "resolution_evidence": ["one article"],
                "resolution_confidence": 1.0,
                "first_published_date": date(2023, 4, 27),
                "last_published_date": date(2023, 4, 27),
            }
        ]
    )


def test_csv_lists_are_json_and_columns_in_schema_order():
    cells = csv_cells("people", _people_table("=cmd"))
    assert list(cells) == table("people").column_names
    assert json.loads(cells["aliases"][0]) == ["Horvat", "Ms. Horvat"]
    assert cells["name"][0] == "'=cmd"
    assert cells["resolution_confidence"][0] == "1.0" and cells["first_published_date"][0] == "2023-04-27"


def test_offset_pairs_are_nested_lists_in_parquet_and_json_in_csv(tmp_path):
    claim = {c: None for c in table("claims").column_names} | {
        "claim_id": "C1",
        "article_id": "A1",
        "speaker_type": "none",
        "speaker_rule": "none",
        "cue_family": "hedge",
        "claim_text": "The plan will work",
        "fragments": [[0, 8], [20, 29]],
        "quoted_spans": [],
        "quote_type": "indirect",
        "sentence_index": 0,
        "start_char": 0,
        "end_char": 29,
        "rule": "hedge:clause",
    }
    data = table("claims").build([claim])
    assert data.schema.field("fragments").type == pa.list_(pa.list_(pa.int64()))
    cells = csv_cells("claims", data)
    assert json.loads(cells["fragments"][0]) == [[0, 8], [20, 29]] and json.loads(cells["quoted_spans"][0]) == []
    assert cells["speaker_name"][0] == ""  # null: an empty cell


def test_csv_bytes_are_what_pandas_writes_for_every_type(tmp_path):
    """Quoting (commas, quote marks, line breaks), nulls, booleans, floats, dates, timestamps and lists
    as pandas' CSV writer gives them: readers of earlier releases see no change."""
    import csv
    from datetime import UTC, datetime

    import pandas as pd

    from flows.tables.publish import write_csv

    rejects = table("rejects").build(
        [
            {c: None for c in table("rejects").column_names}
            | {"path": 'a "quoted", path\r\nnext', "reason": "empty", "detail": "", "seen_at": datetime(2024, 5, 1, 9, 30, tzinfo=UTC)},
            {c: None for c in table("rejects").column_names} | {"path": "=x.txt", "reason": "empty"},
        ]
    )
    title = {"title_id": "T1", "person_id": "P1", "article_id": "A1", "published_date": None, "title": "mayor"}
    titles = table("titles").build([title | {"disputed": False}, title | {"title_id": "T2", "disputed": True}])
    for name, data in [("people", _people_table('Ana "Ani" Horvat, Jr.')), ("rejects", rejects), ("titles", titles)]:
        frame = data.to_pandas()
        for col in table(name).columns:
            if col.is_list:
                frame[col.name] = [json.dumps(v, ensure_ascii=False) if v is not None else None for v in data.column(col.name).to_pylist()]
            elif col.type == "string" and not col.csv_verbatim:
                frame[col.name] = neutralise(data.column(col.name)).to_pandas()
            elif col.type == "timestamp":
                frame[col.name] = [v.strftime("%Y-%m-%dT%H:%M:%SZ") if not pd.isna(v) else None for v in frame[col.name]]
            elif col.type == "int64":
                frame[col.name] = frame[col.name].astype("Int64")
        write_csv(name, data, tmp_path / "ours.csv")
        frame.to_csv(tmp_path / "pandas.csv", index=False, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
        assert (tmp_path / "ours.csv").read_bytes() == (tmp_path / "pandas.csv").read_bytes(), name


def test_publish_writes_parquet_and_csv_and_replaces_previous_output(tmp_path):
    publish({"people": _people_table()}, tmp_path)
    publish({"people": _people_table("Second Run")}, tmp_path)
    back = pq.read_table(tmp_path / "parquet" / "people.parquet")  # a folder of parts, read as one table
    assert back.schema.field("aliases").type == pa.list_(pa.string())
    assert back.column("name").to_pylist() == ["Second Run"]
    assert "Second Run" in csv_text(tmp_path, "people")
    assert len(list((tmp_path / ".snapshots").iterdir())) == 1  # the old snapshot is gone, no half-written one left


def test_codebook_explains_every_column_and_the_csv_rules(tmp_path):
    from flows.tables.codebook import render

    text = render()
    for name in TABLES:
        assert f"## `{name}`" in text
        for col in table(name).columns:
            assert f"| `{col.name}` |" in text
    assert "OWASP" in text and "JSON arrays" in text and "`LEGAL_ACTION`" in text
    publish({"people": _people_table()}, tmp_path)
    assert (tmp_path / "CODEBOOK.md").read_text() == text


def test_a_misspelt_schema_key_is_an_error_not_ignored():
    import pytest

    from flows.tables.schema import SchemaError, load_table

    good = {"name": "t", "key": "t_id", "description": "A table.", "columns": [{"name": "t_id", "type": "string", "description": "Id."}]}
    assert load_table(good, {}, "t.yaml").key == "t_id"
    misspelt = {**good, "columns": [{"name": "t_id", "type": "string", "description": "Id.", "nulable": False}]}
    with pytest.raises(SchemaError, match="nulable"):
        load_table(misspelt, {}, "t.yaml")
    with pytest.raises(SchemaError, match="key"):
        load_table({**good, "key": "missing"}, {}, "t.yaml")
    with pytest.raises(SchemaError, match="sortby"):
        load_table({**good, "sortby": ["t_id"]}, {}, "t.yaml")


def test_a_list_column_takes_no_value_check_and_validation_sees_it_as_present_or_null():
    import pandas as pd
    import pytest

    from flows.tables.schema import SchemaError, load_table
    from flows.tables.validate import LIST_CELL, gx_frame

    listed = {"name": "tags", "type": "list<string>", "description": "Tags."}
    spec = {
        "name": "t",
        "key": "t_id",
        "description": "A table.",
        "columns": [{"name": "t_id", "type": "string", "description": "Id."}, listed],
    }
    table = load_table(spec, {}, "t.yaml")
    frame = pd.DataFrame({"t_id": ["a", "b", "c"], "tags": [["x", "y"], [], None]})
    seen = gx_frame(table, frame, {})["tags"]
    assert seen.isna().tolist() == [False, False, True] and list(seen[:2]) == [LIST_CELL, LIST_CELL]
    for check in ({"unique": True}, {"allowed": ["x"]}, {"min": 0}, {"checks": [{"check": "not_blank", "severity": "row"}]}):
        with pytest.raises(SchemaError, match="tags: a list column takes no value check"):
            load_table({**spec, "columns": [spec["columns"][0], {**listed, **check}]}, {}, "t.yaml")


def test_values_are_counted_over_every_part_and_every_list_item(tmp_path):
    from collections import Counter

    from flows.tables.build import count

    for name, column, parts, expected in [
        ("mentions", "entity_id", [["P1", "P2", None], ["P1"]], {"P1": 2, "P2": 1}),
        ("events", "participant_ids", [[["P1", "P2"], None], [["P2"], []]], {"P1": 1, "P2": 2}),
    ]:
        folder = tmp_path / "parquet" / f"{name}.parquet"
        folder.mkdir(parents=True)
        for i, values in enumerate(parts):
            pq.write_table(pa.table({column: values}), folder / f"part-{i}.parquet")
        assert count(tmp_path, name, column) == Counter(expected)
    assert count(tmp_path, "claims", "speaker_id") == Counter()  # no part yet: an empty table
