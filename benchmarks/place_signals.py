"""Corpus-scale signals of place resolution where no place gold exists (`make eval` on PolNeAR).

Counts only, never a name: the share of GPE mentions that get a place row (over all articles and
over the first 84, the size of the issue's sample), the rules that chose them, how many events get
a country code, and the disputed rows. Whether the chosen places are right is read by hand on a
sample (`python -m benchmarks.place_signals OUTPUT --sample 100` prints one, to read, not to keep).
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path
from typing import Any

import pandas as pd

SAMPLE_ARTICLES = 84


def place_signals(out: Path) -> dict[str, Any]:
    base = out / "parquet"
    mentions = pd.read_parquet(base / "mentions.parquet")
    events = pd.read_parquet(base / "events.parquet")
    places = pd.read_parquet(base / "places.parquet")
    gpe = mentions[mentions["kind"] == "GPE"]
    first = sorted(gpe["article_id"].unique())[:SAMPLE_ARTICLES]
    in_first = gpe[gpe["article_id"].isin(first)]
    return {
        "gpe_mentions": len(gpe),
        "gpe_with_place": round(gpe["place_id"].notna().mean(), 3) if len(gpe) else 0.0,
        "gpe_with_place_84": round(in_first["place_id"].notna().mean(), 3) if len(in_first) else 0.0,
        "place_rules": mentions["place_rule"].dropna().value_counts().to_dict(),
        "events_with_country": round(events["country_code"].notna().mean(), 3) if len(events) else 0.0,
        "places": len(places),
        "disputed_places": int(places["disputed"].sum()),
        "metonyms": int(mentions["metonym"].fillna(False).astype(bool).sum()),
    }


def sample(out: Path, n: int, seed: int = 1) -> list[str]:
    """n resolved GPE mentions with their sentence offsets' words, to judge by hand."""
    base = out / "parquet"
    mentions = pd.read_parquet(base / "mentions.parquet")
    places = pd.read_parquet(base / "places.parquet").set_index("place_id")
    texts = pd.read_parquet(base / "articles.parquet").set_index("article_id")["text"]
    resolved = mentions[(mentions["kind"] == "GPE") & mentions["place_id"].notna()]
    rows = resolved.sample(min(n, len(resolved)), random_state=random.Random(seed).randrange(2**31))
    lines = []
    for _, m in rows.iterrows():
        p = places.loc[m["place_id"]]
        around = texts[m["article_id"]][max(0, m["start_char"] - 60) : m["end_char"] + 60].replace("\n", " ")
        lines.append(f"{m['text']!r} → {p['name']} ({p['kind']}, {p['country_code']}, {p['admin1_code']}) {m['place_rule']} | {around}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("--sample", type=int, default=0)
    args = parser.parse_args()
    print(place_signals(args.output))
    for line in sample(args.output, args.sample):
        print(line)


if __name__ == "__main__":
    main()
