"""index.html of a release: the corpus and pipeline behind it, its accuracy, counts, a timeline and a
map of events, events per country, top speakers, links to every file."""

from __future__ import annotations

import html
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from flows.release import data_docs

# Events dated more loosely than this are not drawn on the monthly timeline (a year-only date is
# not "January"); the page counts them instead.
MONTHLY = {"day", "week", "month"}


def monthly_events(events: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Events per calendar month (rows) and type (columns) for events dated to a month or finer,
    with every month between the first and the last present (empty months as 0); and how many
    dated events were left out as too coarse (a year, a season, a decade)."""
    dated = events.dropna(subset=["date_start"])
    fine = dated[dated["date_precision"].isin(MONTHLY)]
    if not len(fine):
        return pd.DataFrame(), len(dated)
    months = pd.to_datetime(fine["date_start"]).dt.to_period("M")
    counts = pd.crosstab(months, fine["event_type"])
    every = pd.period_range(counts.index.min(), counts.index.max(), freq="M")
    return counts.reindex(every, fill_value=0), len(dated) - len(fine)


def timeline_png(events: pd.DataFrame, path: Path) -> None:
    """Events per month by type, stacked, on a real time axis (matplotlib, no display needed)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(9, 3.5), dpi=100)
    counts, coarse = monthly_events(events)
    if len(counts):
        starts = counts.index.to_timestamp()
        bottom = pd.Series(0, index=starts)
        colours = plt.get_cmap("tab20")
        for n, kind in enumerate(counts.columns):
            values = pd.Series(counts[kind].to_numpy(), index=starts)
            ax.bar(starts, values, width=25, bottom=bottom, align="edge", label=str(kind), color=colours(n % 20))
            bottom += values
        ax.xaxis_date()
        ax.legend(fontsize=7, ncol=2)
    else:
        ax.text(0.5, 0.5, "no events dated to a month or finer", ha="center", va="center")
    ax.set_title("Events by month of their start date" + (f" ({coarse} dated only to a year or season: not drawn)" if coarse else ""))
    ax.set_ylabel("events")
    fig.autofmt_xdate()
    fig.tight_layout()
    fig.savefig(path, metadata={"Software": None})
    plt.close(fig)


def event_points(events: pd.DataFrame, places: pd.DataFrame) -> pd.DataFrame:
    """Events counted per point: at their place's coordinates, else at their country's (the capital), so an
    event placed only in a region without one point still shows on the map at country level."""
    from flows.places.gazetteer import alpha2, gazetteer

    columns = ["name", "kind", "latitude", "longitude"]
    at = places.set_index("place_id")[columns] if len(places) else pd.DataFrame(columns=columns)
    countries = gazetteer().countries
    rows = []
    for place_id, country in zip(events["place_id"], events["country_code"], strict=True):
        if isinstance(place_id, str) and place_id in at.index and pd.notna(at.at[place_id, "latitude"]):
            level = "country" if at.at[place_id, "kind"] == "country" else "place"
            rows.append((at.at[place_id, "name"], at.at[place_id, "latitude"], at.at[place_id, "longitude"], level))
        elif isinstance(country, str) and (home := countries.get(alpha2(country) or "")) is not None and home.latitude is not None:
            rows.append((home.name, home.latitude, home.longitude, "country"))
    points = pd.DataFrame(rows, columns=["name", "latitude", "longitude", "level"])
    return points.groupby(["name", "latitude", "longitude", "level"], as_index=False).size().rename(columns={"size": "events"})


def map_png(events: pd.DataFrame, places: pd.DataFrame, path: Path) -> None:
    """Events on a world map drawn offline: the land is GeoNames' cities as faint dots, each event point a
    circle sized by its count (hollow where only the country is known)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from flows.places.gazetteer import gazetteer

    land = [
        p
        for found in gazetteer().by_name.values()
        for p in found
        if p.kind == "city" and p.latitude is not None and p.longitude is not None
    ]
    fig, ax = plt.subplots(figsize=(9, 4.6), dpi=100)
    ax.scatter([float(p.longitude or 0) for p in land], [float(p.latitude or 0) for p in land], s=0.4, c="#bbbbbb", linewidths=0)
    points = event_points(events, places)
    for level, face, edge in (("place", "#c0392b", "#c0392b"), ("country", "none", "#2c3e50")):
        shown = points[points["level"] == level]
        sizes = 12 + 18 * shown["events"] ** 0.5
        ax.scatter(shown["longitude"], shown["latitude"], s=sizes, facecolors=face, edgecolors=edge, alpha=0.7, label=f"by {level}")
    for _, top in points.nlargest(8, "events").iterrows():
        ax.annotate(str(top["name"]), (top["longitude"], top["latitude"]), fontsize=6, xytext=(3, 3), textcoords="offset points")
    ax.set_xlim(-180, 180)
    ax.set_ylim(-60, 80)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.legend(fontsize=7, loc="lower left")
    ax.set_title(f"Events by place ({int(points['events'].sum())} of {len(events)} events placed)")
    fig.tight_layout()
    fig.savefig(path, metadata={"Software": None})
    plt.close(fig)


def _rows(pairs: Iterable[tuple[object, object]]) -> str:
    return "".join(f"<tr><td>{html.escape(str(a))}</td><td>{html.escape(str(b))}</td></tr>" for a, b in pairs)


def _accuracy(scores: dict[str, Any]) -> str:
    """Real-corpus figures first (MEANTIME, with intervals), then the hand-made samples."""
    from flows.release.accuracy_meantime import EXPLAINED

    real = "".join(
        f"<tr><td>{html.escape(EXPLAINED.get(k, k))}</td><td>{s['value']}</td><td>{s['low']}–{s['high']}</td><td>{s['articles']}</td></tr>"
        for k, s in scores.get("meantime", {}).get("scores", {}).items()
    )
    samples = _rows(scores.get("metrics", {}).items())
    return (
        "<h3>On real news (MEANTIME, Wikinews, CC BY 4.0)</h3>"
        f"<table><tr><th>figure</th><th>value</th><th>95 % interval</th><th>articles</th></tr>{real}</table>"
        f"<h3>On the {scores.get('articles', 0)} hand-made sample articles</h3><table>{samples}</table>"
    )


def render(version: str, tables: dict[str, pd.DataFrame], files: list[str], package: dict[str, Any], scores: dict[str, Any]) -> str:
    """index.html: what corpus this is, which pipeline made it, how accurate it is, and what is in it."""
    made = package.get("newsledger", {})
    about = [
        ("corpus", package["sources"][0]["title"]),
        ("articles", made.get("articles")),
        ("published", f"{made.get('first_published')} to {made.get('last_published')}"),
        ("outlets", ", ".join(made.get("outlets", [])[:10]) or "not given"),
        ("article texts", f"{made.get('text')} (see text_scope in the codebook; texts belong to their publishers)"),
        ("pipeline version", made.get("pipeline_version")),
        ("code commit", made.get("commit") or "unknown"),
        ("DOI", package.get("id", "none yet (release --about)")),
    ]
    counts = _rows((n, len(t)) for n, t in tables.items())
    speakers = tables["claims"]["speaker_name"].dropna().value_counts().head(10)
    per_country = tables["events"]["country_code"].dropna().value_counts().head(15)
    listed = [f for f in files if not f.startswith(f"reports/{data_docs.SITE}/") or f.endswith(f"{data_docs.SITE}/index.html")]
    links = "".join(f'<li><a href="{html.escape(f)}">{html.escape(f)}</a></li>' for f in listed)
    return f"""<!doctype html>
<html lang="en"><meta charset="utf-8"><title>{html.escape(package["title"])} {html.escape(version)}</title>
<style>body{{font-family:sans-serif;max-width:60em;margin:2em auto}}td{{padding:2px 10px}}</style>
<h1>{html.escape(package["title"])} — release {html.escape(version)}</h1>
<p>{html.escape(package["description"])}</p>
<table>{_rows(about)}</table>
<p>Read <a href="CODEBOOK.md">the codebook</a> first. Checks: <a href="reports/validation.html">validation report</a>
(every check and its severity), Great Expectations' <a href="reports/data-docs/index.html">Data Docs</a> (each check's
result on the whole table, with null shares, ranges and distinct counts) and
<a href="reports/profile.html">column profile</a> (observed null shares and values).
What changed: <a href="CHANGELOG.md">changelog</a> and <a href="id_changes.csv">id_changes.csv</a>.
Cite with <a href="CITATION.cff">CITATION.cff</a>; verify downloads with <a href="SHA256SUMS">SHA256SUMS</a>
or <code>frictionless validate datapackage.json</code>.</p>
<h2>Accuracy</h2>{_accuracy(scores)}<p>Details: <a href="ACCURACY.md">ACCURACY.md</a>.</p>
<h2>Rows per table</h2><table>{counts}</table>
<h2>Events over time</h2><img src="timeline.png" alt="events per month by type, on a time axis">
<h2>Events by place</h2><img src="map.png" alt="map of events, points sized by count">
<table><tr><th>country (ISO alpha-3, see the codebook's disputed policy)</th><th>events</th></tr>{_rows(per_country.items())}</table>
<h2>Top speakers</h2><table><tr><th>speaker</th><th>claims</th></tr>{_rows(speakers.items())}</table>
<h2>Files</h2><ul>{links}</ul>
</html>
"""
