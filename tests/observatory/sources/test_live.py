"""Live sources against a replay of data.gouv.fr: the same layout as local mode, exclusions, no re-download."""

import csv
import json
from pathlib import Path

import pytest

from observatory.datagouv.client import ClientSettings, DatagouvClient
from observatory.datagouv.errors import DownloadError
from observatory.sources.live import LiveFetcher, fetch_live_tree
from observatory.sources.live_metadata import release_sources
from tests.udata_replay import (
    BAD_SIREN_OPSN,
    FILES_PER_FETCH,
    INVALID_LINE,
    INVALID_OPSN,
    OPSN_DATASETS,
    ReplayPortal,
    organisation,
    publish_mini,
)

MINI = Path("tests/fixtures/sources-mini")


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _fetch(portal: ReplayPortal, work: Path, reviewed: Path | None = None):
    client = DatagouvClient(ClientSettings(base_url=portal.base_url, backoff_factor=0.01))
    return fetch_live_tree(LiveFetcher(client, work, reviewed=reviewed))


@pytest.fixture
def portal(httpserver):
    portal = ReplayPortal(httpserver)
    publish_mini(portal, MINI)
    return portal


def test_live_tree_has_the_local_layout_and_leaves_out_the_invalid_declaration(portal, tmp_path):
    live = _fetch(portal, tmp_path)
    root = live.tree.root
    assert (root / "cnil" / "opencnil-organismes-avec-dpo.csv").read_bytes() == (
        MINI / "cnil" / "opencnil-organismes-avec-dpo.csv"
    ).read_bytes()
    assert {row["siren"] for row in _rows(root / "declarations" / "opsn.csv")} == set(OPSN_DATASETS)
    members = _rows(root / "declarations" / "adherents.csv")
    assert {row["siren_opsn"] for row in members} == {"252405147", "284800026"}
    assert len(members) == len(_rows(MINI / "declarations" / "adherents.csv")) - 3
    assert len(_rows(root / "declarations" / "services.csv")) == len(_rows(MINI / "declarations" / "services.csv"))
    [excluded] = _rows(root / "declarations" / "exclues.csv")
    assert excluded["jeu_de_donnees"] == OPSN_DATASETS[INVALID_OPSN][0]
    # The row as declared: the SIREN it gives for its OPSN, which fails its check digit.
    assert excluded["siren_opsn"] == BAD_SIREN_OPSN and excluded["ligne"] == str(INVALID_LINE)
    assert excluded["champ"] == "siren_opsn" and BAD_SIREN_OPSN in excluded["motif"]
    assert live.tree.manifest()["mode"] == "live" and not live.tree.is_demonstration
    assert (root / "anct" / "adherents-quotidien.csv.gz").read_bytes() == (
        MINI / "anct" / "adherents-quotidien.csv.gz"
    ).read_bytes()
    assert live.tree.path("anct_operateurs").name == "operateurs-quotidien.csv"


def test_schema_search_is_followed_across_pages(portal, tmp_path):
    _fetch(portal, tmp_path)
    searches = [path for _, path, _ in portal.requests() if path.startswith("/api/1/datasets/?")]
    # three schemas, three datasets each, one dataset a page
    assert len(searches) == 9 and sum("page=3" in path for path in searches) == 3


def test_a_second_fetch_with_nothing_changed_downloads_no_file_and_keeps_the_tree(portal, tmp_path):
    first = _fetch(portal, tmp_path)
    downloads = len(portal.file_downloads())
    assert downloads == FILES_PER_FETCH
    second = _fetch(portal, tmp_path)
    assert len(portal.file_downloads()) == downloads
    assert second.downloaded_files == 0
    assert first.tree.root.resolve() == second.tree.root.resolve()
    files = [status for _, path, status in portal.requests()[len(portal.requests()) // 2 :] if "/static/" in path]
    assert files == [304] * FILES_PER_FETCH


def test_sidecars_and_release_sources_trace_each_resource(portal, tmp_path):
    live = _fetch(portal, tmp_path)
    sources = release_sources(live.tree.manifest())
    cnil = next(s for s in sources if s["role"] == "cnil_designations")
    assert cnil["ressource"] == "c5d02b42-1008-4406-83f5-3a81c8b936a3" and cnil["licence"] == "lov2"
    assert cnil["path"].startswith(portal.base_url) and cnil["telecharge_le"]
    sidecar = json.loads(next((tmp_path / "telechargements" / cnil["ressource"]).glob("*/source.json")).read_text())
    assert cnil["hash"] == f"sha256:{sidecar['sha256']}" and sidecar["etag"] and sidecar["last_modified"]
    # The portal's own date of the resource, by which a live release is dated.
    assert cnil["derniere_modification"]


def test_a_failed_download_leaves_the_previous_tree_in_place(httpserver, tmp_path):
    portal = ReplayPortal(httpserver)
    publish_mini(portal, MINI)
    first = _fetch(portal, tmp_path)
    httpserver.clear()
    broken = ReplayPortal(httpserver)
    # The CNIL file changes on the portal but arrives cut short.
    body = (MINI / "cnil" / "opencnil-organismes-avec-dpo.csv").read_bytes() + b"\n"
    publish_mini(broken, MINI, cnil_file=(body, body[:200]))
    with pytest.raises(DownloadError, match="opencnil-organismes-avec-dpo.csv"):
        _fetch(broken, tmp_path)
    assert (tmp_path / "arbre").resolve() == first.tree.root.resolve()


def test_reviewed_datasets_are_read_and_a_foreign_publisher_is_flagged(portal, tmp_path):
    identity = (
        b"siren,nom,forme_juridique,site_web,departements,membre_declic\n"
        b"200010049,Gironde Numerique,syndicat_mixte,,33,false\n"
    )
    resource = portal.resource("5d1e2f30-aaaa-4bbb-8ccc-000000000001", "identite.csv", identity)
    portal.dataset(
        "64a1f0c2a1b2c3d4e5f60009",
        "gironde-numerique-opsn",
        [resource],
        org=organisation("5a0b1c2d3e4f5a6b7c8d9e0f", "ANCT", "13002603200016"),
    )
    reviewed = tmp_path / "jeux_declarations.csv"
    reviewed.write_text(
        "siren_opsn,jeu_de_donnees,revu_par,date_revue,commentaire\n"
        "200010049,gironde-numerique-opsn,Camille Martin,2026-11-02,\n",
        encoding="utf-8",
    )
    live = _fetch(portal, tmp_path / "work", reviewed)
    assert "200010049" in {row["siren"] for row in _rows(live.tree.root / "declarations" / "opsn.csv")}
    [flag] = live.consolidation.flags
    assert flag["siren_opsn"] == "200010049" and flag["siren_organisation"] == "130026032"
    [flagged] = [s for s in release_sources(live.tree.manifest()) if "alerte" in s]
    assert flagged["ressource"] == "5d1e2f30-aaaa-4bbb-8ccc-000000000001" and "130026032" in flagged["alerte"]
