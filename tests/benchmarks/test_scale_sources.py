"""The benchmark's scaled sources (benchmarks/scale_sources.py): the demo's declarations first, then
copies of its OPSN that re-declare their members in their own words, each row with its ground truth."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from benchmarks.scale_sources import IDENTIFICATION, MEMBERS_METHOD, scale_sources
from observatory.paths import EMBEDDED_SOURCES_DIR

MEMBERS = 20_000  # the demo's 16,126 rows, then the first copies


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def scaled(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("scaled")
    scale_sources(out, opsn=40, members=MEMBERS, cnil_rows=1_000)
    return out


def test_every_row_has_its_ground_truth_at_its_line(scaled):
    members = _rows(scaled / "declarations" / "adherents.csv")
    truth = _rows(scaled / "verite_terrain" / "adherents.csv")
    assert len(members) == len(truth) == MEMBERS
    assert [int(t["numero_ligne"]) for t in truth] == list(range(2, MEMBERS + 2))
    assert [t["siren_opsn"] for t in truth] == [m["siren_opsn"] for m in members]
    declared = {row["siren"] for row in _rows(scaled / "declarations" / "opsn.csv")}
    assert {m["siren_opsn"] for m in members} <= declared
    manifest = json.loads((scaled / "MANIFEST.json").read_text(encoding="utf-8"))
    assert manifest["methode_adherents"] == MEMBERS_METHOD and manifest["libelle"] == "données de démonstration"


def test_the_demo_declarations_come_first_unchanged_and_copies_write_their_own(scaled):
    demo = _rows(EMBEDDED_SOURCES_DIR / "declarations" / "adherents.csv")
    demo_opsn = {row["siren_opsn"] for row in demo}
    members = _rows(scaled / "declarations" / "adherents.csv")
    assert [m for m in members if m["siren_opsn"] in demo_opsn] == demo
    copies = [m for m in members if m["siren_opsn"] not in demo_opsn]
    assert len(copies) == MEMBERS - len(demo)
    # A copy declares the same collectivités as the OPSN it copies, but mostly not in the same words:
    # repeated word for word, they would flatter any shortcut of the engine by distinct value.
    demo_identities = {tuple(row[f] for f in IDENTIFICATION) for row in demo}
    repeated = sum(tuple(row[f] for f in IDENTIFICATION) in demo_identities for row in copies)
    assert repeated < 0.5 * len(copies)
