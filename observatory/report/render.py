"""Render every chart of a release folder to <out_dir>/<sujet>.svg, .png and .csv, plus graphiques.json."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from observatory.report import charts_dpd, charts_opsn, maps
from observatory.report.figure import Figure
from observatory.report.release_data import ReleaseData, load_release
from observatory.report.style import PNG_SCALE, to_spec
from observatory.report.vl_process import ChartProcess

MANIFEST = "graphiques.json"
# Light enough to travel in an event's metadata.
PREVIEW_SCALE = 0.6
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
    preview: tuple[str, Path] | None = None,
) -> list[dict]:
    """Write the charts of the release in `release_dir` into `out_dir`; return the manifest entries.
    `preview` (sujet, path): also a small PNG of that chart (PREVIEW_SCALE), for an event's metadata.

    Two child processes (vl_process.py) render while this one builds: one draws each SVG as soon as its spec
    is built, the other rasterises each PNG as soon as its SVG is drawn, helped from the last chart backwards
    by the first one once it has drawn every SVG."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="graphiques-") as work, _children(Path(work)) as (drawer, rasteriser):
        claims = Path(work) / "png"
        claims.mkdir()
        release = load_release(release_dir)
        figures = []
        for builder in BUILDERS:
            figure = builder(release)
            if figure is None or (only and figure.sujet not in only):
                continue
            drawer.draw(to_spec(figure.chart, figure.datasets), out / f"{figure.sujet}.svg")
            figures.append(figure)
        pairs = [(out / f"{f.sujet}.svg", out / f"{f.sujet}.png") for f in figures]
        drawer.rasterise_backwards(pairs, PNG_SCALE, claims)
        for figure in figures:
            figure.table.to_csv(out / f"{figure.sujet}.csv", index=False, lineterminator="\n")
        drawn = drawer.results()
        for rank, (svg_path, png_path) in enumerate(pairs):
            next(drawn)
            rasteriser.rasterise(svg_path, png_path, PNG_SCALE, rank, claims)
        if preview and preview[0] in [f.sujet for f in figures]:
            rasteriser.rasterise(out / f"{preview[0]}.svg", Path(preview[1]), PREVIEW_SCALE)
        for _ in rasteriser.results():
            pass
        for _ in drawn:
            pass
    if progress:
        for figure in figures:
            progress(f"graphique : {figure.sujet}")
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


@contextmanager
def _children(workdir: Path) -> Iterator[tuple[ChartProcess, ChartProcess]]:
    """The drawing child first: its JavaScript engine warms while the figures are built."""
    children = [ChartProcess(workdir, warm=True), ChartProcess(workdir, warm=False)]
    try:
        yield children[0], children[1]
    except BaseException:
        for child in children:
            child.close(kill=True)
        raise
    for child in children:
        child.close()
