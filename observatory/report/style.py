"""What every chart shares: French title and subtitle, the source line, the demonstration mention, the
offline rendering to SVG and PNG."""

from __future__ import annotations

from pathlib import Path

import altair as alt

from observatory.report.release_data import ReleaseData
from observatory.report.vl_process import draw_svg, rasterise

FONT = "Liberation Sans, Arial, Helvetica, sans-serif"
DEMO_MENTION = "Données de démonstration : ne pas citer ces chiffres"
PNG_SCALE = 2
WIDTH = 640
# Sequential scale for shares (0–100 %): colour-blind safe and readable in greyscale print.
SHARE_SCHEME = "blues"
PRIMARY = "#1f4e8c"
SECONDARY = "#e07b24"
DEMO_COLOR = "#b00020"

CONFIG = {
    "font": FONT,
    "background": "white",
    "view": {"stroke": "transparent"},
    "title": {"anchor": "start", "fontSize": 16, "subtitleFontSize": 12, "subtitleColor": "#444", "offset": 10},
    "axis": {"labelFontSize": 11, "titleFontSize": 12, "labelLimit": 260},
    "legend": {"labelFontSize": 11, "titleFontSize": 12, "labelLimit": 260},
}


def footer(release: ReleaseData, width: int = WIDTH) -> alt.LayerChart:
    """The source line, and the demonstration mention in red when the release is built on demonstration data."""
    lines = [(release.source_line, "#555555", "normal")]
    if release.demonstration:
        lines.append((DEMO_MENTION, DEMO_COLOR, "bold"))
    marks = [
        alt.Chart(alt.Data(values=[{"ligne": text}]))
        .mark_text(align="left", baseline="top", fontSize=11, color=color, fontWeight=weight, dy=16 * rank)
        .encode(text="ligne:N", x=alt.value(0), y=alt.value(0))
        for rank, (text, color, weight) in enumerate(lines)
    ]
    return alt.layer(*marks).properties(width=width, height=16 * len(lines))


def decorate(
    chart: alt.TopLevelMixin, release: ReleaseData, title: str, subtitle: str | list[str] = "", width: int = WIDTH
) -> alt.VConcatChart:
    lines = [subtitle] if isinstance(subtitle, str) else list(subtitle)
    if release.demonstration:
        lines = [f"{DEMO_MENTION}.", *lines]
    heading = alt.TitleParams(text=title, subtitle=[line for line in lines if line])
    return alt.vconcat(chart, footer(release, width), spacing=14).properties(title=heading)


def to_spec(chart: alt.TopLevelMixin, datasets: dict[str, list] | None = None) -> dict:
    spec = chart.to_dict()
    # Altair adds its own `config.view`: merge key by key so that ours (no frame) wins.
    config = dict(spec.get("config", {}))
    for key, value in CONFIG.items():
        config[key] = (
            {**config[key], **value} if isinstance(value, dict) and isinstance(config.get(key), dict) else value
        )
    spec["config"] = config
    if datasets:
        spec["datasets"] = {**spec.get("datasets", {}), **datasets}
    return spec


def render(chart: alt.TopLevelMixin, out_dir: Path, name: str, datasets: dict[str, list] | None = None) -> list[Path]:
    """Write <name>.svg and <name>.png (print resolution). Inline data only: nothing may be fetched."""
    svg = draw_svg(to_spec(chart, datasets))
    png = rasterise(svg, PNG_SCALE)
    svg_path, png_path = out_dir / f"{name}.svg", out_dir / f"{name}.png"
    svg_path.write_text(svg, encoding="utf-8")
    png_path.write_bytes(png)
    return [svg_path, png_path]
