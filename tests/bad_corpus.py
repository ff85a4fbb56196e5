"""The bad-input corpus (tests/fixtures/bad): each case laid over a copy of sources-mini."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb

from observatory import cnil, declarations
from observatory.errors import SourceError, SourceErrors
from observatory.sources.layout import SourceTree

FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "sources-mini"
BAD = FIXTURES / "bad"


def case_names() -> list[str]:
    return sorted(p.name for p in BAD.iterdir() if (p / "expected.json").exists())


def expected(name: str) -> dict:
    return json.loads((BAD / name / "expected.json").read_text(encoding="utf-8"))


def source_tree(name: str | None, target: Path) -> Path:
    """sources-mini with the case's files in place (a `.csv.gz` replaces the `.csv`)."""
    shutil.copytree(MINI, target)
    if name is None:
        return target
    for path in (BAD / name).rglob("*"):
        if path.is_file() and path.name != "expected.json":
            relative = path.relative_to(BAD / name)
            if relative.suffix == ".gz":
                (target / relative.with_suffix("")).unlink()
            shutil.copyfile(path, target / relative)
    return target


def load_tree(con: duckdb.DuckDBPyConnection, root: Path) -> None:
    """The core loaders, in the graph's order."""
    tree = SourceTree(root)
    known = set(declarations.load_opsn(con, tree.path("declarations_opsn"))["siren"])
    declarations.load_members(con, tree.path("declarations_adherents"), known)
    declarations.load_services(con, tree.path("declarations_services"), known)
    cnil.load_cnil(con, tree.path("cnil_designations"))


def errors_of(error: SourceError | SourceErrors) -> list[SourceError]:
    return error.errors if isinstance(error, SourceErrors) else [error]
