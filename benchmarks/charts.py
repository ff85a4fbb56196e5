"""What publish__graphiques costs on a published release: wall and CPU in total, and per chart (--detail).

    PYTHONPATH=. .venv/bin/python benchmarks/charts.py exports/<version> [--out DIR] [--runs 3] [--detail]

Each run is a fresh process that imports the asset module (as Dagster does before any step: not
counted, printed apart), then times what the asset does: render_charts, then the preview PNG. The
first vl-convert call, which warms its JavaScript engine, is part of the step. CPU counts the process
and its children (the rendering processes). The release folder is only read; the charts go to --out
(default: a temporary folder). Figures are medians over --runs runs.

--detail: one chart after the other in one process, with the rendering processes' font configuration:
per chart, the build (pandas + spec), the SVG and the PNG, each in CPU seconds; the first SVG includes
the JavaScript engine's warm-up.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

_CHILD = r"""
import inspect, json, resource, sys, tempfile, time
from pathlib import Path
def cpu():
    a, b = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return a.ru_utime + a.ru_stime + b.ru_utime + b.ru_stime
t = time.perf_counter()
import observatory.report.render as render
from assets.report import PREVIEW_CHART
imported = time.perf_counter() - t
wall0, cpu0 = time.perf_counter(), cpu()
if "preview" in inspect.signature(render.render_charts).parameters:
    # The preview PNG is drawn by a rendering process, with the charts.
    render.render_charts(sys.argv[1], sys.argv[2], preview=(PREVIEW_CHART, Path(tempfile.mkdtemp()) / "p.png"))
    preview = None
else:
    render.render_charts(sys.argv[1], sys.argv[2])
    t = time.perf_counter()
    render.preview_png(Path(sys.argv[2]) / f"{PREVIEW_CHART}.svg")
    preview = time.perf_counter() - t
wall, total_cpu = time.perf_counter() - wall0, cpu() - cpu0
print(json.dumps({"wall": wall, "cpu": total_cpu, "import": imported, "preview": preview}))
"""

_DETAIL = r"""
import json, os, sys, tempfile, time
from pathlib import Path
from observatory.report.vl_process import FONTCONFIG, OPTIONS
folder = tempfile.mkdtemp()
Path(folder, "fonts.conf").write_text(FONTCONFIG.format(folder=folder))
os.environ["FONTCONFIG_FILE"] = str(Path(folder, "fonts.conf"))  # before vl-convert's first font lookup
import vl_convert as vlc
from observatory.report.release_data import load_release
from observatory.report.render import BUILDERS
from observatory.report.style import PNG_SCALE, to_spec
release = load_release(sys.argv[1])
rows = {}
for builder in BUILDERS:
    t = time.process_time()
    figure = builder(release)
    if figure is None:
        continue
    spec = to_spec(figure.chart, figure.datasets)
    t1 = time.process_time()
    svg = vlc.vegalite_to_svg(spec, **OPTIONS)
    t2 = time.process_time()
    vlc.svg_to_png(svg, scale=PNG_SCALE)
    rows[figure.sujet] = [t1 - t, t2 - t1, time.process_time() - t2]
print(json.dumps(rows))
"""


def run_once(release: Path, out: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(release), str(out)], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def detail(release: Path, runs: int) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    results = []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-c", _DETAIL, str(release)], env=env, capture_output=True, text=True, check=True
        )
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    print(f"  {'graphique (CPU, s)':28s} build   svg   png")
    totals = [0.0, 0.0, 0.0]
    for name in results[0]:
        row = [statistics.median(r[name][i] for r in results) for i in range(3)]
        totals = [a + b for a, b in zip(totals, row, strict=True)]
        print(f"  {name:28s} {row[0]:5.2f} {row[1]:5.2f} {row[2]:5.2f}")
    print(f"  {'total':28s} {totals[0]:5.2f} {totals[1]:5.2f} {totals[2]:5.2f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("release", type=Path)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--detail", action="store_true", help="CPU per chart: build, SVG, PNG")
    args = parser.parse_args(argv)
    print(f"charge : {os.getloadavg()[0]:.2f} (moyenne 1 min, {os.cpu_count()} cœurs)")
    if args.detail:
        detail(args.release, args.runs)
        return 0
    with tempfile.TemporaryDirectory() as scratch:
        out = args.out or Path(scratch) / "tableau-de-bord"
        runs = [run_once(args.release, out) for _ in range(args.runs)]
    median = {key: statistics.median(r[key] for r in runs) for key in ("wall", "cpu", "import")}
    print(f"  {'(import, hors étape)':28s} {median['import']:5.2f} s")
    if runs[0]["preview"] is not None:
        print(f"  {'dont aperçu (preview_png)':28s} {statistics.median(r['preview'] for r in runs):5.2f} s")
    walls = ", ".join(f"{r['wall']:.2f}" for r in runs)
    print(f"total : {median['wall']:.2f} s mur ({walls}), {median['cpu']:.2f} s CPU (médianes de {len(runs)})")
    print(f"charge : {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
