"""The demonstration's reviewed decision applies to demonstration trees only (issue 8, "demonstration apart").

The demo tree carries its own `decisions/rapprochements.csv`; `SourceTree.reviewed_mappings` adds it to the
repository's decisions only when the tree's manifest says "demonstration". The same declaration files read in
local mode without that manifest keep their ambiguous row ambiguous.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import duckdb
import pytest

from observatory.declarations import load_declarations
from observatory.paths import EMBEDDED_SOURCES_DIR, MAPPINGS_DIR
from observatory.reconcile import reconcile_members
from observatory.reconcile.mappings import read_decisions
from observatory.referential import load_referential
from observatory.sources.layout import DEMO_DECISIONS
from observatory.sources.modes import resolve_source_tree

REPOSITORY = MAPPINGS_DIR / "rapprochements.csv"


def _demo_decision() -> dict:
    with (EMBEDDED_SOURCES_DIR / DEMO_DECISIONS).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 1 and rows[0]["revu_par"].startswith("Données de démonstration")
    return rows[0]


@pytest.fixture(scope="module")
def local_copy(tmp_path_factory) -> Path:
    """The demo declarations of the decision's OPSN only (a few hundred rows), without MANIFEST.json."""
    siren = _demo_decision()["siren_opsn"]
    root = tmp_path_factory.mktemp("sans-manifeste")
    shutil.copytree(EMBEDDED_SOURCES_DIR / "decisions", root / "decisions")
    (root / "declarations").mkdir()
    for name in ("opsn", "services"):
        shutil.copy(EMBEDDED_SOURCES_DIR / "declarations" / f"{name}.csv", root / "declarations")
    with (EMBEDDED_SOURCES_DIR / "declarations" / "adherents.csv").open(encoding="utf-8") as source:
        lines = source.readlines()
    kept = [lines[0]] + [line for line in lines[1:] if line.startswith(f"{siren},")]
    (root / "declarations" / "adherents.csv").write_text("".join(kept), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def con(local_copy):
    connection = duckdb.connect()
    load_referential(connection)
    load_declarations(connection, local_copy)
    yield connection
    connection.close()


def _outcome(con, mappings: list[Path]) -> tuple[str, str | None, str | None]:
    decision = _demo_decision()
    reconcile_members(con, mappings=mappings)
    return con.execute(
        """SELECT statut_rapprochement, methode_rapprochement, code_collectivite FROM core_declarations__adhesions
           WHERE siren_opsn = ? AND nom_adherent = ?""",
        [decision["siren_opsn"], decision["nom_adherent"]],
    ).fetchone()


def test_the_repository_holds_no_demonstration_decision():
    decisions = read_decisions(REPOSITORY, "mappings/rapprochements")
    assert decisions.empty


def test_embedded_mode_applies_the_demo_decision(con):
    tree = resolve_source_tree("embedded")
    mappings = tree.reviewed_mappings(REPOSITORY)
    assert mappings == [REPOSITORY, EMBEDDED_SOURCES_DIR / DEMO_DECISIONS]
    assert _outcome(con, mappings) == ("rapproche", "decision_revue", _demo_decision()["code_collectivite"])


def test_local_mode_on_the_same_files_without_the_manifest_does_not(con, local_copy):
    tree = resolve_source_tree("local", str(local_copy))
    assert not tree.is_demonstration and (local_copy / DEMO_DECISIONS).exists()
    mappings = tree.reviewed_mappings(REPOSITORY)
    assert mappings == [REPOSITORY]
    assert _outcome(con, mappings) == ("ambigu", "nom_seul", None)
