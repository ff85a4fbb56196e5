"""Making a prepared release visible: rename, then index, then LATEST, under the publication lock."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

from observatory.faults import checkpoint
from observatory.locking import exclusive
from observatory.publish import catalogue_index as index
from observatory.publish.release_types import PreparedRelease, Release

OUTCOME_FILE = "derniere-publication.txt"
LOCK_FILE = ".verrou"
# Publication is short: a second pipeline publishing into the same folder waits for it.
PUBLICATION_WAIT_SECONDS = 600


def _folder_bytes(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def _rename_into_place(prepared: PreparedRelease) -> tuple[Path, bool]:
    target = prepared.exports_dir / prepared.version
    try:
        prepared.staging.rename(target)
    except OSError:
        if not target.is_dir():
            raise
        # Another run published the same version first: same identity, same bytes; keep theirs.
        shutil.rmtree(prepared.staging, ignore_errors=True)
        return target, False
    return target, True


def _update_index(prepared: PreparedRelease, target: Path, built_at: str) -> None:
    entries = [e for e in index.read_index(prepared.exports_dir) if e["version"] != prepared.version]
    entries.append(index.entry_from_folder(target, built_at=built_at))
    index.write_index(prepared.exports_dir, entries)


def finalize_release(prepared: PreparedRelease, *, built_at: str | None = None) -> Release:
    """Rename, then index, then LATEST: three separate steps, each leaving a readable state."""
    if prepared.staging is None:
        path = prepared.existing
        return Release(prepared.version, path, False, prepared.rows, _folder_bytes(path))
    with exclusive(prepared.exports_dir / LOCK_FILE, purpose="publication", wait_seconds=PUBLICATION_WAIT_SECONDS):
        checkpoint("avant_renommage")
        target, created = _rename_into_place(prepared)
        checkpoint("apres_renommage")
        checkpoint("avant_catalogue")
        _update_index(prepared, target, built_at or datetime.now(UTC).isoformat(timespec="seconds"))
        index.write_latest(prepared.exports_dir, prepared.version)
    return Release(prepared.version, target, created, prepared.rows, _folder_bytes(target))


def write_outcome(build_dir: Path, release: Release) -> Path:
    """The line `make run` prints last."""
    build_dir.mkdir(parents=True, exist_ok=True)
    path = build_dir / OUTCOME_FILE
    path.write_text(release.outcome + "\n", encoding="utf-8")
    return path
