"""Verified, conditional downloads of udata resources into a content-addressed store.

Layout of the store, one folder per resource id:

    <store>/<resource id>/<sha256>/<file name>   the bytes, never rewritten
    <store>/<resource id>/<sha256>/source.json   sidecar: URL, ids, fetch time, sha256, size, ETag, licence
    <store>/<resource id>/etat.json              the copy in use and the validators for the next request

A download streams to a temporary file in the same folder and is renamed into place only
after every check passed, so a failed download leaves the previous copy in use.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import sys
import zlib
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urlparse

import requests

from observatory.datagouv.checksum import UNVERIFIABLE, hasher_for, published_checksum
from observatory.datagouv.client import DatagouvClient
from observatory.datagouv.errors import DownloadError

PROGRESS_THRESHOLD = 10 * 1024 * 1024
CHUNK = 1 << 16
STATE_FILE = "etat.json"
SIDECAR = "source.json"


@dataclass(frozen=True)
class Download:
    resource_id: str
    dataset_id: str
    url: str
    path: str
    sha256: str
    size_bytes: int
    fetched_at: str
    etag: str | None
    last_modified: str | None
    licence: str | None
    downloaded: bool  # False when the portal answered 304 and the stored copy was reused

    def sidecar(self) -> dict:
        data = asdict(self)
        data.pop("downloaded")
        return data


def _file_name(resource: dict, final_url: str) -> str:
    name = Path(unquote(urlparse(final_url).path)).name
    title = resource.get("title") or ""
    if not name or "." not in name:
        name = title if "." in title else f"{resource['id']}.{resource.get('format') or 'bin'}"
    return name.replace("/", "_")


def _read_state(folder: Path) -> dict | None:
    path = folder / STATE_FILE
    if not path.exists():
        return None
    state = json.loads(path.read_text(encoding="utf-8"))
    return state if Path(state["path"]).exists() else None


def _write_json(path: Path, data: dict) -> None:
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    temporary.replace(path)


def _looks_like_html(head: bytes) -> bool:
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return start.startswith((b"<!doctype html", b"<html", b"<head", b"<body"))


def _check_body(url: str, status: int, path: Path, name: str, content_type: str, head: bytes) -> None:
    expects_gzip = name.endswith(".gz")
    if expects_gzip:
        if not head.startswith(b"\x1f\x8b"):
            raise DownloadError(
                url,
                f"le fichier {name} n'est pas compressé gzip ({content_type})",
                status=status,
                expected="un fichier .csv.gz",
            )
        try:
            with gzip.open(path, "rb") as handle:
                first = handle.read(512)
                while handle.read(CHUNK):
                    pass
        except (OSError, EOFError, zlib.error) as error:
            raise DownloadError(
                url, f"archive gzip tronquée ou illisible ({error})", status=status, expected="un .csv.gz complet"
            ) from error
        head = first
    if "text/html" in content_type.lower() or _looks_like_html(head):
        raise DownloadError(
            url,
            f"page HTML reçue au lieu d'un fichier ({content_type or 'type inconnu'})",
            status=status,
            expected="un fichier CSV",
        )


def _progress_line(name: str, done: int, total: int | None) -> str:
    megabytes = done / 1_048_576
    if total:
        return f"téléchargement {name} : {megabytes:.0f} Mo / {total / 1_048_576:.0f} Mo ({100 * done / total:.0f} %)"
    return f"téléchargement {name} : {megabytes:.0f} Mo"


def download_resource(
    client: DatagouvClient,
    resource: dict,
    dataset: dict,
    store: Path,
    *,
    progress: Callable[[str], None] | None = None,
    log: Callable[[str], None] | None = None,
) -> Download:
    """Fetch a resource through its `latest` permalink unless the stored copy is still current."""
    rid = resource["id"]
    folder = store / rid
    folder.mkdir(parents=True, exist_ok=True)
    url = client.latest_url(rid)
    state = _read_state(folder)
    headers = {}
    if state:
        if state.get("etag"):
            headers["If-None-Match"] = state["etag"]
        if state.get("last_modified"):
            headers["If-Modified-Since"] = state["last_modified"]
    try:
        response = client.session.get(url, headers=headers, stream=True, timeout=client.timeout)
    except requests.RequestException as error:
        raise DownloadError(url, f"téléchargement impossible ({error.__class__.__name__}: {error})") from error
    with response:
        if response.status_code == 304 and state:
            return Download(**{**state, "downloaded": False})
        if response.status_code != 200:
            raise DownloadError(
                response.url,
                "réponse inattendue",
                status=response.status_code,
                expected="200 avec le fichier (ou 304 s'il n'a pas changé)",
            )
        name = _file_name(resource, response.url)
        content_type = response.headers.get("Content-Type", "")
        announced = response.headers.get("Content-Length")
        total = int(announced) if announced and announced.isdigit() else resource.get("filesize")
        published = published_checksum(resource)
        checker = hasher_for(published[0]) if published else None
        if published and published[0] in UNVERIFIABLE and log:
            log(f"{name} : somme de contrôle de type {published[0]} non vérifiable, ignorée")
        digest = hashlib.sha256()
        size, head, next_report = 0, b"", PROGRESS_THRESHOLD
        temporary = folder / f".{name}.{os.getpid()}.part"
        try:
            with temporary.open("wb") as handle:
                try:
                    for block in response.iter_content(CHUNK):
                        handle.write(block)
                        digest.update(block)
                        if checker:
                            checker.update(block)
                        if len(head) < 512:
                            head += block[: 512 - len(head)]
                        size += len(block)
                        if size >= next_report:  # so only files over 10 MB report progress
                            line = _progress_line(name, size, total)
                            if progress:
                                progress(line)
                            if sys.stderr.isatty():
                                print(f"\r{line}", end="", file=sys.stderr, flush=True)
                            next_report += PROGRESS_THRESHOLD
                except requests.RequestException as error:
                    raise DownloadError(
                        response.url,
                        f"corps tronqué après {size} octets ({error.__class__.__name__})",
                        status=200,
                        expected=f"{announced or '?'} octets",
                    ) from error
                finally:
                    if size > PROGRESS_THRESHOLD and sys.stderr.isatty():
                        print(file=sys.stderr)  # end the terminal's progress line
            if announced and announced.isdigit() and size != int(announced):
                raise DownloadError(
                    response.url,
                    f"corps tronqué : {size} octets reçus",
                    status=200,
                    expected=f"{announced} octets (Content-Length)",
                )
            _check_body(response.url, 200, temporary, name, content_type, head)
            filesize = resource.get("filesize")
            if filesize and size != int(filesize):
                raise DownloadError(
                    response.url, f"taille {size} octets", status=200, expected=f"{filesize} octets (filesize publié)"
                )
            if checker and checker.hexdigest() != published[1]:
                raise DownloadError(
                    response.url,
                    f"somme de contrôle {published[0]} {checker.hexdigest()}",
                    status=200,
                    expected=f"{published[1]} (checksum publié)",
                )
            sha256 = digest.hexdigest()
            target_dir = folder / sha256
            target_dir.mkdir(exist_ok=True)
            target = target_dir / name
            if target.exists():
                temporary.unlink()
            else:
                temporary.replace(target)
        finally:
            temporary.unlink(missing_ok=True)
        download = Download(
            resource_id=rid,
            dataset_id=dataset.get("id", ""),
            url=response.url,
            path=str(target),
            sha256=sha256,
            size_bytes=size,
            fetched_at=datetime.now(UTC).isoformat(timespec="seconds"),
            etag=response.headers.get("ETag"),
            last_modified=response.headers.get("Last-Modified"),
            licence=dataset.get("license"),
            downloaded=True,
        )
    sidecar = target_dir / SIDECAR
    if not sidecar.exists():  # the first fetch of these bytes is their provenance; never rewritten
        _write_json(sidecar, {**download.sidecar(), "permalien": url, "titre": resource.get("title")})
    _write_json(folder / STATE_FILE, download.sidecar())
    return download
