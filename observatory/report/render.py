"""Render every chart of a release folder to <out_dir>/<sujet>.svg, .png and .csv, plus graphiques.json."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from observatory.report import charts_dpd, charts_opsn, maps
from observatory.report.figure import Figure
from observatory.report.release_data import ReleaseData, load_release
from observatory.report.style import PNG_SCALE, to_spec
from observatory.report.vl_process import ChartProcess, rasterise

MANIFEST = "graphiques.json"
# PNGs the child rasterises after its SVGs: the last ones, whose SVGs it finishes last (see benchmarks/charts.py).
CHILD_PNGS = 2
# Dashboard order. A builder may return None when its data does not exist yet (history of one release).
BUILDERS: list[Callable[[ReleaseData], Figure | None]] = [
    maps.coverage_map,
    maps.dpd_map,
    maps.territories_map,
    charts_dpd.dpd_by_stratum,
    charts_dpd.dpd_since_2018,
    charts_opsn.legal_forms,
    charts_opsn.members_per_opsn,
    charts_opsn.services,
    charts_opsn.deduplication,
    charts_dpd.history,
]


def build_figures(release: ReleaseData) -> list[Figure]:
    return [figure for builder in BUILDERS if (figure := builder(release)) is not None]


def render_charts(
    release_dir: Path | str,
    out_dir: Path | str,
    *,
    progress: Callable[[str], None] | None = None,
    only: list[str] | None = None,
) -> list[dict]:
    """Write the charts of the release in `release_dir` into `out_dir`; return the manifest entries.

    A child process draws the SVGs while this one builds the next figures, then both rasterise the PNGs:
    this one from the first chart on, the child the last CHILD_PNGS ones, once its SVGs are done."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with ChartProcess() as child:
        release = load_release(release_dir)
        figures = []
        for builder in BUILDERS:
            figure = builder(release)
            if figure is None or (only and figure.sujet not in only):
                continue
            child.draw(to_spec(figure.chart, figure.datasets), out / f"{figure.sujet}.svg")
            figures.append(figure)
        split = max(len(figures) - CHILD_PNGS, 0)
        for figure in figures[split:]:
            child.rasterise(out / f"{figure.sujet}.svg", out / f"{figure.sujet}.png", PNG_SCALE)
        for figure in figures:
            figure.table.to_csv(out / f"{figure.sujet}.csv", index=False, lineterminator="\n")
        finished = child.results()
        for rank, figure in enumerate(figures):
            svg_path = Path(next(finished))
            if rank < split:
                (out / f"{figure.sujet}.png").write_bytes(rasterise(svg_path.read_text(encoding="utf-8"), PNG_SCALE))
                _report(progress, figure)
        for figure in figures[split:]:
            next(finished)
            _report(progress, figure)
    entries = [
        {
            "sujet": figure.sujet,
            "titre": figure.titre,
            "alt": figure.alt,
            "fichiers": [f"{figure.sujet}.svg", f"{figure.sujet}.png", f"{figure.sujet}.csv"],
        }
        for figure in figures
    ]
    if not only:
        manifest = {"version": release.version, "demonstration": release.demonstration, "graphiques": entries}
        text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
        (out / MANIFEST).write_text(text, encoding="utf-8")
    return entries


def _report(progress: Callable[[str], None] | None, figure: Figure) -> None:
    if progress:
        progress(f"graphique : {figure.sujet}")


def preview_png(svg_path: Path, scale: float = 0.6) -> bytes:
    """A small PNG of a rendered chart, light enough to travel in an event's metadata."""
    import vl_convert as vlc

    return vlc.svg_to_png(Path(svg_path).read_text(encoding="utf-8"), scale=scale)
