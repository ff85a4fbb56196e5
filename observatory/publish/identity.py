"""A release's identity: the fingerprint of everything that made it, and the date of its data.

Two runs on the same sources, referential, reviewed decisions, schemas and code get the same
inputs fingerprint whatever the day, so the second one publishes nothing. The version name
takes its date from the data, never from the clock.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from observatory.paths import CODE_ROOT, SCHEMAS_DIR

# The code that turns inputs into published rows: a change of any of these files may change
# the output, so it changes the identity (`__version__` alone is a constant).
CODE_DIRS = ("observatory", "assets")
CODE_SUFFIXES = (".py", ".sql", ".yaml", ".csv")


def _files(root: Path, directories: Iterable[str], suffixes: tuple[str, ...]) -> list[Path]:
    found = [
        path
        for directory in directories
        for path in (root / directory).rglob("*")
        if path.is_file() and path.suffix in suffixes and "__pycache__" not in path.parts
    ]
    return sorted(found, key=lambda p: p.relative_to(root).as_posix())


def tree_hash(root: Path, directories: Iterable[str], suffixes: tuple[str, ...]) -> str:
    """sha256 over (relative path, bytes) of the files, in sorted path order."""
    digest = hashlib.sha256()
    for path in _files(root, directories, suffixes):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def code_hash(root: Path = CODE_ROOT) -> str:
    return tree_hash(root, CODE_DIRS, CODE_SUFFIXES)


def schemas_hash(schemas_dir: Path = SCHEMAS_DIR) -> str:
    return tree_hash(schemas_dir.parent, [schemas_dir.name], (".json",))


def inputs_fingerprint(input_hashes: Iterable[str], *, data_date: str, code: str | None = None) -> str:
    """Same source snapshots, referential, reviewed mappings, data date, schemas and code -> same value."""
    digest = hashlib.sha256(b"observatoire-opsn/entrees/1\0")
    for value in sorted(input_hashes):
        digest.update(value.encode() + b"\0")
    digest.update(f"date_donnees={data_date}\0".encode())
    digest.update(f"schemas={schemas_hash()}\0".encode())
    digest.update(f"code={code if code is not None else code_hash()}\0".encode())
    return digest.hexdigest()


def release_fingerprint(inputs: str, previous_version: str | None) -> str:
    """The previous release is compared with, so it shapes the changelog and the history: it is
    part of the identity, and the same inputs after the same previous release give the same bytes."""
    digest = hashlib.sha256(b"observatoire-opsn/publication/1\0")
    digest.update(inputs.encode() + b"\0")
    digest.update((previous_version or "-").encode())
    return digest.hexdigest()


def version_name(data_date: str, fingerprint: str) -> str:
    return f"{data_date}-{fingerprint[:8]}"


def data_date(
    *, last_modified: Iterable[str | None] = (), manifest: dict | None = None, newest_designation: str | None = None
) -> str:
    """Live: the newest resource `last_modified`; local/embedded: the MANIFEST's `date_donnees`;
    else the newest CNIL designation date. Never the clock: a date nobody can state is an error."""
    dates = sorted(str(value)[:10] for value in last_modified if value)
    if dates:
        return dates[-1]
    declared = (manifest or {}).get("date_donnees")
    if declared:
        return str(declared)[:10]
    if newest_designation:
        return str(newest_designation)[:10]
    raise ValueError(
        "date des données introuvable : ni `last_modified` des ressources, ni `date_donnees` dans "
        "MANIFEST.json, ni date de désignation dans le fichier CNIL"
    )
