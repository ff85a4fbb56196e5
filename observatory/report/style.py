"""What every chart shares: French title and subtitle, the source line, the demonstration mention, the
configuration of the Vega-Lite spec (rendered offline by render.py)."""

from __future__ import annotations

from observatory.report import vl
from observatory.report.release_data import ReleaseData

FONT = "Liberation Sans, Arial, Helvetica, sans-serif"
DEMO_MENTION = "Données de démonstration : ne pas citer ces chiffres"
PNG_SCALE = 2
WIDTH = 640
# Sequential scale for shares (0–100 %): colour-blind safe and readable in greyscale print.
SHARE_SCHEME = "blues"
PRIMARY = "#1f4e8c"
SECONDARY = "#e07b24"
DEMO_COLOR = "#b00020"

# Altair used to add the continuous view size: kept, so that the specs (and the charts) stay the same.
CONFIG = {
    "font": FONT,
    "background": "white",
    "view": {"continuousWidth": 300, "continuousHeight": 300, "stroke": "transparent"},
    "title": {"anchor": "start", "fontSize": 16, "subtitleFontSize": 12, "subtitleColor": "#444", "offset": 10},
    "axis": {"labelFontSize": 11, "titleFontSize": 12, "labelLimit": 260},
    "legend": {"labelFontSize": 11, "titleFontSize": 12, "labelLimit": 260},
}


def footer(release: ReleaseData, width: int = WIDTH) -> dict:
    """The source line, and the demonstration mention in red when the release is built on demonstration data."""
    lines = [(release.source_line, "#555555", "normal")]
    if release.demonstration:
        lines.append((DEMO_MENTION, DEMO_COLOR, "bold"))
    marks = [
        vl.chart(
            {"values": [{"ligne": text}]},
            vl.mark("text", align="left", baseline="top", fontSize=11, color=color, fontWeight=weight, dy=16 * rank),
            {"text": vl.field("ligne:N"), "x": {"value": 0}, "y": {"value": 0}},
        )
        for rank, (text, color, weight) in enumerate(lines)
    ]
    return vl.layer(*marks, width=width, height=16 * len(lines))


def decorate(chart: dict, release: ReleaseData, title: str, subtitle: str | list[str] = "", width: int = WIDTH) -> dict:
    lines = [subtitle] if isinstance(subtitle, str) else list(subtitle)
    if release.demonstration:
        lines = [f"{DEMO_MENTION}.", *lines]
    heading = {"text": title, "subtitle": [line for line in lines if line]}
    return vl.vconcat(chart, footer(release, width), spacing=14, title=heading)


def to_spec(chart: dict, datasets: dict[str, list] | None = None) -> dict:
    """The whole Vega-Lite spec of a figure: its chart, the shared configuration and its named datasets."""
    spec = {"$schema": vl.SCHEMA, **chart, "config": CONFIG}
    if datasets:
        spec["datasets"] = datasets
    return spec
