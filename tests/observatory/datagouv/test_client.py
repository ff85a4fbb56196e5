"""The udata client against a replay of data.gouv.fr on 127.0.0.1 (real HTTP, real server)."""

import hashlib
import json
import time

import pytest
from werkzeug import Response

from observatory.datagouv.client import ClientSettings, DatagouvClient
from observatory.datagouv.download import download_resource
from observatory.datagouv.errors import DatagouvError, DownloadError
from tests.udata_replay import ReplayPortal, gzipped, organisation

CSV = b"siren,nom\n252405147,ATD24\n"
RID = "c5d02b42-1008-4406-83f5-3a81c8b936a3"


@pytest.fixture
def portal(httpserver):
    return ReplayPortal(httpserver)


@pytest.fixture
def client(portal):
    return DatagouvClient(ClientSettings(base_url=portal.base_url, backoff_factor=0.01, read_timeout=5))


def test_dataset_by_id_or_slug_carries_resources_and_organisation(portal, client):
    resource = portal.resource(RID, "opencnil-organismes-avec-dpo.csv", CSV)
    portal.dataset("5f0c1a", "organismes-dpd", [resource], org=organisation("534fff61a3a7292c64a77d59", "CNIL"))
    by_slug, by_id = client.dataset("organismes-dpd"), client.dataset("5f0c1a")
    assert by_slug == by_id
    assert by_slug["resources"][0]["latest"].endswith(f"/api/1/datasets/r/{RID}")
    assert by_slug["organization"]["id"] == "534fff61a3a7292c64a77d59"


def test_schema_search_follows_next_page_to_the_end(portal, client):
    for n in range(3):
        portal.dataset(f"ds{n}", f"declaration-{n}", [], schema="opsn-declaration-adherents")
    found = list(client.datasets_by_schema("opsn-declaration-adherents"))
    assert [d["id"] for d in found] == ["ds0", "ds1", "ds2"]
    pages = [path for _, path, _ in portal.requests() if path.startswith("/api/1/datasets/?")]
    assert len(pages) == 3 and "page=3" in pages[-1]


def test_download_follows_the_302_and_keeps_a_sidecar(portal, client, tmp_path):
    resource = portal.resource(RID, "opencnil-organismes-avec-dpo.csv", CSV)
    dataset = portal.dataset("5f0c1a", "organismes-dpd", [resource])
    download = download_resource(client, resource, dataset, tmp_path)
    assert download.downloaded and open(download.path, "rb").read() == CSV
    assert [status for _, _, status in portal.requests()] == [302, 200]
    sidecar = json.loads((tmp_path / RID / download.sha256 / "source.json").read_text())
    assert sidecar["resource_id"] == RID and sidecar["dataset_id"] == "5f0c1a"
    assert sidecar["sha256"] == hashlib.sha256(CSV).hexdigest() and sidecar["size_bytes"] == len(CSV)
    assert sidecar["etag"] and sidecar["last_modified"] and sidecar["licence"] == "lov2"


def test_matching_etag_gets_a_304_and_reuses_the_stored_copy(portal, client, tmp_path):
    resource = portal.resource(RID, "f.csv", CSV)
    dataset = portal.dataset("d", "d", [resource])
    first = download_resource(client, resource, dataset, tmp_path)
    second = download_resource(client, resource, dataset, tmp_path)
    assert not second.downloaded and second.path == first.path
    request, response = portal.server.log[-1]
    assert request.headers["If-None-Match"] == first.etag and response.status_code == 304
    assert len(portal.file_downloads()) == 1


def test_a_503_then_200_is_retried(portal, client, tmp_path):
    resource = portal.resource(RID, "f.csv", CSV)
    portal.server.expect_oneshot_request(f"/api/1/datasets/r/{RID}").respond_with_data("busy", status=503)
    download = download_resource(client, resource, {"id": "d"}, tmp_path)
    assert download.downloaded
    assert [status for _, _, status in portal.requests()] == [503, 302, 200]


def test_a_429_waits_for_retry_after(portal, client, tmp_path):
    resource = portal.resource(RID, "f.csv", CSV)
    portal.server.expect_oneshot_request(f"/api/1/datasets/r/{RID}").respond_with_response(
        Response("slow down", status=429, headers={"Retry-After": "1"})
    )
    started = time.monotonic()
    download_resource(client, resource, {"id": "d"}, tmp_path)
    assert time.monotonic() - started >= 1.0  # the backoff factor alone is 10 ms
    assert [status for _, _, status in portal.requests()] == [429, 302, 200]


def test_a_5xx_that_persists_names_url_and_status(portal, tmp_path):
    client = DatagouvClient(ClientSettings(base_url=portal.base_url, backoff_factor=0.001, retries=2))
    portal.server.expect_request("/api/1/datasets/r/abc").respond_with_data("down", status=502)
    with pytest.raises(DownloadError, match=r"/api/1/datasets/r/abc \(HTTP 502\)"):
        download_resource(client, {"id": "abc"}, {"id": "d"}, tmp_path)
    assert len(portal.requests()) == 3


def test_checksum_mismatch_is_refused_and_the_previous_copy_stays(portal, client, tmp_path):
    good = portal.resource(RID, "f.csv", CSV)
    previous = download_resource(client, good, {"id": "d"}, tmp_path)
    portal.server.clear()
    portal = ReplayPortal(portal.server)
    bad = portal.resource(RID, "f.csv", CSV, served=CSV.replace(b"ATD24", b"ATD25"), etag=False)
    with pytest.raises(DownloadError) as caught:
        download_resource(client, bad, {"id": "d"}, tmp_path)
    message = str(caught.value)
    assert "somme de contrôle sha1" in message and good["checksum"]["value"] in message and "f.csv" in message
    state = json.loads((tmp_path / RID / "etat.json").read_text())
    assert state["path"] == previous.path and open(previous.path, "rb").read() == CSV
    assert not list((tmp_path / RID).glob(".*part"))


@pytest.mark.parametrize("kind", ["sha2", "sha256", "md5"])
def test_every_verifiable_checksum_type_is_checked(portal, client, tmp_path, kind):
    algorithm = {"sha2": "sha256", "sha256": "sha256", "md5": "md5"}[kind]
    resource = portal.resource(RID, "f.csv", CSV, checksum=(kind, hashlib.new(algorithm, CSV).hexdigest()))
    assert download_resource(client, resource, {"id": "d"}, tmp_path).downloaded
    wrong = {**resource, "checksum": {"type": kind, "value": "0" * 32}}
    with pytest.raises(DownloadError, match=f"somme de contrôle {kind}"):
        download_resource(client, wrong, {"id": "d"}, tmp_path / "other")


def test_crc_is_logged_as_unverifiable(portal, client, tmp_path):
    resource = portal.resource(RID, "f.csv", CSV, checksum=("crc", "deadbeef"))
    logged = []
    assert download_resource(client, resource, {"id": "d"}, tmp_path, log=logged.append).downloaded
    assert logged == ["f.csv : somme de contrôle de type crc non vérifiable, ignorée"]


def test_a_truncated_body_is_refused(portal, client, tmp_path):
    resource = portal.resource(RID, "f.csv", CSV)
    portal.server.clear()
    portal.server.expect_request(f"/api/1/datasets/r/{RID}").respond_with_response(
        # A generator body: werkzeug keeps the announced length instead of recomputing it.
        Response(iter([CSV[:10]]), status=200, headers={"Content-Length": str(len(CSV)), "Content-Type": "text/csv"})
    )
    with pytest.raises(DownloadError, match="tronqué") as caught:
        download_resource(client, resource, {"id": "d"}, tmp_path)
    assert f"/api/1/datasets/r/{RID}" in str(caught.value) and f"{len(CSV)} octets" in str(caught.value)
    assert not (tmp_path / RID / "etat.json").exists()


def test_an_html_page_instead_of_csv_is_refused(portal, client, tmp_path):
    page = b"<!DOCTYPE html><html><body>Maintenance</body></html>"
    resource = portal.resource(RID, "f.csv", page, content_type="text/html; charset=utf-8")
    with pytest.raises(DownloadError, match="page HTML reçue au lieu d'un fichier") as caught:
        download_resource(client, resource, {"id": "d"}, tmp_path)
    assert "HTTP 200" in str(caught.value) and "attendu : un fichier CSV" in str(caught.value)


def test_a_gzip_resource_is_kept_compressed_and_checked(portal, client, tmp_path):
    body = gzipped("operateur_id;organisation_siret\nx;21240322400017\n")
    resource = portal.resource(RID, "adherents-quotidien.csv.gz", body, content_type="application/gzip")
    download = download_resource(client, resource, {"id": "d"}, tmp_path)
    assert download.path.endswith("adherents-quotidien.csv.gz")
    cut = portal.resource("cut", "cut.csv.gz", body[:-8], content_type="application/gzip")
    with pytest.raises(DownloadError, match="gzip tronquée"):
        download_resource(client, cut, {"id": "d"}, tmp_path)


def test_progress_lines_only_for_files_over_10_mb(portal, client, tmp_path):
    big = b"a,b\n" + b"1,2\n" * (3 * 1024 * 1024)  # 12 MB
    lines = []
    resource = portal.resource("big", "big.csv", big)
    small = portal.resource("small", "small.csv", CSV)
    download_resource(client, small, {"id": "d"}, tmp_path, progress=lines.append)
    assert lines == []
    download_resource(client, resource, {"id": "d"}, tmp_path, progress=lines.append)
    assert lines and lines[0].startswith("téléchargement big.csv : 10 Mo / 12 Mo")


def test_a_non_json_answer_is_a_clear_error(portal, client):
    portal.server.expect_request("/api/1/datasets/x/").respond_with_data("<html>", content_type="text/html")
    with pytest.raises(DatagouvError, match="corps non JSON"):
        client.dataset("x")
