"""`observatory verifier` and the pipeline agree: what the verifier says about one OPSN's file is
what a consolidation publishes for it. Uses a release built from the mini sources."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from observatory.verify import verify_declaration

MINI = Path("tests/fixtures/sources-mini")
OPSN = "252405147"  # ATD24: declares a commune also declared by CDG48
COMPARED = ["statut_rapprochement", "methode_rapprochement", "type_collectivite", "code_collectivite", "anomalies"]


@pytest.fixture(scope="module")
def verified(mini_release, tmp_path_factory):
    folder = tmp_path_factory.mktemp("verifier")
    with (MINI / "declarations" / "adherents.csv").open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    declaration = folder / "adherents-atd24.csv"
    with declaration.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([rows[0], *[row for row in rows[1:] if row[0] == OPSN]])
    return verify_declaration(declaration, siren_opsn=OPSN, release_dir=mini_release, out_dir=folder / "rapport")


def _normalised(frame: pd.DataFrame) -> pd.DataFrame:
    return (
        frame.set_index("id_adhesion")[COMPARED]
        .astype(object)
        .where(frame.set_index("id_adhesion")[COMPARED].notna(), None)
        .sort_index()
    )


def test_verifier_results_are_the_published_ones(verified, mini_release):
    published = pd.read_parquet(mini_release / "adhesions.parquet")
    published = published[published["siren_opsn"] == OPSN]
    assert verified.problems == [] or not any(p.blocking for p in verified.problems)
    assert len(verified.rows) == len(published) > 0
    pd.testing.assert_frame_equal(_normalised(verified.rows), _normalised(published), check_dtype=False)


def test_members_declared_by_another_opsn_are_named(verified, mini_release):
    published = pd.read_parquet(mini_release / "adhesions.parquet")
    shared = set(published.loc[(published["siren_opsn"] == OPSN) & published["adhesion_multiple"], "id_adhesion"])
    assert shared, "les sources mini doivent contenir une adhésion multiple"
    flagged = verified.rows[verified.rows["aussi_declare_par"] != ""]
    assert set(flagged["id_adhesion"]) == shared
    assert flagged["aussi_declare_par"].str.contains("CDG48").all()
    assert verified.release == str(mini_release)
    assert verified.nom_opsn == "ATD24" and verified.counts["territoire"] == ["24"]


def test_report_opens_in_a_browser_without_errors(verified, mini_release, browser, artefacts_dir):
    screenshot = artefacts_dir / "verifier-rapport-atd24.png"
    page = browser.open(verified.report, screenshot)
    assert page.console_errors == [] and page.failed_requests == [] and page.broken_images == []
    assert page.title.startswith("Vérification de la déclaration")
    for expected in ("Verdict", "Lignes à choisir", "CDG48", str(mini_release.name)):
        assert expected in page.text
    assert screenshot.stat().st_size > 10_000
