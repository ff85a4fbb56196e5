"""Errors that point a steward at the exact place to fix in a source file."""

from __future__ import annotations

from pathlib import Path


class SourceError(ValueError):
    """Bad input: names the file, the row (line number, header = 1) and the field."""

    def __init__(self, path: Path | str, message: str, *, row: int | None = None, field: str | None = None):
        self.path = str(path)
        self.row = row
        self.field = field
        self.reason = message
        where = self.path
        if row is not None:
            where += f", ligne {row}"
        if field is not None:
            where += f", champ « {field} »"
        super().__init__(f"{where} : {message}")


class SourceErrors(ValueError):
    """Several bad rows at once, so a steward fixes a file in one pass, not one error per run."""

    def __init__(self, errors: list[SourceError], limit: int = 20):
        self.errors = errors
        shown = "\n".join(f"  - {error}" for error in errors[:limit])
        more = f"\n  … et {len(errors) - limit} autres" if len(errors) > limit else ""
        super().__init__(f"{len(errors)} erreur(s) bloquante(s) dans les sources :\n{shown}{more}")
