"""Two releases from different inputs: every file, checksums, changelog counts, zip, data package, notebook."""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import shutil
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from flows.cli import main
from flows.pipeline import build_dataset
from flows.release import ReleaseError, build_release
from flows.tables.schema import TABLES
from tests.published import parquet

pytestmark = pytest.mark.slow  # builds releases and measures MEANTIME

FIXTURES = Path(__file__).parents[1] / "fixtures"
ROOT = Path(__file__).parents[2]
FIRST = ["protest.txt", "court-ruling.txt", "council.html"]
SECOND = [*FIRST, "disaster.txt", "vote-cancelled.txt"]


def raw_folder(tmp: Path, names: list[str]) -> Path:
    folder = tmp / f"raw-{len(names)}"
    folder.mkdir()
    for name in names:
        shutil.copy(FIXTURES / "articles" / name, folder / name)
    return folder


@pytest.fixture(scope="module")
def releases(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("release")
    output = tmp / "output"
    build_dataset(raw_folder(tmp, FIRST), output)
    first = build_release(output, day="2024-02-01")
    build_dataset(raw_folder(tmp, SECOND), output)
    second = build_release(output, day="2024-03-01")
    return output, first, second


def test_versions_follow_the_rule(releases):
    output, first, second = releases
    assert (first.name, second.name) == ("1.0.0", "1.1.0")  # first release, then new rows: minor
    with pytest.raises(ReleaseError, match="nothing changed"):
        build_release(output)
    with pytest.raises(ReleaseError, match="never overwritten"):
        build_release(output, version="1.1.0")


def test_every_file_is_there(releases):
    _, _, second = releases
    for name in TABLES:
        assert (second / "parquet" / f"{name}.parquet").exists() and (second / "csv" / f"{name}.csv").exists()
    for name in [
        "datapackage.json",
        "CODEBOOK.md",
        "SHA256SUMS",
        "CHANGELOG.md",
        "CITATION.cff",
        "ACCURACY.md",
        "accuracy.json",
        "index.html",
        "timeline.png",
        "map.png",
        "reports/validation.html",
        "reports/profile.html",
        "reports/data-docs/index.html",
        "id_changes.csv",
        "newsledger-1.1.0.zip",
    ]:
        assert (second / name).exists(), name
    page = (second / "index.html").read_text()
    assert "timeline.png" in page and "map.png" in page and "ACCURACY.md" in page and "reports/validation.html" in page
    countries = pd.read_parquet(second / "parquet" / "events.parquet")["country_code"].dropna()
    assert "Events by place" in page and "country (ISO alpha-3" in page
    assert all(f"<td>{code}</td><td>{n}</td>" in page for code, n in countries.value_counts().head(15).items())
    assert "Ana Horvat" in page  # a top speaker
    from flows.tables.archive import pipeline_version

    assert pipeline_version() in page and "5 news articles" in page  # which pipeline made it, from which corpus
    assert page.index("On real news (MEANTIME") < page.index("hand-made sample articles")  # real-corpus accuracy first
    import yaml

    cff = yaml.safe_load((second / "CITATION.cff").read_text())
    assert cff["version"] == "1.1.0" and cff["type"] == "dataset" and cff["license"] == "CC-BY-4.0" and cff["commit"]
    assert (second / "timeline.png").read_bytes()[:4] == (second / "map.png").read_bytes()[:4] == b"\x89PNG"


def visible_text(page: str) -> str:
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", page).split()))


def test_data_docs_show_every_table_validated_with_observed_values(releases):
    _, _, second = releases
    site = second / "reports" / "data-docs"
    index = (site / "index.html").read_text()
    assert all(f"{name}.html" in index for name in TABLES)  # every table's suite
    pages = {p.parts[-4]: visible_text(p.read_text()) for p in site.glob("validations/*/*/*/*.html")}
    assert set(pages) == set(TABLES)
    assert all("Unsuccessful Expectations 0 " in page for page in pages.values())  # a release passed every check
    claims = pd.read_parquet(second / "parquet" / "claims.parquet")
    observed = re.search(r"speaker_name Status .*? (?:≈)?([\d.]+)% not null", pages["claims"])
    assert observed and float(observed[1]) == pytest.approx(100 * claims["speaker_name"].notna().mean(), abs=0.001)
    assert "reports/data-docs/index.html" in (second / "index.html").read_text()


def test_checksums_match_the_files(releases):
    _, _, second = releases
    listed = {}
    for line in (second / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split("  ", 1)
        listed[name] = digest
    files = {p.relative_to(second).as_posix() for p in second.rglob("*") if p.is_file()} - {"SHA256SUMS", "newsledger-1.1.0.zip"}
    assert set(listed) == files
    for name, digest in listed.items():
        assert hashlib.sha256((second / name).read_bytes()).hexdigest() == digest


def test_changelog_counts_the_difference(releases):
    _, first, second = releases
    old = {n: pd.read_parquet(first / "parquet" / f"{n}.parquet") for n in TABLES}
    new = {n: pd.read_parquet(second / "parquet" / f"{n}.parquet") for n in TABLES}
    log = (second / "CHANGELOG.md").read_text()
    assert log.index("## 1.1.0") < log.index("## 1.0.0")  # newest first, history kept
    for name, key in (("articles", "article_id"), ("events", "event_id"), ("claims", "claim_id")):
        added = len(set(new[name][key]) - set(old[name][key]))
        removed = len(set(old[name][key]) - set(new[name][key]))
        assert added > 0
        assert f"| {name} | {len(new[name])} | {added} | {removed} |" in log


def test_zip_unpacks_to_the_same_files(releases, tmp_path):
    _, _, second = releases
    with zipfile.ZipFile(second / "newsledger-1.1.0.zip") as bundle:
        bundle.extractall(tmp_path)
    unpacked = tmp_path / "newsledger-1.1.0"
    inside = {p.relative_to(unpacked).as_posix(): p.read_bytes() for p in unpacked.rglob("*") if p.is_file()}
    outside = {p.relative_to(second).as_posix(): p.read_bytes() for p in second.rglob("*") if p.is_file() and p.suffix != ".zip"}
    assert inside == outside


def test_data_package_validates_with_frictionless(releases):
    from frictionless import validate

    from flows.tables.archive import pipeline_version

    _, _, second = releases
    report = validate(second / "datapackage.json")
    assert report.valid, report.flatten(["type", "message"])[:5]
    descriptor = json.loads((second / "datapackage.json").read_text())
    names = [r["name"] for r in descriptor["resources"]]
    assert names == [n for t in TABLES for n in (t, f"{t}-parquet")] + ["id_changes"]
    for resource in descriptor["resources"]:
        data = (second / resource["path"]).read_bytes()
        assert resource["bytes"] == len(data) and resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
    claims = next(r for r in descriptor["resources"] if r["name"] == "claims")
    assert {f["name"]: f["type"] for f in claims["schema"]["fields"]}["fragments"] == "array"
    made = descriptor["newsledger"]
    assert made["pipeline_version"] == pipeline_version() and made["articles"] == len(SECOND) and made["text"] == "excerpt"
    assert made["first_published"] <= made["last_published"] and "news articles" in descriptor["sources"][0]["title"]
    articles = next(r for r in descriptor["resources"] if r["name"] == "articles")
    assert {lic["name"] for lic in articles["licenses"]} > {lic["name"] for lic in descriptor["licenses"]}  # texts licensed apart


def test_a_release_frictionless_finds_invalid_is_refused_and_leaves_nothing(releases, monkeypatch):
    from flows.release import datapackage

    output, _, _ = releases
    real = datapackage._file
    monkeypatch.setattr(datapackage, "_file", lambda folder, rel: {**real(folder, rel), "hash": "sha256:" + "0" * 64})
    with pytest.raises(ReleaseError, match="not valid"):
        build_release(output, version="9.9.9")
    assert not (output / "releases" / "9.9.9").exists() and not list((output / "releases").glob(".building-*"))


def test_the_second_release_names_the_ids_it_added(releases):
    _, first, second = releases
    old = set(pd.read_parquet(first / "parquet" / "articles.parquet")["article_id"])
    new = set(pd.read_parquet(second / "parquet" / "articles.parquet")["article_id"])
    listed = pd.read_csv(second / "id_changes.csv", dtype=str, keep_default_na=False)
    added = set(listed[(listed["table"] == "articles") & (listed["change"] == "added")]["new_id"])
    assert added == new - old and len(added) == 2
    log = (second / "CHANGELOG.md").read_text()
    assert all(f"`{a}`" in log for a in added)
    assert list(pd.read_csv(first / "id_changes.csv").columns) == ["table", "change", "old_id", "new_id"]  # none yet: a header


def test_a_release_carries_only_the_cited_stretches_of_the_texts(releases):
    output, _, second = releases
    full = {a["article_id"]: a["text"] for a in parquet(output, "articles").to_pylist()}
    released = pd.read_parquet(second / "parquet" / "articles.parquet")
    kept = 0
    for _, a in released.iterrows():
        assert a["text_scope"] == "excerpt"
        kept += sum(e - s for s, e in a["excerpt_spans"])
        pieces = a["text"].split("\n[…]\n")
        assert pieces == [full[a["article_id"]][s:e] for s, e in a["excerpt_spans"]]
    assert kept < sum(len(t) for t in full.values())  # uncited stretches are left out
    claims = pd.read_parquet(second / "parquet" / "claims.parquet")
    for _, c in claims.iterrows():  # offsets still point into the full text
        assert full[c["article_id"]][c["start_char"] : c["end_char"]] == c["claim_text"]


def test_accuracy_report_scores_the_gold_samples(releases):
    _, _, second = releases
    scores = json.loads((second / "accuracy.json").read_text())
    assert scores["articles"] == 4
    assert scores["metrics"]["people_f1"] >= 0.8 and scores["metrics"]["claims_recall"] >= 0.6


def test_release_command(releases, capsys, tmp_path):
    output, _, _ = releases
    assert main(["release", "--output", str(output)]) == 1  # nothing changed
    assert "nothing changed" in capsys.readouterr().err
    assert main(["release", "--output", str(output), "--version", "1.1.1"]) == 0
    assert (output / "releases" / "1.1.1" / "newsledger-1.1.1.zip").exists()
    about = tmp_path / "about.yaml"
    about.write_text("title: Harbour disputes\ndoi: 10.5281/zenodo.123\ncorpus: five invented wire stories\n", encoding="utf-8")
    assert main(["release", "--output", str(output), "--version", "1.1.2", "--text", "none", "--about", str(about)]) == 0
    folder = output / "releases" / "1.1.2"
    articles = pd.read_parquet(folder / "parquet" / "articles.parquet")
    assert articles["text"].isna().all() and set(articles["text_scope"]) == {"none"}
    assert "doi: 10.5281/zenodo.123" in (folder / "CITATION.cff").read_text()
    descriptor = json.loads((folder / "datapackage.json").read_text())
    assert descriptor["title"] == "Harbour disputes" and descriptor["id"] == "https://doi.org/10.5281/zenodo.123"
    assert descriptor["sources"][0]["title"] == "five invented wire stories"
    assert main(["release", "--output", str(output), "--version", "1.1.3", "--text", "full"]) == 0
    assert "do not publish" in capsys.readouterr().err
    full = pd.read_parquet(output / "releases" / "1.1.3" / "parquet" / "articles.parquet")
    assert set(full["text_scope"]) == {"full"} and full["text"].str.len().tolist() == full["n_chars"].tolist()
    bad = tmp_path / "bad.yaml"
    bad.write_text("titel: typo\n", encoding="utf-8")
    assert main(["release", "--output", str(output), "--version", "1.1.4", "--about", str(bad)]) == 1
    assert "titel" in capsys.readouterr().err


def test_example_notebook_runs_on_a_release(releases):
    import nbformat
    from nbclient import NotebookClient

    _, _, second = releases
    notebook = nbformat.read(ROOT / "examples" / "explore.ipynb", as_version=4)
    os.environ["NEWSLEDGER_DATA"] = str(second)
    try:
        NotebookClient(notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(ROOT / "examples")}}).execute()
    finally:
        del os.environ["NEWSLEDGER_DATA"]
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    assert sum("image/png" in o.get("data", {}) for o in outputs) >= 3  # events by year, who is quoted over time, the network
    shown = [o.get("data", {}).get("text/plain", "") for o in outputs]
    assert any("source" in t and "target" in t and "events" in t for t in shown)  # the speaker → target edges
    assert any("events dated to a month or finer" in o.get("text", "") for o in outputs)


def test_example_notebook_finds_the_output_folder_from_a_folder_inside_the_project(releases, tmp_path):
    import nbformat
    from nbclient import NotebookClient

    _, _, second = releases
    project = tmp_path / "project"
    (project / "notes" / "drafts").mkdir(parents=True)
    (project / "output").symlink_to(second, target_is_directory=True)
    notebook = nbformat.read(ROOT / "examples" / "explore.ipynb", as_version=4)
    os.environ.pop("NEWSLEDGER_DATA", None)
    here = {"metadata": {"path": str(project / "notes" / "drafts")}}  # the notebook started two folders below the project
    NotebookClient(notebook, timeout=120, kernel_name="python3", resources=here).execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]


def test_accuracy_report_gives_meantime_scores_with_intervals_once_per_version(releases):
    output, first, second = releases
    scores = json.loads((second / "accuracy.json").read_text())["meantime"]
    from flows.tables.archive import pipeline_version

    assert scores["pipeline_version"] == pipeline_version()
    for figure in ("person_mentions_f1", "date_values_exact", "event_dates_exact", "people_across_articles_b3_f1"):
        s = scores["scores"][figure]
        assert 0.0 <= s["low"] <= s["value"] <= s["high"] <= 1.0 and s["items"] > 0 and s["articles"] == 120
    page = (second / "ACCURACY.md").read_text()
    assert "MEANTIME" in page and "CC BY 4.0" in page and "95 % interval" in page and pipeline_version() in page
    assert json.loads((first / "accuracy.json").read_text())["meantime"] == scores  # measured once, reused
    assert len(list((output / ".cache" / "accuracy").glob("meantime-*.json"))) == 1
