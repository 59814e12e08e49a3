"""index.html of a release: counts, a timeline and a map of events, events per country, top speakers,
links to every file."""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd


def timeline_png(events: pd.DataFrame, path: Path) -> None:
    """Events per month, by event type (matplotlib, no display needed)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(9, 3.5), dpi=100)
    dated = events.dropna(subset=["date_start"])
    if len(dated):
        months = pd.to_datetime(dated["date_start"]).dt.to_period("M").dt.to_timestamp()
        counts = pd.crosstab(months, dated["event_type"])
        counts.plot(ax=ax, kind="bar", stacked=True, width=0.8, colormap="tab20")
        ax.set_xticklabels([d.strftime("%Y-%m") for d in counts.index], rotation=90, fontsize=7)
        ax.legend(fontsize=7, ncol=2)
    else:
        ax.text(0.5, 0.5, "no dated events", ha="center", va="center")
    ax.set_title("Events by month of their start date")
    ax.set_ylabel("events")
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


def render(version: str, tables: dict[str, pd.DataFrame], files: list[str]) -> str:
    counts = "".join(f"<tr><td>{html.escape(n)}</td><td>{len(t)}</td></tr>" for n, t in tables.items())
    speakers = tables["claims"]["speaker_name"].dropna().value_counts().head(10)
    top = "".join(f"<tr><td>{html.escape(str(name))}</td><td>{n}</td></tr>" for name, n in speakers.items())
    links = "".join(f'<li><a href="{html.escape(f)}">{html.escape(f)}</a></li>' for f in files)
    per_country = tables["events"]["country_code"].dropna().value_counts().head(15)
    countries = "".join(f"<tr><td>{html.escape(str(code))}</td><td>{n}</td></tr>" for code, n in per_country.items())
    return f"""<!doctype html>
<html lang="en"><meta charset="utf-8"><title>newsledger {html.escape(version)}</title>
<style>body{{font-family:sans-serif;max-width:60em;margin:2em auto}}td{{padding:2px 10px}}</style>
<h1>newsledger release {html.escape(version)}</h1>
<p>Read <a href="CODEBOOK.md">the codebook</a> first. Checks: <a href="reports/validation.html">validation report</a>,
<a href="ACCURACY.md">accuracy on the annotated samples</a>. What changed: <a href="CHANGELOG.md">changelog</a>.
Cite with <a href="CITATION.cff">CITATION.cff</a>; verify downloads with <a href="SHA256SUMS">SHA256SUMS</a>.</p>
<h2>Rows per table</h2><table>{counts}</table>
<h2>Events over time</h2><img src="timeline.png" alt="events per month by type">
<h2>Events by place</h2><img src="map.png" alt="map of events, points sized by count">
<table><tr><th>country (ISO alpha-3, see the codebook's disputed policy)</th><th>events</th></tr>{countries}</table>
<h2>Top speakers</h2><table><tr><th>speaker</th><th>claims</th></tr>{top}</table>
<h2>Files</h2><ul>{links}</ul>
</html>
"""
