"""What publication hands from one stage to the next: a release being prepared, then a published one."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class PreparedRelease:
    version: str
    fingerprint: str
    staging: Path | None  # None when an identical release already exists
    existing: Path | None
    demonstration: bool
    sources: list[dict]
    exports_dir: Path
    inputs_fingerprint: str = ""
    data_date: str = ""
    previous: str | None = None
    rows: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Release:
    version: str
    path: Path
    created: bool
    rows: dict[str, int]
    bytes: int

    @property
    def outcome(self) -> str:
        """`make run` runs from the repository root: show `exports/<version>` from there."""
        shown = self.path.relative_to(Path.cwd()) if self.path.is_relative_to(Path.cwd()) else self.path
        if self.created:
            return f"Version publiée : {shown}"
        return f"Rien de nouveau : identique à la version {shown}"
