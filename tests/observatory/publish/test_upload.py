"""Publishing back to a replay portal on 127.0.0.1: files replace same-title resources; a refused key stops cleanly."""

import json

import pytest
from werkzeug import Request, Response

from observatory.datagouv.client import ClientSettings, DatagouvClient
from observatory.publish.upload import UploadRefused, upload_release
from tests.udata_replay import ReplayPortal

KEY = "cle-secrete-de-test-0123456789"
DATASET = "65aa00000000000000000001"


@pytest.fixture(scope="session")
def httpserver_listen_address():
    return ("127.0.0.1", 0)


@pytest.fixture
def release(tmp_path):
    folder = tmp_path / "exports" / "2026-11-02-1a2b3c4d"
    folder.mkdir(parents=True)
    (folder / "opsn.csv").write_text("siren,nom\n252405147,ATD24\n", encoding="utf-8")
    (folder / "datapackage.json").write_text(json.dumps({"name": "observatoire"}), encoding="utf-8")
    return folder


def _portal(httpserver, received):
    portal = ReplayPortal(httpserver)
    existing = {"id": "r-opsn", "title": "opsn.csv"}
    dataset = {"id": DATASET, "resources": [existing]}
    portal.server.expect_request(f"/api/1/datasets/{DATASET}/").respond_with_json(dataset)

    def upload(request: Request) -> Response:
        if request.headers.get("X-API-KEY") != KEY:
            return Response(json.dumps({"message": "Invalid API Key"}), status=401, content_type="application/json")
        upload = request.files["file"]
        received.append((request.path, upload.filename, upload.read()))
        return Response(
            json.dumps({"success": True, "id": "r-" + upload.filename}), status=201, content_type="application/json"
        )

    portal.server.expect_request(
        f"/api/1/datasets/{DATASET}/resources/r-opsn/upload/", method="POST"
    ).respond_with_handler(upload)
    portal.server.expect_request(f"/api/1/datasets/{DATASET}/upload/", method="POST").respond_with_handler(upload)
    return portal


def test_upload_replaces_same_title_resources_and_adds_the_others(httpserver, release):
    received = []
    portal = _portal(httpserver, received)
    client = DatagouvClient(ClientSettings(base_url=portal.base_url))
    sent = upload_release(client, release, DATASET, KEY)
    assert [(path, name) for path, name, _ in received] == [
        (f"/api/1/datasets/{DATASET}/resources/r-opsn/upload/", "opsn.csv"),
        (f"/api/1/datasets/{DATASET}/upload/", "datapackage.json"),
    ]
    assert received[0][2] == (release / "opsn.csv").read_bytes()
    assert [s["nouvelle"] for s in sent] == [False, True]


def test_a_refused_key_stops_with_a_clear_error_that_never_shows_the_key(httpserver, release):
    portal = _portal(httpserver, [])
    client = DatagouvClient(ClientSettings(base_url=portal.base_url))
    logged = []
    with pytest.raises(UploadRefused) as caught:
        upload_release(client, release, DATASET, "mauvaise-cle-987", log=logged.append)
    assert "HTTP 401" in str(caught.value) and "clé API refusée" in str(caught.value)
    assert "mauvaise-cle-987" not in str(caught.value) and not any("mauvaise" in line for line in logged)


def test_an_unfinished_release_is_never_uploaded(httpserver, tmp_path):
    staging = tmp_path / "exports" / ".staging-1234"
    staging.mkdir(parents=True)
    (staging / "opsn.csv").write_text("siren\n", encoding="utf-8")
    client = DatagouvClient(ClientSettings(base_url=httpserver.url_for("/")))
    with pytest.raises(UploadRefused, match="publication incomplète"):
        upload_release(client, staging, DATASET, KEY)
    assert httpserver.log == []
