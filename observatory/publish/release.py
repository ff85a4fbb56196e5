"""Publish an immutable, versioned release under exports/<version>/, in two steps.

`prepare_release` decides the identity (or finds an identical release), writes everything to
a staging folder and validates it; `finalize_release` renames the folder into place and then
updates the catalogue. A failed or invalid build never touches what is already published, a
version that exists is never rewritten, and the same inputs after the same previous release
give byte-identical CSV, Parquet, datapackage.json and README.

Each table is checked, and added to the researchers' DuckDB file, on other threads as soon as
its two files are written, while the next one is written (DuckDB releases the GIL, and the
machine has two cores): bytes, messages and their order are those of doing it in sequence.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from observatory.faults import checkpoint
from observatory.locking import exclusive
from observatory.publish import catalogue_index as index
from observatory.publish.background import SerialWorker
from observatory.publish.catalog import CHANGES_TABLE, DEMO_LABEL, HISTORY_TABLE, PUBLISHED_TABLES
from observatory.publish.changelog import build_changes, render_changelog
from observatory.publish.descriptor import build_package, write_package
from observatory.publish.errors import InvalidPackage
from observatory.publish.finalize import LOCK_FILE, PUBLICATION_WAIT_SECONDS, finalize_release, write_outcome
from observatory.publish.history import build_history
from observatory.publish.identity import inputs_fingerprint, release_fingerprint, version_name
from observatory.publish.keys import key_violations
from observatory.publish.recovery import STAGING_PREFIX, recover_interrupted
from observatory.publish.release_types import PreparedRelease, Release
from observatory.publish.researcher_db import FILE_NAME as DATABASE_FILE
from observatory.publish.researcher_db import ResearcherDatabase
from observatory.publish.tables import export_table
from observatory.publish.validation import ReleaseValidator

README_FILE = "README.md"
CHANGELOG_FILE = "CHANGELOG.md"


__all__ = [
    "InvalidPackage",
    "PreparedRelease",
    "Release",
    "finalize_release",
    "prepare_release",
    "publish_release",
    "write_outcome",
]


def _rows_of(folder: Path) -> dict[str, int]:
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    return {r["name"]: r.get("rows", 0) for r in descriptor["resources"] if r.get("format") == "csv"}


def _existing(exports_dir: Path, entry: dict, prepared: dict) -> PreparedRelease:
    path = exports_dir / entry["version"]
    return PreparedRelease(
        version=entry["version"],
        fingerprint=entry.get("empreinte") or "",
        staging=None,
        existing=path,
        exports_dir=exports_dir,
        previous=entry.get("version_precedente"),
        rows=_rows_of(path),
        **prepared,
    )


def prepare_release(con: duckdb.DuckDBPyConnection, exports_dir: Path, **options) -> PreparedRelease:
    """Under the publication lock: recover from an interrupted run, then build the staging folder."""
    exports_dir.mkdir(parents=True, exist_ok=True)
    say = options.get("progress") or (lambda message: None)
    with exclusive(exports_dir / LOCK_FILE, purpose="publication", wait_seconds=PUBLICATION_WAIT_SECONDS):
        for line in recover_interrupted(exports_dir):
            say(f"reprise : {line}")
        return _prepare_locked(con, exports_dir, **options)


def _prepare_locked(
    con: duckdb.DuckDBPyConnection,
    exports_dir: Path,
    *,
    input_hashes: list[str],
    data_date: str,
    demonstration: bool,
    sources: list[dict],
    documentation: Callable[..., str],
    tables: dict[str, str] = PUBLISHED_TABLES,
    code: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> PreparedRelease:
    """`documentation(version=, fingerprint=, data_date=, previous=, rows=)` returns the README text."""
    say = progress or (lambda message: None)
    inputs = inputs_fingerprint(input_hashes, data_date=data_date, code=code)
    common = {"demonstration": demonstration, "sources": sources, "inputs_fingerprint": inputs, "data_date": data_date}
    identical = index.find_identical(exports_dir, inputs)
    if identical is not None:
        say(f"publication : entrées identiques à la version {identical['version']}, rien n'est écrit")
        return _existing(exports_dir, identical, common)
    previous = index.latest(exports_dir)
    previous_dir = exports_dir / previous if previous and (exports_dir / previous).is_dir() else None
    if previous_dir is None:
        previous = None
    fingerprint = release_fingerprint(inputs, previous)
    version = version_name(data_date, fingerprint)
    if (exports_dir / version).exists():  # same content published by a run whose index entry was lost
        entry = index.entry_from_folder(exports_dir / version, built_at=None)
        return _existing(exports_dir, entry, common)
    staging = exports_dir / f"{STAGING_PREFIX}{fingerprint[:8]}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    staging.mkdir()
    identity = {"empreinte": fingerprint, "empreinte_entrees": inputs, "version_precedente": previous}
    metadata = {"version": version, "date_donnees": data_date, "demonstration": demonstration, "sources": sources}
    flag = {"demonstration": "true" if demonstration else "false"}
    if demonstration:
        flag["avertissement"] = DEMO_LABEL
    # Built on a thread of its own from each Parquet file once written, while the next table is
    # produced and checked; datapackage.json carries no hash of it.
    database, database_worker = ResearcherDatabase(staging), SerialWorker("base-chercheurs")
    try:
        with ReleaseValidator(staging, _release_names(tables)) as validator:
            writer = _TableWriter(
                con, staging, validator, flag, lambda name: database_worker.submit(database.add, name)
            )
            rows: dict[str, int] = {}
            for name, table in tables.items():
                rows[name] = writer.write(table, name, progress)
                checkpoint("publication_tables")
            names = list(tables)
            if "indicateurs" in tables:
                history = build_history(
                    con,
                    version=version,
                    data_date=data_date,
                    indicators_table=tables["indicateurs"],
                    previous_dir=previous_dir,
                )
                rows[HISTORY_TABLE] = writer.write(history, HISTORY_TABLE)
                names.append(HISTORY_TABLE)
            previous_rows = _rows_of(previous_dir) if previous_dir else {}
            previous_rows.pop(CHANGES_TABLE, None)  # a changelog of changelogs says nothing
            changes = build_changes(
                con, new_dir=staging, previous_dir=previous_dir, rows=rows, previous_rows=previous_rows
            )
            rows[CHANGES_TABLE] = writer.write(changes, CHANGES_TABLE)
            names.append(CHANGES_TABLE)
            database_worker.submit(database.finish, {**metadata, **identity})
            (staging / CHANGELOG_FILE).write_text(
                render_changelog(con, version=version, previous=previous), encoding="utf-8"
            )
            problems = key_violations(con, staging, names)
            if problems:
                raise InvalidPackage("clés invalides, rien n'est publié : " + " ; ".join(problems[:20]))
            readme = documentation(
                version=version, fingerprint=fingerprint, data_date=data_date, previous=previous, rows=rows
            )
            (staging / README_FILE).write_text(readme, encoding="utf-8")
            package = build_package(
                staging,
                names,
                version=version,
                demonstration=demonstration,
                sources=sources,
                created=f"{data_date}T00:00:00Z",
                rows=rows,
                identity=identity,
                files={"readme": README_FILE, "changelog": CHANGELOG_FILE, "database": DATABASE_FILE},
            )
            write_package(staging, package)
            database_worker.result()
            # Every published byte against its Table Schema, in DuckDB, then every listed file against its
            # declared checksum and size (validation_package.py); frictionless proves the same in the tests.
            validator.finish(progress)
    except BaseException:
        database_worker.abandon()
        database.close()
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return PreparedRelease(
        version=version,
        fingerprint=fingerprint,
        staging=staging,
        existing=None,
        exports_dir=exports_dir,
        previous=previous,
        rows=rows,
        **common,
    )


def _release_names(tables: dict[str, str]) -> list[str]:
    """The resources `_prepare_locked` writes, in order: the warehouse's, then history and changes."""
    return [*tables, *([HISTORY_TABLE] if "indicateurs" in tables else []), CHANGES_TABLE]


@dataclass(frozen=True)
class _TableWriter:
    """Writes a resource's CSV and Parquet into the staging folder, then hands them to validation."""

    con: duckdb.DuckDBPyConnection
    staging: Path
    validator: ReleaseValidator
    parquet_metadata: dict[str, str]
    written: Callable[[str], None]  # told each resource name once its two files are written

    def write(self, table: str, name: str, progress: Callable[[str], None] | None = None) -> int:
        rows = export_table(
            self.con, table, name, self.staging, parquet_metadata=self.parquet_metadata, progress=progress
        )["rows"]
        self.validator.ready(name, rows)
        self.written(name)
        return rows


def publish_release(con: duckdb.DuckDBPyConnection, exports_dir: Path, **options) -> Release:
    """Both steps at once, for callers with nothing to add to the staging folder."""
    return finalize_release(prepare_release(con, exports_dir, **options))
