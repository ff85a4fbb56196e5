"""Scaled source sets for the benchmark, from the embedded demonstration sources.

The embedded sources (data/sources-demo) are generated from the real referential with a
fixed seed and carry every kind of mess a declaration holds, with their ground truth.
This scaler grows them to a given size with a seeded RNG, keeping that mess:
- OPSN: the demo's, then copies under new valid SIRENs (same territory, services, form);
- members: the demo's own rows first, then, pass after pass, each OPSN copy re-declares the
  members of the OPSN it copies, written by the demo's generator (tools/demo_sources) under the
  copy's SIREN and a seed of its pass: its own mix of SIREN, INSEE code, names and postal codes,
  and its own mess, with the generator's ground truth (verite_terrain/adherents.csv, under its
  new line number). Cycling the demo's rows instead would repeat every declaration word for word
  (15,966 distinct identities for 40,000 rows, and still 15,966 at 10x), which real OPSN, each
  with its own conventions, do not: any shortcut of the engine by distinct value (a name keyed
  once, a row decided once) would then flatter the figures. Regenerated, 40,000 rows hold
  36,562 distinct identities;
- CNIL: the demo's rows cycled, later passes under new designating SIRENs; a designation
  of an OPSN as DPO follows that OPSN's copy.
The result is marked "données de démonstration" in its MANIFEST.json.
"""

from __future__ import annotations

import csv
import dataclasses
import gzip
import io
import json
import random
from pathlib import Path

from benchmarks.messy_members import valid_siren
from observatory.paths import EMBEDDED_SOURCES_DIR, REFERENTIAL_DIR
from tools.demo_sources.declarations import adherent_rows
from tools.demo_sources.members import choose_members, territory
from tools.demo_sources.operators import build_operators
from tools.demo_sources.referential import load_referential
from tools.demo_sources.truth import TRUTH_FIELDS

CNIL_FILE = "cnil/opencnil-organismes-avec-dpo.csv.gz"
# What a declared row says to identify its collectivité: rows equal on these fields repeat one
# declaration (the bench counts them; the copies must not repeat the demo's).
IDENTIFICATION = (
    "nom_adherent",
    "type_adherent",
    "siren_adherent",
    "code_insee_adherent",
    "code_postal",
    "code_departement",
)
# Recorded in MANIFEST.json, so that a --work folder scaled the older way is generated again.
MEMBERS_METHOD = "copies redéclarées par le générateur de démonstration"
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
    scaled_members, scaled_truth = _redeclared_members(source, sirens, opsn, members, (members_header, member_rows))
    _write(out / "declarations" / "adherents.csv", members_header, scaled_members)
    _write(out / "verite_terrain" / "adherents.csv", list(TRUTH_FIELDS), scaled_truth)

    index = {row[0]: i for i, row in enumerate(opsn_rows)}
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
        "methode_adherents": MEMBERS_METHOD,
        "cnil": cnil_rows,
    }
    (out / "MANIFEST.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return manifest


def _redeclared_members(
    source: Path, sirens: list[str], opsn: int, members: int, demo: tuple[list, list]
) -> tuple[list[list[str]], list[list[str]]]:
    """`members` rows and their ground truth. Pass 0 is the demo's declarations, generated again
    (and checked identical to the demo's file); pass p hands the members of the demo's i-th OPSN to
    copy (i + p * base) % opsn, declared anew with the seed of the pass."""
    header, demo_rows = demo
    seed = json.loads((source / "MANIFEST.json").read_text(encoding="utf-8"))["graine"]
    ref = load_referential(REFERENTIAL_DIR)
    operators, _ = build_operators(ref, seed)
    base = len(operators)
    if [operator.siren for operator in operators] != sirens[:base]:
        raise SystemExit(f"{source}: ses OPSN ne sont pas ceux de tools/demo_sources (graine {seed})")
    territories = {operator.siren: territory(operator, ref, seed) for operator in operators}
    chosen = choose_members(operators, ref, seed)
    picked = []  # (copy, pass, row, truth), in the order generated
    passes = 0
    while len(picked) < members:
        for index, operator in enumerate(operators):
            copy = (index + passes * base) % opsn
            declaring = dataclasses.replace(operator, siren=sirens[copy])
            rows, truths = adherent_rows(
                [declaring],
                {declaring.siren: chosen[operator.siren]},
                {declaring.siren: territories[operator.siren]},
                ref,
                seed + passes,
            )
            picked += [(copy, passes, row, truth) for row, truth in zip(rows, truths, strict=True)]
            if len(picked) >= members:
                break
        passes += 1
    del picked[members:]
    regenerated = [[row[field] for field in header] for _, pass_, row, _ in picked[: len(demo_rows)] if pass_ == 0]
    if regenerated != demo_rows[: len(regenerated)]:
        raise SystemExit(
            f"{source}: ses déclarations ne sont pas celles que produit tools/demo_sources "
            "(régénérez-les : scripts/generate_demo_sources.py)"
        )
    picked.sort(key=lambda item: (item[0], item[1]))  # an OPSN's rows together, as it would send them
    scaled_members, scaled_truth = [], []
    for number, (_, _, row, truth) in enumerate(picked, start=2):
        scaled_members.append([row[field] for field in header])
        scaled_truth.append([str(number) if field == "numero_ligne" else truth[field] for field in TRUTH_FIELDS])
    return scaled_members, scaled_truth
