"""The one directory layout every source mode produces.

A steward's folder, the embedded demo folder and a live download all end up as this tree,
so everything downstream reads the same paths whatever the mode.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from observatory.errors import SourceError
from observatory.table_catalog import RAW_SOURCES

# Logical source name -> relative path, from the table catalogue. The CNIL file may also be
# gzip-compressed (`.csv.gz`), which is how the embedded demo copy is kept small in git.
SOURCE_FILES = {source.name: source.path for source in RAW_SOURCES if source.path}
# Sources a tree may lack, each stood for by a header-only file: outside live mode nothing is
# excluded, and a steward's folder made before the ANCT files joined the layout has none.
# name -> (Table Schema of its header, separator)
OPTIONAL_SOURCES = {source.name: (source.schema, source.separator) for source in RAW_SOURCES if source.optional}
MANIFEST_NAME = "MANIFEST.json"
# Reviewed decisions that belong to a demonstration tree (written by its generator, schema
# mappings/rapprochements): made about demo rows, they must never touch real declarations.
DEMO_DECISIONS = "decisions/rapprochements.csv"


@dataclass(frozen=True)
class SourceTree:
    root: Path

    def path(self, name: str) -> Path:
        relative = SOURCE_FILES[name]
        plain = self.root / relative
        if plain.exists():
            return plain
        compressed = self.root / f"{relative}.gz"
        if compressed.exists():
            return compressed
        raise SourceError(plain, "fichier source absent (ni .csv ni .csv.gz)")

    def optional_path(self, name: str) -> Path | None:
        try:
            return self.path(name)
        except SourceError:
            return None

    def manifest(self) -> dict:
        path = self.root / MANIFEST_NAME
        if not path.exists():
            return {}
        return json.loads(path.read_text(encoding="utf-8"))

    @property
    def is_demonstration(self) -> bool:
        """Only a manifest that says so marks data as demo; a steward's own folder has none."""
        return bool(self.manifest().get("demonstration", False))

    def reviewed_mappings(self, repository: Path) -> list[Path]:
        """Reviewed mapping files for this tree: the repository's, then a demonstration tree's own."""
        own = self.root / DEMO_DECISIONS
        return [Path(repository), *([own] if self.is_demonstration and own.exists() else [])]


def empty_source(name: str, directory: Path) -> Path:
    """A header-only file standing for an optional source the tree lacks (an empty table, not a failure)."""
    from observatory.schemas import field_names

    path = directory / Path(SOURCE_FILES[name]).name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        schema, separator = OPTIONAL_SOURCES[name]
        path.write_text(separator.join(field_names(schema)) + "\n", encoding="utf-8")
    return path
