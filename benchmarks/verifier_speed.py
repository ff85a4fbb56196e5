"""Time `observatory verifier` on a 2,000-row declaration (données de démonstration).

    PYTHONPATH=. python benchmarks/verifier_speed.py [--rows 2000] [--release exports/VERSION]

The declaration is the largest demo OPSN's rows, topped up with rows of the next OPSN
relabelled as its own, so that the file has exactly --rows rows with the demo sources' mess.
Prints the wall time of the whole check (referential loading and report writing included).
"""

from __future__ import annotations

import argparse
import csv
import tempfile
import time
from collections import Counter
from pathlib import Path

from observatory.paths import EMBEDDED_SOURCES_DIR
from observatory.verify import verify_declaration


def build_declaration(target: Path, rows: int) -> str:
    with (EMBEDDED_SOURCES_DIR / "declarations" / "adherents.csv").open(encoding="utf-8") as handle:
        header, *body = list(csv.reader(handle))
    ranked = [siren for siren, _ in Counter(row[0] for row in body).most_common()]
    chosen = [row for row in body if row[0] == ranked[0]][:rows]
    extra = [[ranked[0], *row[1:]] for row in body if row[0] == ranked[1]][: rows - len(chosen)]
    with target.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, *chosen, *extra])
    return ranked[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--release", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-verifier-") as folder:
        declaration = Path(folder) / "adherents.csv"
        siren = build_declaration(declaration, args.rows)
        started = time.perf_counter()
        result = verify_declaration(declaration, siren_opsn=siren, release_dir=args.release, out_dir=folder)
        elapsed = time.perf_counter() - started
    print(
        f"verifier ({result.counts['lignes']} lignes, données de démonstration, version : "
        f"{result.release or 'aucune'}) : {elapsed:.1f} s ; verdict {result.verdict}"
    )


if __name__ == "__main__":
    main()
