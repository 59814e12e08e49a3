"""index.html of a release: counts, a timeline of events, top speakers, links to every file."""

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


def render(version: str, tables: dict[str, pd.DataFrame], files: list[str]) -> str:
    counts = "".join(f"<tr><td>{html.escape(n)}</td><td>{len(t)}</td></tr>" for n, t in tables.items())
    speakers = tables["claims"]["speaker_name"].dropna().value_counts().head(10)
    top = "".join(f"<tr><td>{html.escape(str(name))}</td><td>{n}</td></tr>" for name, n in speakers.items())
    links = "".join(f'<li><a href="{html.escape(f)}">{html.escape(f)}</a></li>' for f in files)
    return f"""<!doctype html>
<html lang="en"><meta charset="utf-8"><title>newsledger {html.escape(version)}</title>
<style>body{{font-family:sans-serif;max-width:60em;margin:2em auto}}td{{padding:2px 10px}}</style>
<h1>newsledger release {html.escape(version)}</h1>
<p>Read <a href="CODEBOOK.md">the codebook</a> first. Checks: <a href="reports/validation.html">validation report</a>,
<a href="ACCURACY.md">accuracy on the annotated samples</a>. What changed: <a href="CHANGELOG.md">changelog</a>.
Cite with <a href="CITATION.cff">CITATION.cff</a>; verify downloads with <a href="SHA256SUMS">SHA256SUMS</a>.</p>
<h2>Rows per table</h2><table>{counts}</table>
<h2>Events over time</h2><img src="timeline.png" alt="events per month by type">
<h2>Top speakers</h2><table><tr><th>speaker</th><th>claims</th></tr>{top}</table>
<h2>Files</h2><ul>{links}</ul>
</html>
"""
