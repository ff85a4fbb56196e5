"""Session warehouse: the mini sources loaded (mini_sources.py) and every indicator table built."""

from __future__ import annotations

import duckdb
import pytest
from mini_sources import build_hand_adhesions, load_fixture

from observatory.indicators import api


@pytest.fixture(scope="session")
def warehouse(tmp_path_factory) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(tmp_path_factory.mktemp("indicators") / "warehouse.duckdb"))
    load_fixture(con)
    build_hand_adhesions(con)
    api.build_dpd_status(con)
    api.build_collectivites(con)
    api.build_definitions(con)
    api.build_indicators(con)
    yield con
    con.close()


@pytest.fixture(scope="session")
def value(warehouse):
    """value(code, niveau="france", territoire="FR", modalite="ensemble") -> the one published valeur."""

    def lookup(code: str, niveau: str = "france", territoire: str = "FR", modalite: str = "ensemble"):
        rows = warehouse.execute(
            "SELECT valeur FROM out__indicateurs WHERE code_indicateur = ? AND niveau = ? AND code_territoire = ? "
            "AND modalite = ?",
            [code, niveau, territoire, modalite],
        ).fetchall()
        assert len(rows) == 1, f"{code} {niveau} {territoire} {modalite}: {len(rows)} lignes"
        return rows[0][0]

    return lookup
