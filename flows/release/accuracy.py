"""How far to trust each table: the pipeline's scores on the gold-annotated sample articles in gold/."""

from __future__ import annotations

import importlib.util
import json
import tempfile
from pathlib import Path
from typing import Any

GOLD_DIR = Path(__file__).resolve().parents[2] / "gold"
SCORER = Path(__file__).resolve().parents[2] / "tools" / "score.py"

EXPLAINED = {
    "people_recall": "share of annotated people found",
    "people_precision": "share of people rows that are annotated people",
    "people_f1": "harmonic mean of the two",
    "people_split": "annotated people split over several rows (should be 0)",
    "people_not_people": "places or organisations listed as people (should be 0)",
    "claims_recall": "share of annotated claims found",
    "claims_attribution": "share of found claims attributed to the right speaker",
    "claims_precision": "share of claim rows that match an annotated claim",
    "events_recall": "share of annotated events found",
    "events_dated_recall": "share of annotated events found with the right date at the right precision",
    "events_precision": "share of event rows in annotated event sentences",
    "published_dates": "articles whose published date is right",
    "boilerplate_leaks": "page boilerplate that reached the claims (should be 0)",
}


def _scorer() -> Any:
    spec = importlib.util.spec_from_file_location("newsledger_score", SCORER)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load the scorer {SCORER}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def measure(gold_dir: Path = GOLD_DIR) -> dict[str, Any]:
    """Run the flow on gold/articles and score it against gold/*.json."""
    from flows.pipeline import build_dataset

    golds: list[dict] = []
    for path in sorted(gold_dir.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        golds += data if isinstance(data, list) else [data]
    with tempfile.TemporaryDirectory() as tmp:
        build_dataset(gold_dir / "articles", Path(tmp))
        report = _scorer().score(tmp, golds)
    return {"articles": len(golds), "metrics": report["metrics"]}


def render(result: dict[str, Any]) -> str:
    lines = [
        "## On the hand-made samples",
        "",
        f"Scores of this version of the pipeline on the {result['articles']} hand-annotated sample articles kept in",
        "`gold/` of the repository (the same scorer is used on articles the developers never see).",
        "Small samples: read these as a floor check, not as a population estimate.",
        "",
        "| metric | value | meaning |",
        "|---|---|---|",
    ]
    for key, value in result["metrics"].items():
        lines.append(f"| `{key}` | {value} | {EXPLAINED.get(key, '')} |")
    return "\n".join(lines) + "\n"
