"""A replay of data.gouv.fr on 127.0.0.1: the v1 API's field shapes, the 302 permalink, ETags.

Shapes follow udata's `api_fields.py` (dataset, resource, organisation reference, pager
envelope), as listed in the project's context notes; values are made up.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from datetime import UTC, datetime
from email.utils import format_datetime

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

NOW = "2026-11-02T06:00:00.000000+00:00"


def organisation(org_id: str, name: str, siret: str | None = None) -> dict:
    slug = name.lower().replace(" ", "-")
    return {
        "id": org_id,
        "name": name,
        "slug": slug,
        "acronym": None,
        "uri": f"https://www.data.gouv.fr/api/1/organizations/{slug}/",
        "page": f"https://www.data.gouv.fr/fr/organizations/{slug}/",
        "logo": None,
        "logo_thumbnail": None,
        "badges": [],
        "business_number_id": siret,
    }


class ReplayPortal:
    """Datasets, resources and files served the way udata serves them."""

    def __init__(self, server: HTTPServer):
        self.server = server
        self.base_url = server.url_for("/").rstrip("/")
        self.by_schema: dict[str, list[dict]] = {}
        self.page_size = 1  # one dataset a page, so a search of two datasets spans two pages
        server.expect_request("/api/1/datasets/").respond_with_handler(self._search)

    # --- building ---------------------------------------------------------------------------
    def resource(
        self,
        rid: str,
        name: str,
        body: bytes,
        *,
        schema: str | None = None,
        checksum: tuple[str, str] | None = None,
        content_type: str = "text/csv",
        served: bytes | None = None,
        etag: bool = True,
    ) -> dict:
        """A resource dict and the two routes behind it: the 302 permalink and the static file.

        `served` lets a test serve other bytes than those the metadata describes (corruption).
        """
        path = f"/static/resources/{rid}/{name}"
        self.serve_file(path, served if served is not None else body, content_type=content_type, etag=etag)
        self.server.expect_request(f"/api/1/datasets/r/{rid}").respond_with_response(
            Response(status=302, headers={"Location": f"{self.base_url}{path}"})
        )
        kind, value = checksum or ("sha1", hashlib.sha1(body).hexdigest())
        return {
            "id": rid,
            "title": name,
            "description": "",
            "filetype": "file",
            "type": "main",
            "format": "csv.gz" if name.endswith(".gz") else "csv",
            "url": f"{self.base_url}{path}",
            "latest": f"{self.base_url}/api/1/datasets/r/{rid}",
            "checksum": {"type": kind, "value": value},
            "filesize": len(body),
            "mime": content_type,
            "created_at": NOW,
            "last_modified": NOW,
            "metrics": {"views": 0},
            "harvest": None,
            "extras": {"check:available": True, "analysis:checksum": value},
            "preview_url": None,
            "schema": {"name": schema, "version": None, "url": None},
            "internal": {"created_at_internal": NOW, "last_modified_internal": NOW},
        }

    def serve_file(self, path: str, body: bytes, *, content_type: str = "text/csv", etag: bool = True) -> None:
        tag = f'"{hashlib.md5(body).hexdigest()}"'
        modified = format_datetime(datetime(2026, 11, 2, 6, tzinfo=UTC), usegmt=True)

        def handler(request: Request) -> Response:
            headers = {"Last-Modified": modified, "Content-Type": content_type}
            if etag:
                headers["ETag"] = tag
            if etag and request.headers.get("If-None-Match") == tag:
                return Response(status=304, headers=headers)
            return Response(body, status=200, headers=headers)

        self.server.expect_request(path).respond_with_handler(handler)

    def dataset(
        self, dataset_id: str, slug: str, resources: list[dict], *, org: dict | None = None, schema: str | None = None
    ) -> dict:
        data = {
            "id": dataset_id,
            "title": slug.replace("-", " "),
            "acronym": None,
            "slug": slug,
            "description": "…",
            "description_short": "…",
            "created_at": NOW,
            "last_modified": NOW,
            "last_update": NOW,
            "deleted": None,
            "archived": None,
            "private": False,
            "featured": False,
            "frequency": "monthly",
            "license": "lov2",
            "tags": [],
            "badges": [],
            "organization": org,
            "owner": None,
            "temporal_coverage": None,
            "spatial": {"zones": ["country:fr"], "granularity": "other"},
            "schema": None,
            "extras": {},
            "metrics": {"views": 0, "followers": 0, "reuses": 0, "resources_downloads": 0},
            "quality": {},
            "uri": f"{self.base_url}/api/1/datasets/{dataset_id}/",
            "page": f"{self.base_url}/fr/datasets/{slug}/",
            "resources": resources,
            "community_resources": [],
        }
        for key in (dataset_id, slug):
            self.server.expect_request(f"/api/1/datasets/{key}/").respond_with_json(data)
        if schema:
            self.by_schema.setdefault(schema, []).append(data)
        return data

    # --- serving the search -----------------------------------------------------------------
    def _search(self, request: Request) -> Response:
        found = self.by_schema.get(request.args.get("schema", ""), [])
        page = int(request.args.get("page", "1"))
        size = self.page_size
        chunk = found[(page - 1) * size : page * size]
        more = page * size < len(found)
        schema = request.args.get("schema", "")
        link = f"{self.base_url}/api/1/datasets/?schema={schema}&page_size={size}&page="
        next_page = f"{link}{page + 1}" if more else None
        previous = f"{link}{page - 1}" if page > 1 else None
        envelope = {
            "data": chunk,
            "page": page,
            "page_size": size,
            "total": len(found),
            "next_page": next_page,
            "previous_page": previous,
        }
        return Response(json.dumps(envelope), status=200, content_type="application/json")

    # --- counting ----------------------------------------------------------------------------
    def requests(self) -> list[tuple[str, str, int]]:
        log = self.server.log
        return [(request.method, request.full_path.rstrip("?"), response.status_code) for request, response in log]

    def file_downloads(self) -> list[str]:
        return [path for _, path, status in self.requests() if path.startswith("/static/") and status == 200]


def gzipped(text: str) -> bytes:
    return gzip.compress(text.encode("utf-8"), mtime=0)


# --- the mini sources (tests/fixtures/sources-mini) published the way producers would ----------
CNIL_SLUG = "organismes-ayant-designe-un-e-delegue-e-a-la-protection-des-donnees-dpd-dpo"
CNIL_RESOURCE = "c5d02b42-1008-4406-83f5-3a81c8b936a3"
ANCT_DATASET = "68b0a2a1117b75b1b09edc6b"
# Files a first live fetch downloads: CNIL, three per OPSN dataset, two of the ANCT.
FILES_PER_FETCH = 1 + 3 * 3 + 2
SCHEMAS = {
    "opsn": "opsn-declaration-identite",
    "adherents": "opsn-declaration-adherents",
    "services": "opsn-declaration-services",
}
OPSN_DATASETS = {  # SIREN -> (dataset id, slug)
    "252405147": ("64a1f0c2a1b2c3d4e5f60001", "declaration-opsn-atd24"),
    "284800026": ("64a1f0c2a1b2c3d4e5f60002", "declaration-opsn-cdg48"),
    "200062628": ("64a1f0c2a1b2c3d4e5f60003", "declaration-opsn-haute-garonne-numerique"),
}
# Haute Garonne Numérique's member file names its OPSN with a wrong check digit on its line 3.
INVALID_OPSN, INVALID_LINE = "200062628", 3
BAD_SIREN_OPSN = "200062627"  # 200062628 with a wrong check digit


def _split_by_opsn(path, column: str) -> dict[str, bytes]:
    lines = path.read_text(encoding="utf-8").splitlines()
    header, rows = lines[0], lines[1:]
    index = header.split(",").index(column)
    out: dict[str, list[str]] = {}
    for row in rows:
        out.setdefault(row.split(",")[index], []).append(row)
    return {siren: ("\n".join([header, *found]) + "\n").encode() for siren, found in out.items()}


def publish_mini(
    portal: ReplayPortal,
    mini,
    *,
    invalid: bool = True,
    cnil_file: tuple[bytes, bytes] | None = None,
    anct_members: bytes | None = None,
) -> dict[str, dict]:
    """The CNIL dataset and one declaration dataset per OPSN of the mini sources.

    `cnil_file` = (bytes the metadata describes, bytes actually served), to corrupt a download.
    """
    cnil_body = (mini / "cnil" / "opencnil-organismes-avec-dpo.csv").read_bytes()
    described, served = cnil_file or (cnil_body, cnil_body)
    cnil = portal.resource(CNIL_RESOURCE, "opencnil-organismes-avec-dpo.csv", described, served=served)
    datasets = {
        "cnil": portal.dataset(
            "5e7b2c0a634f4151ac8d2c11",
            CNIL_SLUG,
            [cnil],
            org=organisation("534fff61a3a7292c64a77d59", "CNIL", "11000012200019"),
        )
    }
    anct = [
        portal.resource(
            "902bb360-0b60-46d2-8169-4207a01caed1",
            "operateurs-quotidien.csv",
            (mini / "anct" / "operateurs-quotidien.csv").read_bytes(),
        ),
        portal.resource(
            "ffc74be0-fb88-40cf-9048-f53e955eac28",
            "adherents-quotidien.csv.gz",
            gzipped(anct_members.decode())
            if anct_members
            else (mini / "anct" / "adherents-quotidien.csv.gz").read_bytes(),
            content_type="application/gzip",
        ),
    ]
    datasets["anct"] = portal.dataset(
        ANCT_DATASET,
        "deploiement-des-services-de-lincubateur-des-territoires",
        anct,
        org=organisation("5a0b1c2d3e4f5a6b7c8d9e0f", "ANCT", "13002603200016"),
    )
    files = {
        "opsn": _split_by_opsn(mini / "declarations" / "opsn.csv", "siren"),
        "adherents": _split_by_opsn(mini / "declarations" / "adherents.csv", "siren_opsn"),
        "services": _split_by_opsn(mini / "declarations" / "services.csv", "siren_opsn"),
    }
    if invalid:
        lines = files["adherents"][INVALID_OPSN].decode().splitlines()
        # A blocking field (x-bloquant): a SIREN of the OPSN that fails its check digit cannot be
        # attributed to any OPSN, so the whole resource is left out (a bad date would only be repaired).
        lines[INVALID_LINE - 1] = lines[INVALID_LINE - 1].replace(INVALID_OPSN, BAD_SIREN_OPSN, 1)
        files["adherents"][INVALID_OPSN] = ("\n".join(lines) + "\n").encode()
    for number, (siren, (dataset_id, slug)) in enumerate(OPSN_DATASETS.items(), start=1):
        resources = [
            portal.resource(
                f"0b7e5a1c-2d3e-4f50-8a9b-{number:06d}{n:06d}", f"{kind}.csv", files[kind][siren], schema=SCHEMAS[kind]
            )
            for n, kind in enumerate(SCHEMAS)
        ]
        org = organisation(f"64a1f0c2a1b2c3d4e5f6{number:04d}", slug, f"{siren}00017")
        for schema in SCHEMAS.values():
            portal.by_schema.setdefault(schema, [])
        data = portal.dataset(dataset_id, slug, resources, org=org)
        for schema in SCHEMAS.values():
            portal.by_schema[schema].append(data)
        datasets[siren] = data
    return datasets
