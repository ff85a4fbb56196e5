"""One connection for the reconciliation tests: the real referential, its lookup tables built once."""

from __future__ import annotations

import duckdb
import pytest
from reconcile_helpers import OPSN, adhesion_rows, load_members

from observatory.reconcile import reconcile_members
from observatory.reconcile.referential_index import ensure_index
from observatory.referential import load_referential


@pytest.fixture(scope="session")
def con() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    load_referential(connection)
    ensure_index(connection)
    connection.register("opsn_frame", OPSN)
    connection.execute("CREATE TABLE core_declarations__opsn AS SELECT * FROM opsn_frame")
    yield connection
    connection.close()


@pytest.fixture
def reconcile(con):
    """reconcile(rows, **options) -> list of result rows (dicts), in input order."""

    def run(rows: list[dict], **options) -> list[dict]:
        load_members(con, rows)
        run.report = reconcile_members(con, **options)
        return adhesion_rows(con)

    return run
