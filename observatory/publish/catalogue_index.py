"""`exports/index.json` (every version) and `exports/LATEST` (the newest), rebuildable from the folders.

Each release folder's `datapackage.json` carries everything its index entry needs except the
build time, so a steward who loses or breaks the index runs
`python -m observatory.publish.catalogue_index exports/` and gets it back.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

INDEX_FILE = "index.json"
LATEST_FILE = "LATEST"
LEGACY_HISTORY_FILE = "historique.json"


def _write_atomically(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)


def entry_from_descriptor(descriptor: dict, *, built_at: str | None) -> dict:
    rows = {r["name"]: r.get("rows", 0) for r in descriptor.get("resources", []) if r.get("format") == "csv"}
    return {
        "version": descriptor["version"],
        "date_donnees": (descriptor.get("created") or "")[:10] or None,
        "empreinte": descriptor.get("empreinte"),
        "empreinte_entrees": descriptor.get("empreinte_entrees"),
        "version_precedente": descriptor.get("version_precedente"),
        "demonstration": bool(descriptor.get("demonstration", False)),
        "sources": [
            {k: s[k] for k in ("title", "path", "hash", "bytes") if k in s} for s in descriptor.get("sources", [])
        ],
        "lignes": rows,
        "construit_le": built_at,
    }


def entry_from_folder(folder: Path, *, built_at: str | None = None) -> dict | None:
    path = folder / "datapackage.json"
    if not path.is_file():
        return None
    return entry_from_descriptor(json.loads(path.read_text(encoding="utf-8")), built_at=built_at)


def _stored_entries(exports_dir: Path) -> list[dict] | None:
    """The entries index.json holds, or None when it is absent or unreadable (then the folders say)."""
    path = exports_dir / INDEX_FILE
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))["versions"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return entries if isinstance(entries, list) else None


def read_index(exports_dir: Path) -> list[dict]:
    stored = _stored_entries(exports_dir)
    if stored is not None:
        return stored
    if exports_dir.is_dir() and any(p.is_dir() and not p.name.startswith(".") for p in exports_dir.glob("*")):
        return rebuild_entries(exports_dir)
    return []


def write_index(exports_dir: Path, entries: list[dict]) -> None:
    document = {
        "description": "Toutes les publications de l'observatoire des OPSN, de la plus ancienne à la plus récente.",
        "versions": entries,
    }
    _write_atomically(exports_dir / INDEX_FILE, json.dumps(document, ensure_ascii=False, indent=2) + "\n")


def write_latest(exports_dir: Path, version: str) -> None:
    _write_atomically(exports_dir / LATEST_FILE, version + "\n")


def latest(exports_dir: Path) -> str | None:
    path = exports_dir / LATEST_FILE
    if path.is_file() and (version := path.read_text(encoding="utf-8").strip()):
        return version
    entries = read_index(exports_dir)
    return entries[-1]["version"] if entries else None


def find_identical(exports_dir: Path, inputs_fingerprint: str) -> dict | None:
    for entry in read_index(exports_dir):
        if entry.get("empreinte_entrees") == inputs_fingerprint and (exports_dir / entry["version"]).is_dir():
            return entry
    return None


def _chain_order(entries: list[dict]) -> list[dict]:
    """Publication order follows the `version_precedente` links; ties (or broken links) by data date."""
    by_version = {e["version"]: e for e in entries}
    ordered: list[dict] = []
    placed: set[str] = set()

    def place(entry: dict) -> None:
        if entry["version"] in placed:
            return
        previous = entry.get("version_precedente")
        if previous in by_version and previous not in placed:
            place(by_version[previous])
        placed.add(entry["version"])
        ordered.append(entry)

    for entry in sorted(entries, key=lambda e: (e.get("date_donnees") or "", e["version"])):
        place(entry)
    return ordered


def rebuild_entries(exports_dir: Path) -> list[dict]:
    entries = []
    for folder in sorted(p for p in exports_dir.iterdir() if p.is_dir() and not p.name.startswith(".")):
        entry = entry_from_folder(folder)
        if entry is not None and entry["version"] == folder.name:
            entries.append(entry)
    return _chain_order(entries)


def rebuild(exports_dir: Path) -> list[dict]:
    """Rewrite index.json and LATEST from the version folders. Build times the old index knew are
    kept; a folder the index did not know gets none (it is not in the data)."""
    known = {e.get("version"): e.get("construit_le") for e in _stored_entries(exports_dir) or []}
    entries = rebuild_entries(exports_dir)
    for entry in entries:
        entry["construit_le"] = known.get(entry["version"])
    write_index(exports_dir, entries)
    if entries:
        write_latest(exports_dir, entries[-1]["version"])
    return entries


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage : python -m observatory.publish.catalogue_index <dossier exports>", file=sys.stderr)
        return 2
    exports_dir = Path(argv[0])
    entries = rebuild(exports_dir)
    newest = entries[-1]["version"] if entries else "-"
    print(f"{exports_dir / INDEX_FILE} : {len(entries)} version(s) ; LATEST = {newest}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
