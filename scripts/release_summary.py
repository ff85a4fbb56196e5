"""Print what a published release holds: version, size, rows per table, national indicators.

Usage: python scripts/release_summary.py [exports/<version>]   (default: exports/LATEST)
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import duckdb

from observatory.paths import DEFAULT_EXPORTS_DIR


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("release", nargs="?", type=Path)
    args = parser.parse_args()
    release = args.release or DEFAULT_EXPORTS_DIR / (DEFAULT_EXPORTS_DIR / "LATEST").read_text().strip()
    descriptor = json.loads((release / "datapackage.json").read_text(encoding="utf-8"))
    size = sum(f.stat().st_size for f in release.iterdir() if f.is_file())
    print(f"version {descriptor['version']}  ({size / 1e6:.1f} Mo)  démonstration={descriptor['demonstration']}")
    with duckdb.connect(str(release / "observatoire.duckdb"), read_only=True) as con:
        for (table,) in con.execute("SELECT table_name FROM information_schema.tables ORDER BY 1").fetchall():
            print(f"  {table:<26} {con.execute(f'SELECT count(*) FROM {table}').fetchall()[0][0]:>8} lignes")
        rows = con.execute(
            "SELECT code_indicateur, modalite, valeur, unite FROM indicateurs WHERE niveau = 'france' "
            "ORDER BY code_indicateur, modalite"
        ).fetchall()
    print("\nIndicateurs nationaux :")
    for code, modality, value, unit in rows:
        shown = "—" if value is None else f"{value:,.1f}".replace(",", " ")
        print(f"  {code:<38} {modality:<22} {shown:>14} {unit}")


if __name__ == "__main__":
    main()
