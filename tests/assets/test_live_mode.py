"""Live mode end to end: the Dagster graph against a replay of data.gouv.fr on 127.0.0.1."""

import json
import time
from pathlib import Path

import pytest

from observatory.publish.validation import validate_release_files
from tests.assets.conftest import run_everything
from tests.udata_replay import INVALID_LINE, INVALID_OPSN, OPSN_DATASETS, ReplayPortal, publish_mini

MINI = Path("tests/fixtures/sources-mini")


@pytest.fixture(scope="session")
def httpserver_listen_address():
    return ("127.0.0.1", 0)


def _published(tmp_path: Path) -> Path:
    return tmp_path / "exports" / (tmp_path / "exports" / "LATEST").read_text().strip()


def test_live_run_publishes_a_valid_package_and_a_second_run_downloads_nothing(httpserver, tmp_path):
    portal = ReplayPortal(httpserver)
    publish_mini(portal, MINI)

    started = time.monotonic()
    first = run_everything(tmp_path, mode="live", datagouv_url=portal.base_url)
    first_seconds = time.monotonic() - started
    assert first.success
    first_requests = portal.requests()
    release = _published(tmp_path)
    # The project's validator (every byte against its Table Schema, checksums, keys) re-run on the
    # visible release; frictionless proves the same validator right once, on the mini release (test_publish).
    validate_release_files(
        release,
        [
            r["name"]
            for r in json.loads((release / "datapackage.json").read_text(encoding="utf-8"))["resources"]
            if r.get("format") == "csv"
        ],
    )

    descriptor = json.loads((release / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["demonstration"] is False
    live_sources = [s for s in descriptor["sources"] if "ressource" in s]
    assert {s["jeu_de_donnees"] for s in live_sources} >= {dataset for dataset, _ in OPSN_DATASETS.values()}
    assert all(s["path"].startswith(portal.base_url) and s["telecharge_le"] for s in live_sources)

    excluded = (release / "declarations_exclues.csv").read_text(encoding="utf-8").splitlines()
    assert len(excluded) == 2
    assert OPSN_DATASETS[INVALID_OPSN][0] in excluded[1] and f",{INVALID_LINE},siren_opsn," in excluded[1]
    # HGN's member file was left out: its declared count drops to 0 (1 in local mode, see the mini README).
    comparison = (release / "comparaison_sources.csv").read_text(encoding="utf-8").splitlines()[1:]
    assert comparison == [
        "200062628,Haute Garonne Numérique,declaration,0,0,0,0,0",
        "251200861,SMICA,anct,0,2,0,0,2",
        "252405147,ATD24,declaration,6,2,1,5,1",
        "284800026,CDG48,declaration,2,2,1,1,1",
    ]
    members = (release / "adhesions.csv").read_text(encoding="utf-8")
    assert "Muret" not in members and "Périgueux" in members

    started = time.monotonic()
    second = run_everything(tmp_path, mode="live", datagouv_url=portal.base_url)
    second_seconds = time.monotonic() - started
    assert second.success
    second_requests = portal.requests()[len(first_requests) :]
    assert [r for r in second_requests if r[1].startswith("/static/") and r[2] == 200] == []
    assert _published(tmp_path) == release

    report = {
        "premier_passage": {"secondes": round(first_seconds, 1), "requetes": first_requests},
        "second_passage": {"secondes": round(second_seconds, 1), "requetes": second_requests},
        "sources": descriptor["sources"],
    }
    artefacts = Path("build/test-artefacts")
    artefacts.mkdir(parents=True, exist_ok=True)
    (artefacts / "live-replay.json").write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
