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

from observatory import __version__
from observatory.paths import SCHEMAS_DIR
from observatory.publish.catalog import PUBLISHED_TABLES
from observatory.publish.descriptor import build_package
from observatory.publish.errors import InvalidPackage
from observatory.publish.researcher_db import build_researcher_db
from observatory.publish.tables import export_table
from observatory.publish.validation import validate_release_files

HISTORY_FILE = "historique.json"


__all__ = ["InvalidPackage", "Release", "publish_release"]


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
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(history, ensure_ascii=False, indent=2), encoding="utf-8")
    temporary.replace(path)
    (exports_dir / "LATEST").write_text(entry["version"] + "\n", encoding="utf-8")


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
    progress: Callable[[str], None] | None = None,
) -> Release:
    day = today or datetime.now(UTC).date().isoformat()
    version = f"{day}-{fingerprint(input_hashes)[:8]}"
    target = exports_dir / version
    if target.exists():
        rows = json.loads((target / "datapackage.json").read_text(encoding="utf-8"))
        counts = {r["name"]: r.get("rows", 0) for r in rows.get("resources", []) if not r["name"].endswith("_parquet")}
        return Release(version, target, False, counts, _folder_bytes(target))
    exports_dir.mkdir(parents=True, exist_ok=True)
    staging = exports_dir / f".staging-{uuid.uuid4().hex[:8]}"
    staging.mkdir()
    try:
        rows = {name: export_table(con, table, name, staging, progress)["rows"] for name, table in tables.items()}
        created = datetime.now(UTC).isoformat(timespec="seconds")
        package = build_package(
            staging, list(tables), version=version, demonstration=demonstration, sources=sources, created=created
        )
        for resource in package.resources:
            if not resource.name.endswith("_parquet"):
                resource.custom["rows"] = rows[resource.name]
        package.to_json(str(staging / "datapackage.json"))
        validate_release_files(staging, list(tables), expected_rows=rows, progress=progress)
        (staging / "README.md").write_text(documentation(version), encoding="utf-8")
        build_researcher_db(staging, list(tables))
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
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
