"""Recovery of what a run killed mid-publication left in the exports folder.

Readers of exports/ see only complete versions: work in progress lives in hidden staging folders,
named with the pid of the run that builds them so that recovery never removes a live one.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from observatory.publish import catalogue_index as index

STAGING_PREFIX = ".staging-"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _staging_pid(folder: Path) -> int | None:
    parts = folder.name.removeprefix(STAGING_PREFIX).split("-")
    return int(parts[1]) if len(parts) == 3 and parts[1].isdigit() else None


def recover_interrupted(exports_dir: Path) -> list[str]:
    """Finish what a run killed mid-publication left; returns what it did, for the log.

    Staging folders of dead runs are removed; a version renamed into place but never catalogued is
    complete (the rename is the last step of building it), so it is catalogued and LATEST follows."""
    done = []
    for stale in exports_dir.glob(f"{STAGING_PREFIX}*"):
        pid = _staging_pid(stale)
        if pid is None or not _alive(pid):
            shutil.rmtree(stale, ignore_errors=True)
            done.append(f"dossier provisoire abandonné supprimé : {stale.name}")
    listed = {entry["version"] for entry in index.read_index(exports_dir)}
    folders = [p for p in exports_dir.iterdir() if p.is_dir() and not p.name.startswith(".")]
    unlisted = sorted(p.name for p in folders if p.name not in listed and (p / "datapackage.json").is_file())
    if unlisted:
        # Rebuilt from the folders, in publication order; build times the index knew are kept.
        index.rebuild(exports_dir)
        done += [f"version publiée mais absente du catalogue, ajoutée : {name}" for name in unlisted]
    return done
