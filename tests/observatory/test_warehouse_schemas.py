"""Internal warehouse tables are under a contract too: schemas/entrepot/<table>.json.

The loaders create them from those schemas; the rows they write on the mini sources
satisfy every rule of the schema, checked with the publication's own rules.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from observatory import anct
from observatory.cnil import TABLE as DESIGNATIONS
from observatory.cnil import kept_fields, load_cnil
from observatory.declarations import MEMBERS_TABLE, load_declarations
from observatory.indicators.dpd_status import build_dpd_status
from observatory.publish.validation_rules import field_rules
from observatory.schemas import duckdb_type, field_descriptors, primary_key

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "sources-mini"
INTERNAL = [MEMBERS_TABLE, DESIGNATIONS, "core_cnil__dpd_organismes", anct.OPERATORS_TABLE, anct.MEMBERS_TABLE]


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    con = duckdb.connect(str(tmp_path_factory.mktemp("entrepot") / "warehouse.duckdb"))
    load_declarations(con, MINI)
    load_cnil(con, MINI / "cnil" / "opencnil-organismes-avec-dpo.csv")
    build_dpd_status(con)
    anct.load_operators(con, MINI / "anct" / "operateurs-quotidien.csv")
    anct.load_members(con, MINI / "anct" / "adherents-quotidien.csv.gz")
    yield con
    con.close()


@pytest.mark.parametrize("table", INTERNAL)
def test_internal_table_has_the_columns_and_types_of_its_schema(warehouse, table):
    described = [(name, kind) for name, kind, *_ in warehouse.execute(f"DESCRIBE {table}").fetchall()]
    assert described == [(f["name"], duckdb_type(f)) for f in field_descriptors(f"entrepot/{table}")]
    assert warehouse.execute(f"SELECT count(*) FROM {table}").fetchone()[0] > 0


@pytest.mark.parametrize("table", INTERNAL)
def test_internal_table_rows_follow_its_schema(warehouse, table):
    schema = f"entrepot/{table}"
    for field in field_descriptors(schema):
        # The rules read text cells, as in a published CSV.
        cell = f'CAST("{field["name"]}" AS VARCHAR)'
        for rule in field_rules(field):
            bad = rule.bad.replace(f'"{field["name"]}"', cell)
            count = warehouse.execute(f"SELECT count(*) FROM {table} WHERE {bad}").fetchone()[0]
            assert count == 0, f"{table}.{field['name']} : {rule.label} ({count} lignes)"
    key = ", ".join(f'"{name}"' for name in primary_key(schema))
    if key:
        assert warehouse.execute(f"SELECT count(*) - count(DISTINCT ({key})) FROM {table}").fetchone()[0] == 0


def test_cnil_warehouse_columns_are_the_file_columns_renamed_without_contacts():
    assert [f["name"] for f in field_descriptors(f"entrepot/{DESIGNATIONS}")] == ["numero_ligne"] + [
        f["x-colonne"] for f in kept_fields()
    ]
