"""Errors that point a steward at the exact place to fix in a source file."""

from __future__ import annotations

from pathlib import Path

# A file with more defects than this is listed up to here: past it, the file is the problem.
MAX_ERRORS = 100


class SourceError(ValueError):
    """Bad input: names the file (as the steward knows it), the row (line a text editor shows,
    header = 1) and the field, in one line."""

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

    @property
    def headline(self) -> str:
        """What a failed run shows first (the same attribute as SourceErrors')."""
        return str(self)


class SourceErrors(ValueError):
    """Every defect of a file at once, so a steward fixes a file in one pass, not one error per run.

    The first line is the headline (what a failed run shows first); one line per defect follows."""

    def __init__(self, errors: list[SourceError], limit: int = MAX_ERRORS):
        self.errors = sorted(errors, key=lambda e: (e.path, e.row or 0, e.field or ""))
        files = sorted({error.path for error in self.errors})
        where = files[0] if len(files) == 1 else f"{len(files)} fichiers"
        self.headline = f"{len(self.errors)} erreur(s) bloquante(s) dans {where}"
        shown = "\n".join(f"  - {error}" for error in self.errors[:limit])
        more = f"\n  … et {len(self.errors) - limit} autres" if len(self.errors) > limit else ""
        super().__init__(f"{self.headline} :\n{shown}{more}")


def raise_if_any(errors: list[SourceError]) -> None:
    if errors:
        raise SourceErrors(errors)
