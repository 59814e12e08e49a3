"""`make eval`: run the pipeline on real annotated corpora, score it, print one scorecard.

usage: python -m benchmarks.evaluate [--limit N] [--only NAME ...] [--corpora DIR] [--work DIR] [--processes N]
                                    [--without-rule NAME ...]

For each corpus of benchmarks/corpora.yaml found in the corpora folder (default ../shared/corpora,
or $NEWSLEDGER_CORPORA): write its articles as raw files, run `newsledger run` on them, score the
output with the scorers of ../shared/eval, and add the figures to the scorecard. The gold/ samples
are always scored. The scorecard is printed, written to WORK/scorecard.json, and compared with the
previous one there (differences are printed). Without the corpora folder only gold/ is scored.

`--without-rule NAME` (repeatable) runs everything with that rule switched off, writes
WORK/scorecard-without-NAME.json and prints how it differs from WORK/scorecard.json (all rules
on): what the rule contributes on real news.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import yaml

from benchmarks.people_signals import people_signals
from benchmarks.place_signals import place_signals

ROOT = Path(__file__).resolve().parent.parent
CORPORA = Path(os.environ.get("NEWSLEDGER_CORPORA", ROOT.parent / "shared" / "corpora"))
SUITE = Path(__file__).with_name("corpora.yaml")

# scorer → (script under eval/, extra arguments, the figures kept for the scorecard)
SCORERS: dict[str, tuple[str, list[str], list[str]]] = {
    "quotes": (
        "corpus.py",
        [],
        ["recall_direct", "recall_mixed", "recall_indirect", "recall_all", "attribution_all", "precision", "gold", "predicted"],
    ),
    "timex": ("corpus.py", [], ["gold_dates", "found", "value_exact", "value_lenient"]),
    "persons": ("corpus.py", [], ["person_precision", "person_recall", "person_f1", "gold"]),
    "events": (
        "events/score_meantime.py",
        [],
        [
            "gold_dated_events",
            "dated_trigger_found",
            "date_recall_exact",
            "date_recall_compatible",
            "precision_event_mention",
            "date_precision_on_dated_gold",
            "pred_events",
        ],
    ),
    "people_instance": (
        "people/people_crossdoc.py",
        ["--identity", "instance"],
        ["b3_f1", "b3_f1_last_word", "splits", "wrong_merges", "items"],
    ),
    "people_clusters": (
        "people/people_crossdoc.py",
        ["--exclude-singletons"],
        ["b3_f1", "b3_f1_last_word", "splits", "wrong_merges", "items"],
    ),
}


def parse_key_values(printed: str) -> dict[str, Any]:
    """The last line of `key=value key=value` that a corpus.py scorer prints, as numbers where they are."""
    line = [ln for ln in printed.strip().splitlines() if "=" in ln][-1]
    return {k: _number(v) for k, v in (item.split("=", 1) for item in line.split())}


def crossdoc_figures(result: dict[str, Any]) -> dict[str, Any]:
    """The people-across-articles figures of a people_crossdoc.py JSON report."""
    return {
        "b3_f1": round(result["pipeline"]["b3_mentions"][2], 3),
        "b3_f1_last_word": round(result["baseline_last_word"]["b3_mentions"][2], 3),
        "splits": result["splits"]["gold_ids_split"],
        "wrong_merges": result["merges"]["pred_ids_merging"],
        "items": result["items"],
    }


def _number(text: str) -> Any:
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return text


def dated_only(out: Path, work: Path) -> Path:
    """A copy of the CSV tables without the events that have no date_start (bound:published, none):
    the MEANTIME event scorer of ../shared/eval reads every row's date_start as a date. Event dates
    are scored on dated rows; the undated rows are counted in the scorecard's `rows`."""
    copy = work / "dated-events"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(out / "csv", copy / "csv")
    path = copy / "csv" / "events.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    fields = list(rows[0]) if rows else []
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fields, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(r for r in rows if r["date_start"])
    return copy


def score(scorer: str, eval_dir: Path, corpus: Path, out: Path, work: Path) -> dict[str, Any]:
    script, extra, keep = SCORERS[scorer]
    cmd = [sys.executable, str(eval_dir / script)]
    cmd += [scorer, str(corpus), str(out)] if script == "corpus.py" else [str(corpus)]
    if script.startswith("events/"):
        cmd += ["--out", str(dated_only(out, work))]
    elif script.startswith("people/"):
        report = work / f"{scorer}.json"
        cmd += [str(out), "--json", str(report), *extra]
    printed = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    if script == "corpus.py":
        figures = parse_key_values(printed)
    elif script.startswith("events/"):
        figures = json.loads(printed[printed.index("{") :])
    else:
        figures = crossdoc_figures(json.loads(report.read_text(encoding="utf-8")))
    return {k: figures[k] for k in keep if k in figures}


def run_corpus(entry: dict[str, Any], corpora: Path, work: Path, limit: int | None, processes: int) -> dict[str, Any]:
    """Prepare, run and score one corpus; returns its scorecard entry."""
    eval_dir = corpora.parent / "eval"
    folder = work / entry["name"]
    raw, out = folder / "raw", folder / "out"
    subprocess.run(["rm", "-rf", str(raw)], check=True)
    folder.mkdir(parents=True, exist_ok=True)
    corpus = corpora / entry["file"]
    if limit:  # every scorer then reads the same first N articles
        with corpus.open(encoding="utf-8") as lines:
            head = [line for _, line in zip(range(limit), lines, strict=False)]
        corpus = folder / "corpus.jsonl"
        corpus.write_text("".join(head), encoding="utf-8")
    subprocess.run([sys.executable, str(eval_dir / "corpus.py"), "prepare", str(corpus), str(raw)], check=True, capture_output=True)
    started = time.perf_counter()
    run = [sys.executable, "-m", "flows.cli", "run", "--raw", str(raw), "--output", str(out), "--full", "--processes", str(processes)]
    done = subprocess.run(run, capture_output=True, text=True, cwd=ROOT)
    card: dict[str, Any] = {"seconds": round(time.perf_counter() - started, 1), "published": done.returncode == 0}
    card |= run_figures(done.stdout)
    if done.returncode != 0:
        card["error"] = (done.stderr.strip().splitlines() or ["?"])[-1][:300]
        return card
    for scorer in entry["scorers"]:
        signals = {"people_signals": people_signals, "place_signals": place_signals}
        card[scorer] = signals[scorer](out) if scorer in signals else score(scorer, eval_dir, corpus, out, folder)
        if scorer == "quotes":
            card["quotes_by_cue_family"] = by_cue_family(eval_dir, corpus, out, folder)
            card["quotes_by_shape"] = by_attribution_shape(eval_dir, corpus, out, folder)
    return card


def by_cue_family(eval_dir: Path, corpus: Path, out: Path, work: Path) -> dict[str, Any]:
    """The quotes scorer on each cue family's claims alone: how many there are, their precision
    and the share of all gold attributions they find (the families' recalls overlap little)."""
    import pandas as pd

    claims = pd.read_parquet(out / "parquet" / "claims.parquet")
    found: dict[str, Any] = {}
    for family in sorted(claims["cue_family"].unique()):
        copy = work / "by-family"
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(out / "parquet", copy / "parquet")
        shutil.rmtree(copy / "parquet" / "claims.parquet")  # a folder of parts in output/: one file here
        claims[claims["cue_family"] == family].to_parquet(copy / "parquet" / "claims.parquet")
        figures = score("quotes", eval_dir, corpus, copy, work)
        found[family] = {k: figures[k] for k in ("predicted", "precision", "recall_all", "attribution_all")}
    return found


def is_noun_object(content: Any) -> bool:
    """Is a gold attribution's content (a spaCy Doc of it alone) a noun phrase — "endorsed [the
    senator]", "criticized [the plan for its cost]" — rather than a proposition ("said [the plan
    failed]", "vowed [to appeal]")? Its root is no verb, nor an adjective with a subject of its own."""
    root = next((t for t in content if t.dep_ == "ROOT"), None)
    if root is None or root.pos_ in {"VERB", "AUX"}:
        return False
    return not (root.pos_ == "ADJ" and any(c.dep_ == "nsubj" for c in root.children))


def by_attribution_shape(eval_dir: Path, corpus: Path, out: Path, work: Path) -> dict[str, Any]:
    """Recall and attribution on propositional attributions and on speech acts with a noun object
    (which the events table takes), scoring the same claims against each half of the gold."""
    import spacy

    from flows.annotate import MODEL

    nlp = spacy.load(MODEL, disable=["ner"])  # the pipeline's own model, parsing each gold content alone
    articles = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines() if line.strip()]
    quotes = [q for a in articles for q in a["gold"]["quotes"]]
    contents = nlp.pipe((q["text"].strip(" \"“”'‘’") for q in quotes), batch_size=256)
    shape = {id(q): "noun_object" if is_noun_object(d) else "propositional" for q, d in zip(quotes, contents, strict=True)}
    found: dict[str, Any] = {}
    for name in ("propositional", "noun_object"):
        half = work / f"gold-{name}.jsonl"
        with half.open("w", encoding="utf-8") as lines:
            for a in articles:
                kept = [q for q in a["gold"]["quotes"] if shape[id(q)] == name]
                lines.write(json.dumps(a | {"gold": a["gold"] | {"quotes": kept}}) + "\n")
        figures = score("quotes", eval_dir, half, out, work)
        found[name] = {k: figures[k] for k in ("gold", "recall_all", "recall_indirect", "attribution_all")}
    return found


def run_figures(printed: str) -> dict[str, Any]:
    """Articles, rejects, rows and quarantined rows from the summary `newsledger run` prints."""
    figures: dict[str, Any] = {}
    if found := re.search(r"(\d+) articles read .*?, (\d+) rejected", printed):
        figures["articles"], figures["rejects"] = int(found[1]), int(found[2])
    rows = {m[1]: int(m[2]) for m in re.finditer(r"^\s+(\w+)\s+(\d+) rows$", printed, re.M)}
    if rows:
        figures["rows"] = rows
        moved = sum(int(m[1]) for m in re.finditer(r"^\s+quarantined\s+(\d+) ", printed, re.M))
        figures["quarantined_share"] = round(moved / max(1, sum(v for k, v in rows.items() if k not in {"quarantine", "rejects"})), 4)
    return figures


def gold_card() -> dict[str, Any]:
    """The hand-made samples in gold/, scored as releases do."""
    from flows.release import accuracy
    from flows.runtime import settings

    settings.lean_local_run()
    with settings.local_run():
        return accuracy.measure()["metrics"]


def meantime_card(limit: int | None) -> dict[str, Any]:
    """MEANTIME as shipped in gold/meantime (what releases report), value and interval per figure."""
    from flows.release import accuracy_meantime
    from flows.runtime import settings

    settings.lean_local_run()
    with settings.local_run():
        scores = accuracy_meantime.measure(None, limit)["scores"]
    return {k: f"{s['value']} [{s['low']}, {s['high']}] n={s['items']}" for k, s in scores.items()}


def differences(old: dict[str, Any], new: dict[str, Any], prefix: str = "") -> list[str]:
    """Lines `path: old → new` for every number that changed between two scorecards."""
    lines = []
    for key in sorted(set(old) | set(new)):
        a, b = old.get(key), new.get(key)
        path = f"{prefix}{key}"
        if isinstance(a, dict) or isinstance(b, dict):
            lines += differences(a if isinstance(a, dict) else {}, b if isinstance(b, dict) else {}, path + ".")
        elif a != b and key != "seconds":
            lines.append(f"{path}: {a} → {b}")
    return lines


def render(card: dict[str, Any]) -> str:
    lines = ["# newsledger scorecard", ""]
    for name, entry in card.items():
        if name.startswith("_"):
            continue
        lines.append(f"## {name}")
        for key, value in entry.items():
            if isinstance(value, dict):
                lines.append(f"  {key}: " + ", ".join(f"{k}={v}" for k, v in value.items()))
            else:
                lines.append(f"  {key}: {value}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="first N articles of each corpus (a quick loop)")
    parser.add_argument("--only", nargs="*", help="corpus names from benchmarks/corpora.yaml")
    parser.add_argument("--corpora", type=Path, default=CORPORA)
    parser.add_argument("--work", type=Path, default=ROOT / "output" / "eval")
    parser.add_argument("--processes", type=int, default=-1)
    parser.add_argument("--without-rule", action="append", default=[], metavar="NAME", help="switch a rule off (repeatable)")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    without = sorted(set(args.without_rule))
    if without:
        from flows import rules

        rules.switch_off(without)  # in this process (gold/) and every `newsledger run` it starts
    card: dict[str, Any] = {"_meta": {"limit": args.limit} | ({"without_rules": without} if without else {})}
    if not args.corpora.is_dir():
        print(f"newsledger eval: no corpora folder at {args.corpora} (set NEWSLEDGER_CORPORA); scoring gold/ only")
        card["meantime_shipped"] = meantime_card(args.limit)
    else:
        for entry in yaml.safe_load(SUITE.read_text(encoding="utf-8")):
            if args.only and entry["name"] not in args.only or not (args.corpora / entry["file"]).exists():
                continue
            print(f"newsledger eval: {entry['name']} …", flush=True)
            card[entry["name"]] = run_corpus(entry, args.corpora, args.work, args.limit, args.processes)
    card["gold"] = gold_card()
    print(render(card))
    if without:
        return compare_without(card, args.work, without)
    path = args.work / "scorecard.json"
    if path.exists():
        old = json.loads(path.read_text(encoding="utf-8"))
        if old.get("_meta") == card["_meta"]:  # same --limit: comparable; corpora left out by --only are kept
            changed = differences({k: old.get(k, {}) for k in card}, card)
            print("\n# changes since the last scorecard\n" + ("\n".join(changed) if changed else "none"))
            card = old | card
        path.replace(path.with_name("scorecard.previous.json"))
    path.write_text(json.dumps(card, indent=1, ensure_ascii=False), encoding="utf-8")
    print(f"\nscorecard: {path}")
    return 0


def compare_without(card: dict[str, Any], work: Path, without: list[str]) -> int:
    """Write the scorecard of a run without some rules and print how it differs from all rules on."""
    path = work / f"scorecard-without-{'+'.join(without)}.json"
    path.write_text(json.dumps(card, indent=1, ensure_ascii=False), encoding="utf-8")
    everything = work / "scorecard.json"
    if everything.exists() and json.loads(everything.read_text(encoding="utf-8")).get("_meta") == {"limit": card["_meta"]["limit"]}:
        full = json.loads(everything.read_text(encoding="utf-8"))
        changed = differences({k: full.get(k, {}) for k in card if k != "_meta"}, {k: v for k, v in card.items() if k != "_meta"})
        print(f"\n# all rules → without {', '.join(without)}\n" + ("\n".join(changed) if changed else "no figure changes"))
    else:
        print(f"\n(no comparable {everything} with every rule on: run `make eval` with the same --limit first)")
    print(f"\nscorecard: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
