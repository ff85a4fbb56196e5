"""Scaled source sets for the benchmark, from the embedded demonstration sources.

The embedded sources (data/sources-demo) are generated from the real referential with a
fixed seed and carry every kind of mess a declaration holds, with their ground truth.
This scaler grows them to a given size with a seeded RNG, keeping that mess:
- OPSN: the demo's, then copies under new valid SIRENs (same territory, services, form);
- members: the demo's rows cycled, each pass handed to another OPSN copy, so every row
  keeps its mess and its expected answer (written to verite_terrain/adherents.csv under
  its new OPSN and line number);
- CNIL: the demo's rows cycled, later passes under new designating SIRENs; a designation
  of an OPSN as DPO follows that OPSN's copy.
The result is marked "données de démonstration" in its MANIFEST.json.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import random
from pathlib import Path

from benchmarks.messy_members import valid_siren
from observatory.paths import EMBEDDED_SOURCES_DIR

CNIL_FILE = "cnil/opencnil-organismes-avec-dpo.csv.gz"
DESIGNATING, DESIGNATED = "SIREN organisme désignant", "SIREN organisme désigné"


def _read(path: Path, delimiter: str = ",") -> tuple[list[str], list[list[str]]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        header = next(reader)
        return header, list(reader)


def _write(path: Path, header: list[str], rows, delimiter: str = ",", *, bom: bool = False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    data = (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")
    if path.suffix == ".gz":
        data = gzip.compress(data, compresslevel=1, mtime=0)
    path.write_bytes(data)


def scale_sources(
    out: Path, *, opsn: int, members: int, cnil_rows: int, seed: int = 2026, source: Path = EMBEDDED_SOURCES_DIR
) -> dict:
    rng = random.Random(seed)
    decl = source / "declarations"
    opsn_header, opsn_rows = _read(decl / "opsn.csv")
    base = len(opsn_rows)
    sirens = [row[0] for row in opsn_rows]
    used = set(sirens)
    while len(sirens) < opsn:
        candidate = valid_siren(rng)
        if candidate not in used:
            used.add(candidate)
            sirens.append(candidate)
    copies = []  # (new siren, source index)
    for j in range(opsn):
        row = list(opsn_rows[j % base])
        row[0] = sirens[j]
        if j >= base:
            row[1] = f"{row[1]} (copie {j // base})"
        copies.append(row)
    _write(out / "declarations" / "opsn.csv", opsn_header, copies)

    services_header, services = _read(decl / "services.csv")
    by_opsn: dict[str, list[list[str]]] = {}
    for row in services:
        by_opsn.setdefault(row[0], []).append(row)
    scaled_services = [[sirens[j], *row[1:]] for j in range(opsn) for row in by_opsn.get(opsn_rows[j % base][0], [])]
    _write(out / "declarations" / "services.csv", services_header, scaled_services)

    members_header, member_rows = _read(decl / "adherents.csv")
    truth_header, truth_rows = _read(source / "verite_terrain" / "adherents.csv")
    truth = {(t[0], int(t[1])): t for t in truth_rows}
    index = {s: i for i, s in enumerate(opsn_rows[i][0] for i in range(base))}
    picked = []  # (copy index, pass, original line)
    for t in range(members):
        line = t % len(member_rows)
        row = member_rows[line]
        copy = (index[row[0]] + (t // len(member_rows)) * base) % opsn
        picked.append((copy, t, line))
    picked.sort()
    scaled_members, scaled_truth = [], []
    for number, (copy, _, line) in enumerate(picked, start=2):
        row = member_rows[line]
        scaled_members.append([sirens[copy], *row[1:]])
        expected = truth[(row[0], line + 2)]
        scaled_truth.append([sirens[copy], str(number), *expected[2:]])
    _write(out / "declarations" / "adherents.csv", members_header, scaled_members)
    _write(out / "verite_terrain" / "adherents.csv", truth_header, scaled_truth)

    cnil_header, cnil = _read(source / CNIL_FILE, ";")
    designating, designated = cnil_header.index(DESIGNATING), cnil_header.index(DESIGNATED)
    scaled_cnil = []
    for t in range(cnil_rows):
        row = list(cnil[t % len(cnil)])
        run = t // len(cnil)
        if run:
            row[designating] = valid_siren(rng)
            if row[designated] in index:
                row[designated] = sirens[(index[row[designated]] + run * base) % opsn]
        scaled_cnil.append(row)
    _write(out / CNIL_FILE, cnil_header, scaled_cnil, ";", bom=True)

    manifest = {
        "demonstration": True,
        "libelle": "données de démonstration",
        "generateur": "benchmarks/scale_sources.py (à partir de data/sources-demo)",
        "graine": seed,
        "opsn": opsn,
        "adherents": members,
        "cnil": cnil_rows,
    }
    (out / "MANIFEST.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return manifest
