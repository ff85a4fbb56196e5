"""Demonstration copies of the ANCT's two daily files, in their real format (données de démonstration).

`operateurs-quotidien.csv` takes the vendored sample of operators as is (the ANCT's own row
and the TEST row included, as in the real file). `adherents-quotidien.csv.gz` is made up:
for each operator the ANCT lists as partner, a seeded share of the small communes (under
3,500 inhabitants, the Suite territoriale's public) its demonstration declaration names, plus
a few communes of its départements it does not declare, so that the two sources overlap
without matching. `scripts/generate_demo_sources.py` writes them with the rest;
`python -m tools.demo_sources.anct` regenerates only these two files and their lines of MANIFEST.json.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import json
from pathlib import Path

from observatory.paths import EMBEDDED_SOURCES_DIR, REFERENTIAL_DIR
from observatory.schemas import field_names
from tools.demo_sources.common import substream
from tools.demo_sources.output import csv_bytes, gzip_bytes
from tools.demo_sources.referential import Commune, Referential, load_referential

SEED = 2026
OPERATORS_FILE = "anct/operateurs-quotidien.csv"
MEMBERS_FILE = "anct/adherents-quotidien.csv.gz"
PARTNER = {"partenaire", "partenaire_avec_services"}
SMALL_COMMUNE = 3500
SHARE_DECLARED, SHARE_EXTRA = 0.6, 0.15


def operator_rows(sample: list[dict]) -> list[list[str]]:
    return [
        [
            record["id"],
            record["nom"],
            record.get("nom_avec_article") or "",
            record.get("url") or "",
            record.get("siret") or "",
            record.get("statut") or "",
            ",".join(str(s) for s in record.get("services") or []),
            ",".join(record.get("departements") or []),
        ]
        for record in sample
    ]


def member_rows(sample: list[dict], truth: list[dict], communes: list[Commune], seed: int = SEED) -> list[list[str]]:
    """`communes`: current communes with a SIREN, by code (Referential.communes)."""
    by_code = {c.code: c for c in communes}
    rows = []
    for record in sample:
        if record.get("statut") not in PARTNER:
            continue
        siren = (record.get("siret") or "")[:9]
        rng = substream(seed, f"anct/{siren}")
        declared = sorted(
            {t["code_attendu"] for t in truth if t["siren_opsn"] == siren and t["type_attendu"] == "commune"}
        )
        small = [by_code[code] for code in declared if code in by_code and by_code[code].population < SMALL_COMMUNE]
        chosen = [c for c in small if rng.random() < SHARE_DECLARED]
        pool = [
            c
            for c in communes
            if c.dept in (record.get("departements") or []) and c.population < SMALL_COMMUNE and c.code not in declared
        ]
        chosen += rng.sample(pool, min(len(pool), max(1, round(SHARE_EXTRA * len(chosen)))))
        for commune in chosen:
            # SIRET of a town hall: SIREN + NIC; the demo uses NIC 00010 throughout.
            rows.append([record["id"], f"{commune.siren}00010", "commune", commune.nom, commune.code, "admin"])
    return rows


def row_count(relative: str, data: bytes) -> int:
    text = gzip.decompress(data) if relative.endswith(".gz") else data
    return text.count(b"\n") - 1


def build(
    sources: Path = EMBEDDED_SOURCES_DIR,
    referential: Path = REFERENTIAL_DIR,
    seed: int = SEED,
    ref: Referential | None = None,
) -> dict[str, bytes]:
    """The two files; `ref`, when the caller already holds the referential, saves loading it again."""
    ref = ref or load_referential(referential)
    sample = ref.operators
    with (sources / "verite_terrain" / "adherents.csv").open(encoding="utf-8") as handle:
        truth = list(csv.DictReader(handle))
    communes = ref.communes
    operators = csv_bytes(field_names("sources/anct-operateurs-quotidien"), operator_rows(sample), delimiter=";")
    members = csv_bytes(
        field_names("sources/anct-adherents-quotidien"), member_rows(sample, truth, communes, seed), delimiter=";"
    )
    return {OPERATORS_FILE: operators, MEMBERS_FILE: gzip_bytes(members)}


def write(sources: Path = EMBEDDED_SOURCES_DIR) -> None:
    manifest_path = sources / "MANIFEST.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    entries = [f for f in manifest["fichiers"] if f["chemin"] not in (OPERATORS_FILE, MEMBERS_FILE)]
    for relative, data in build(sources).items():
        (sources / relative).parent.mkdir(parents=True, exist_ok=True)
        (sources / relative).write_bytes(data)
        entries.append(
            {
                "chemin": relative,
                "sha256": hashlib.sha256(data).hexdigest(),
                "octets": len(data),
                "lignes": row_count(relative, data),
            }
        )
    manifest["fichiers"] = entries
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    write()
