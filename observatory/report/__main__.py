"""python -m observatory.report exports/<version> [--out DIR] [--graphique SUJET ...]"""

import argparse
import sys
import time
from pathlib import Path

from observatory.report.dashboard import render_dashboard
from observatory.report.render import render_charts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m observatory.report", description="Graphiques et tableau de bord d'une version publiée."
    )
    parser.add_argument("version_dir", type=Path, help="dossier d'une version, ex. exports/2026-11-02-1a2b3c4d")
    parser.add_argument("--out", type=Path, help="dossier de sortie (défaut : <version>/tableau-de-bord)")
    parser.add_argument(
        "--graphique",
        nargs="*",
        metavar="SUJET",
        help="ne refaire que ces graphiques (ex. carte-couverture), sans la page",
    )
    args = parser.parse_args(argv)
    out = args.out or args.version_dir / "tableau-de-bord"
    start = time.perf_counter()
    entries = render_charts(args.version_dir, out, progress=print, only=args.graphique or None)
    print(f"{len(entries)} graphique(s) en {time.perf_counter() - start:.1f} s dans {out}")
    if not args.graphique:
        page = render_dashboard(args.version_dir, out)
        print(
            f"Tableau de bord : {page} ({page.stat().st_size / 1024:.0f} Ko), total {time.perf_counter() - start:.1f} s"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
