"""Uniform entry points for the builds the table catalogue names, where the library's own differ.

A table loaded from a raw source is built by `load(con, path, origin)` (origin: the steward's
file, named in errors rather than the snapshot copy read); a table computed in the warehouse by
`build(con)`. Functions that already have one of these shapes are named by the catalogue directly.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from observatory import anct, cnil, declarations
from observatory.reconcile.duplicates import flag_multiple_memberships
from observatory.reconcile.engine import ReconcileReport, reconcile_members
from observatory.sources.consolidate import load_excluded


def known_opsn(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Members and services of an OPSN that is not declared are rejected: the declared SIRENs."""
    return {row[0] for row in con.execute(f"SELECT siren FROM {declarations.OPSN_TABLE}").fetchall()}


def load_declared_opsn(con: duckdb.DuckDBPyConnection, path: Path, origin: str) -> int:
    return len(declarations.load_opsn(con, path, origin=origin))


def load_declared_members(con: duckdb.DuckDBPyConnection, path: Path, origin: str) -> int:
    return declarations.load_members(con, path, known_opsn(con), origin=origin)


def load_declared_services(con: duckdb.DuckDBPyConnection, path: Path, origin: str) -> int:
    return declarations.load_services(con, path, known_opsn(con), origin=origin)


def load_cnil_designations(con: duckdb.DuckDBPyConnection, path: Path, origin: str) -> int:
    return cnil.load_cnil(con, path, origin=origin)


def load_excluded_declarations(con: duckdb.DuckDBPyConnection, path: Path, origin: str) -> int:
    return load_excluded(con, path)


def load_anct_operators(con: duckdb.DuckDBPyConnection, path: Path, origin: str) -> int:
    return anct.load_operators(con, path)


def load_anct_members(con: duckdb.DuckDBPyConnection, path: Path, origin: str) -> int:
    return anct.load_members(con, path)


def reconcile_declarations(
    con: duckdb.DuckDBPyConnection, *, mappings: Path | None = None, exclusions: Path | None = None
) -> ReconcileReport:
    """Declared members matched to the COG (adhesions), then the collectivités declared twice or more."""
    report = reconcile_members(con, mappings=mappings, exclusions=exclusions)
    flag_multiple_memberships(con)
    return report
