"""Byte-reproducible writing of the demo sources, their MANIFEST.json and statistics.

Nothing written here may depend on the clock, the machine or the order of a set:
CSVs are built in memory with LF line endings, gzip gets mtime=0 and no file name.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import statistics
from collections import Counter, defaultdict
from pathlib import Path

LABEL = "données de démonstration"
DATA_DATE = "2026-03-23"


def csv_bytes(columns: list[str], rows: list, delimiter: str = ",", bom: bool = False) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row[c] for c in columns] if isinstance(row, dict) else row)
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


def gzip_bytes(data: bytes) -> bytes:
    # gzip.compress writes no file name; mtime=0 keeps the header free of the clock.
    return gzip.compress(data, compresslevel=9, mtime=0)


class OutputDir:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.files: list[dict] = []

    def write(self, relative: str, data: bytes, rows: int | None) -> None:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self.files.append(
            {
                "chemin": relative,
                "sha256": hashlib.sha256(data).hexdigest(),
                "octets": len(data),
                "lignes": rows,
            }
        )

    def write_manifest(self, seed: int, referential_digest: str, inputs, anomalies, stats: dict) -> None:
        manifest = {
            "demonstration": True,
            "libelle": LABEL,
            # The date a release built from these files carries (never the clock): the demo
            # imitates the ANCT sample of that day.
            "date_donnees": DATA_DATE,
            "generateur": "scripts/generate_demo_sources.py",
            "graine": seed,
            "referentiel": referential_digest,
            "entrees_referentiel": [{"chemin": f"data/referentiel/{p}", "sha256": d} for p, d in inputs],
            "fichiers": self.files,
            "anomalies_identites": anomalies,
            "statistiques": stats,
        }
        text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
        (self.root / "MANIFEST.json").write_bytes(text.encode("utf-8"))


def declaration_stats(adherents: list[dict], truth: list[dict], members: dict) -> dict:
    sizes = Counter(row["siren_opsn"] for row in adherents)
    counts = sorted(sizes.values())
    kinds = Counter(kind for row in truth for kind in row["desordres"].split("|") if kind)
    declared_by: dict[tuple[str, str], set[str]] = defaultdict(set)
    for siren, listed in members.items():
        for member in listed:
            if member.kind in ("commune", "epci", "departement", "region"):
                declared_by[(member.kind, member.code)].add(siren)
    shared = sum(1 for opsn in declared_by.values() if len(opsn) > 1)
    return {
        "opsn": len(sizes),
        "adherents_lignes": len(adherents),
        "adherents_par_opsn": {"min": counts[0], "mediane": statistics.median(counts), "max": counts[-1]},
        "opsn_entre_200_et_500": sum(1 for c in counts if 200 <= c <= 500),
        "lignes_par_desordre": dict(sorted(kinds.items())),
        "lignes_par_type_attendu": dict(sorted(Counter(row["type_attendu"] for row in truth).items())),
        "collectivites_declarees": len(declared_by),
        "collectivites_declarees_par_plusieurs_opsn": shared,
        "part_collectivites_multi_opsn": round(shared / len(declared_by), 4),
    }


def cnil_stats(rows: list[list[str]], commune_sirens: set[str], opsn_sirens: set[str]) -> dict:
    designating = {row[0] for row in rows}
    external = sum(1 for row in rows if row[10] or row[11])
    return {
        "lignes": len(rows),
        "siren_designants_distincts": len(designating),
        "communes_avec_designation": len(designating & commune_sirens),
        "lignes_dpd_externe": external,
        "lignes_designe_opsn": sum(1 for row in rows if row[10] in opsn_sirens),
        "lignes_25_05_2018": sum(1 for row in rows if row[9] == "25/05/2018"),
    }
