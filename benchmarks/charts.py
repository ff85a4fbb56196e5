"""What publish__graphiques costs on a published release: wall and CPU, per chart and in total.

    PYTHONPATH=. .venv/bin/python benchmarks/charts.py exports/<version> [--out DIR] [--runs 3]

Each run is a fresh process that imports the asset module (as Dagster does before any step: not
counted, printed apart), then times what the asset does: render_charts, then the preview PNG. The
first vl-convert call, which warms its JavaScript engine, is part of the step. CPU counts the process
and its children (a rendering pool, if any). The release folder is only read; the
charts go to --out (default: a temporary folder). Figures are medians over --runs runs; the per-chart
times are the gaps between two progress lines, so they include the chart's build, SVG, PNG and CSV.
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
import json, resource, sys, time
def cpu():
    a, b = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return a.ru_utime + a.ru_stime + b.ru_utime + b.ru_stime
t = time.perf_counter()
from assets.report import PREVIEW_CHART
from observatory.report.render import preview_png, render_charts
imported = time.perf_counter() - t
wall0, cpu0 = time.perf_counter(), cpu()
marks = []
render_charts(sys.argv[1], sys.argv[2], progress=lambda line: marks.append((line.split(" : ", 1)[-1], time.perf_counter())))
out = __import__("pathlib").Path(sys.argv[2])
t = time.perf_counter()
preview_png(out / f"{PREVIEW_CHART}.svg")
preview = time.perf_counter() - t
wall, total_cpu = time.perf_counter() - wall0, cpu() - cpu0
charts, previous = {}, wall0
for name, at in marks:
    charts[name], previous = at - previous, at
print(json.dumps({"wall": wall, "cpu": total_cpu, "import": imported, "preview": preview, "charts": charts}))
"""


def run_once(release: Path, out: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(release), str(out)], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("release", type=Path)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    print(f"charge : {os.getloadavg()[0]:.2f} (moyenne 1 min, {os.cpu_count()} cœurs)")
    with tempfile.TemporaryDirectory() as scratch:
        out = args.out or Path(scratch) / "tableau-de-bord"
        runs = [run_once(args.release, out) for _ in range(args.runs)]
    median = {key: statistics.median(r[key] for r in runs) for key in ("wall", "cpu", "import", "preview")}
    for name in runs[0]["charts"]:
        print(f"  {name:28s} {statistics.median(r['charts'][name] for r in runs):5.2f} s")
    print(f"  {'(import, hors étape)':28s} {median['import']:5.2f} s")
    print(f"  {'aperçu (preview_png)':28s} {median['preview']:5.2f} s")
    walls = ", ".join(f"{r['wall']:.2f}" for r in runs)
    print(f"total : {median['wall']:.2f} s mur ({walls}), {median['cpu']:.2f} s CPU (médianes de {len(runs)})")
    print(f"charge : {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
