"""The report assets follow seam 1: they write into the staging folder of the prepared release, or do nothing."""

import shutil
from dataclasses import dataclass
from pathlib import Path

import dagster as dg

from assets.report import DASHBOARD_DIR, publish__graphiques, publish__tableau_de_bord


@dataclass
class Prepared:
    """The fields of observatory.publish.release.PreparedRelease that the report assets read."""

    version: str
    staging: Path | None
    existing: Path | None = None
    demonstration: bool = False


def test_report_assets_write_charts_and_dashboard_into_the_staging_folder(mini_release, tmp_path):
    staging = tmp_path / ".staging-test"
    shutil.copytree(mini_release, staging)

    # Stands for w10's publish__preparation: the report assets only read its PreparedRelease.
    @dg.asset(name="publish__preparation")
    def preparation() -> Prepared:
        return Prepared(version=mini_release.name, staging=staging)

    result = dg.materialize(
        [preparation, publish__graphiques, publish__tableau_de_bord], instance=dg.DagsterInstance.ephemeral()
    )
    assert result.success
    out = staging / DASHBOARD_DIR
    assert (out / "index.html").exists() and (out / "carte-couverture.png").exists()
    charts = result.asset_materializations_for_node("publish__graphiques")[0].metadata
    page = result.asset_materializations_for_node("publish__tableau_de_bord")[0].metadata
    assert charts["graphiques"].value >= 9
    assert "data:image/png;base64," in charts["aperçu"].value
    assert page["taille totale (Mo)"].value < 8


def test_report_assets_do_nothing_when_an_identical_release_exists(tmp_path):
    prepared = Prepared(version="2026-01-01-00000000", staging=None, existing=tmp_path / "exports" / "x")
    result = publish__graphiques(dg.build_asset_context(), publish__preparation=prepared)
    assert "Rien à refaire" in result.metadata["statut"].value
    result = publish__tableau_de_bord(dg.build_asset_context(), publish__preparation=prepared)
    assert "Rien à refaire" in result.metadata["statut"].value
    assert list(tmp_path.iterdir()) == []
