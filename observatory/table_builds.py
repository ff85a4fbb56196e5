"""Uniform entry points for the builds the table catalogue names, where the library's own differ.

A table loaded from a raw source is built by `load(con, path, origin)` (origin: the steward's
file, named in errors rather than the snapshot copy read); a table computed in the warehouse by
`build(con)`. Functions that already have one of these shapes are named by the catalogue directly.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from observatory import anct, cnil, declarations, membership_sources
from observatory.indicators import api as indicators
from observatory.opsn_tables import build_opsn
from observatory.reconcile.duplicates import flag_multiple_memberships
from observatory.reconcile.engine import ReconcileReport, reconcile_members
from observatory.reconcile.mappings import DecisionFiles
from observatory.sources.consolidate import load_excluded
from observatory.table_catalog import OPSN as OPSN_LIST


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
    con: duckdb.DuckDBPyConnection, *, mappings: DecisionFiles = None, exclusions: DecisionFiles = None
) -> ReconcileReport:
    """Members matched to the COG (adhesions), then the collectivités declared twice or more.

    An OPSN's declaration, else its ANCT adherents: one input, one reconciliation."""
    members, opsn = membership_sources.build_membership_input(con)
    report = reconcile_members(con, members=members, opsn=opsn, mappings=mappings, exclusions=exclusions)
    flag_multiple_memberships(con)
    return report


# The OPSN list the figures count is `out__opsn`: declared OPSN and ANCT-only ones.
def build_opsn_list(con: duckdb.DuckDBPyConnection) -> int:
    return build_opsn(con, operators=anct.OPERATORS_TABLE)


def build_dpd_status_of_known_opsn(con: duckdb.DuckDBPyConnection) -> int:
    return indicators.build_dpd_status(con, opsn=OPSN_LIST)


def build_indicators_of_known_opsn(con: duckdb.DuckDBPyConnection) -> int:
    return indicators.build_indicators(con, opsn=OPSN_LIST)
