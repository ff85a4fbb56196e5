"""Publish an immutable, versioned release under exports/<version>/.

Everything is written to a staging folder, validated, then renamed into place in one step:
a failed or invalid build never touches what is already published, and a version that
exists is never rewritten.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
from frictionless import validate

from observatory import __version__
from observatory.faults import checkpoint
from observatory.locking import exclusive
from observatory.paths import SCHEMAS_DIR
from observatory.publish.catalog import PUBLISHED_TABLES
from observatory.publish.descriptor import build_package
from observatory.publish.researcher_db import build_researcher_db
from observatory.publish.tables import export_table

HISTORY_FILE = "historique.json"
# Readers of exports/ see only complete versions: work in progress lives in hidden folders.
STAGING_PREFIX = ".staging-"
LOCK_FILE = ".verrou"
# Publication is short: a second pipeline publishing into the same folder waits for it.
PUBLICATION_WAIT_SECONDS = 600


class InvalidPackage(RuntimeError):
    pass


@dataclass(frozen=True)
class Release:
    version: str
    path: Path
    created: bool
    rows: dict[str, int]
    bytes: int


def fingerprint(input_hashes: list[str]) -> str:
    """Same inputs, schemas and code version -> same fingerprint -> same release."""
    digest = hashlib.sha256(__version__.encode())
    for value in sorted(input_hashes):
        digest.update(value.encode())
    for schema in sorted(SCHEMAS_DIR.rglob("*.json")):
        digest.update(schema.read_bytes())
    return digest.hexdigest()


def _folder_bytes(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def _append_history(exports_dir: Path, entry: dict) -> None:
    path = exports_dir / HISTORY_FILE
    history = json.loads(path.read_text(encoding="utf-8")) if path.exists() else []
    history.append(entry)
    _write_atomically(path, json.dumps(history, ensure_ascii=False, indent=2))
    _write_atomically(exports_dir / "LATEST", entry["version"] + "\n")


def _write_atomically(path: Path, text: str) -> None:
    """A reader sees the old file or the new one, never half of it, even after a kill."""
    temporary = path.parent / f".{path.name}.tmp"
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)


def _listed(exports_dir: Path, version: str) -> bool:
    path = exports_dir / HISTORY_FILE
    return path.exists() and any(e["version"] == version for e in json.loads(path.read_text(encoding="utf-8")))


def _recover_interrupted(exports_dir: Path) -> None:
    """Finish what a run killed mid-publication left (the publication lock is held: none is live).

    Staging folders are removed; a version renamed into place but never catalogued is complete
    (the rename is the last step of building it) and is catalogued."""
    for stale in exports_dir.glob(f"{STAGING_PREFIX}*"):
        shutil.rmtree(stale, ignore_errors=True)
    unlisted = []
    for folder in (p for p in exports_dir.iterdir() if p.is_dir() and not p.name.startswith(".")):
        descriptor = folder / "datapackage.json"
        if descriptor.exists() and not _listed(exports_dir, folder.name):
            unlisted.append((folder, json.loads(descriptor.read_text(encoding="utf-8"))))
    # In the order they were built, so that LATEST ends on the most recent.
    for folder, package in sorted(unlisted, key=lambda item: (item[1].get("created", ""), item[0].name)):
        resources = package.get("resources", [])
        counts = {r["name"]: r.get("rows", 0) for r in resources if not r["name"].endswith("_parquet")}
        entry = {"version": folder.name, "cree_le": package.get("created", ""), "lignes": counts, "recuperee": True}
        _append_history(exports_dir, {**entry, "demonstration": bool(package.get("demonstration", False))})


def publish_release(
    con: duckdb.DuckDBPyConnection,
    exports_dir: Path,
    *,
    input_hashes: list[str],
    demonstration: bool,
    sources: list[dict],
    documentation: Callable[[str], str],
    today: str | None = None,
    tables: dict[str, str] = PUBLISHED_TABLES,
) -> Release:
    exports_dir.mkdir(parents=True, exist_ok=True)
    with exclusive(exports_dir / LOCK_FILE, purpose="publication", wait_seconds=PUBLICATION_WAIT_SECONDS):
        _recover_interrupted(exports_dir)
        return _publish_locked(
            con, exports_dir, input_hashes=input_hashes, demonstration=demonstration, sources=sources,
            documentation=documentation, today=today, tables=tables,
        )


def _publish_locked(
    con: duckdb.DuckDBPyConnection,
    exports_dir: Path,
    *,
    input_hashes: list[str],
    demonstration: bool,
    sources: list[dict],
    documentation: Callable[[str], str],
    today: str | None,
    tables: dict[str, str],
) -> Release:
    day = today or datetime.now(UTC).date().isoformat()
    version = f"{day}-{fingerprint(input_hashes)[:8]}"
    target = exports_dir / version
    if target.exists():
        rows = json.loads((target / "datapackage.json").read_text(encoding="utf-8"))
        counts = {r["name"]: r.get("rows", 0) for r in rows.get("resources", []) if not r["name"].endswith("_parquet")}
        return Release(version, target, False, counts, _folder_bytes(target))
    staging = exports_dir / f"{STAGING_PREFIX}{uuid.uuid4().hex[:8]}"
    staging.mkdir()
    try:
        rows = {name: export_table(con, table, name, staging)["rows"] for name, table in tables.items()}
        checkpoint("publication_tables")
        created = datetime.now(UTC).isoformat(timespec="seconds")
        package = build_package(
            staging, list(tables), version=version, demonstration=demonstration, sources=sources, created=created
        )
        for resource in package.resources:
            if not resource.name.endswith("_parquet"):
                resource.custom["rows"] = rows[resource.name]
        package.to_json(str(staging / "datapackage.json"))
        report = validate(str(staging / "datapackage.json"))
        if not report.valid:
            errors = report.flatten(["rowNumber", "fieldName", "type", "note", "cell"])[:20]
            raise InvalidPackage(f"paquet invalide, rien n'est publié : {errors}")
        (staging / "README.md").write_text(documentation(version), encoding="utf-8")
        build_researcher_db(staging, list(tables))
        checkpoint("avant_renommage")
        staging.rename(target)
        checkpoint("apres_renommage")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    checkpoint("avant_catalogue")
    _append_history(
        exports_dir,
        {
            "version": version,
            "cree_le": created,
            "demonstration": demonstration,
            "lignes": rows,
            "empreinte_entrees": sorted(input_hashes),
        },
    )
    return Release(version, target, True, rows, _folder_bytes(target))
