"""The output table is the published `adhesions` contract, and validates against it."""

from __future__ import annotations

from frictionless import Resource, Schema
from test_reconcile_names import CASES as NAME_CASES
from test_reconcile_rules import CASES as RULE_CASES

from observatory.reconcile import reconcile_members
from observatory.reconcile.vocabulary import ANOMALIES, METHODS
from observatory.schemas import load_descriptor


def test_adhesions_follow_their_table_schema(con, tmp_path):
    from reconcile_helpers import load_members

    load_members(con, [*NAME_CASES.values(), *RULE_CASES.values()])
    reconcile_members(con)
    described = con.execute("DESCRIBE core_declarations__adhesions").fetchall()
    descriptor = load_descriptor("adhesions")
    assert [name for name, *_ in described] == [field["name"] for field in descriptor["fields"]]
    path = tmp_path / "adhesions.csv"
    con.execute(f"COPY core_declarations__adhesions TO '{path}' (HEADER, DELIMITER ',')")
    descriptor = {key: value for key, value in descriptor.items() if key != "foreignKeys"}
    report = Resource(path=path.name, basepath=str(tmp_path), schema=Schema.from_descriptor(descriptor)).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    statuses = {
        row[0]
        for row in con.execute("SELECT DISTINCT statut_rapprochement FROM core_declarations__adhesions").fetchall()
    }
    assert statuses == {"rapproche", "ambigu", "non_trouve", "invalide", "hors_referentiel"}
    methods = {
        row[0]
        for row in con.execute(
            "SELECT DISTINCT methode_rapprochement FROM core_declarations__adhesions "
            "WHERE methode_rapprochement IS NOT NULL"
        ).fetchall()
    }
    assert methods <= set(METHODS) and len(methods) >= 12
    found = {
        anomaly
        for (value,) in con.execute(
            "SELECT DISTINCT anomalies FROM core_declarations__adhesions WHERE anomalies IS NOT NULL"
        ).fetchall()
        for anomaly in value.split("|")
    }
    assert found <= set(ANOMALIES) and len(found) >= 10
