"""In-step table checks: evaluated on the writing connection, and blocking for what is downstream."""

import dagster as dg
import duckdb

from assets.checks import INVARIANTS, TableCheck
from observatory import table_catalog as catalog


def _invariant(table: str, name: str) -> TableCheck:
    return next(check for check in INVARIANTS if check.table == table and check.name == name)


def test_duplicated_membership_ids_fail_the_invariant():
    check = _invariant(catalog.DECLARED_MEMBERS, "invariant_adherents_non_vides")
    con = duckdb.connect()
    con.execute(f"CREATE TABLE {catalog.DECLARED_MEMBERS} AS SELECT * FROM (VALUES ('a'), ('b')) t(id_adhesion)")
    assert check.result(con).passed
    con.execute(f"INSERT INTO {catalog.DECLARED_MEMBERS} VALUES ('a')")
    result = check.result(con)
    assert not result.passed and result.metadata["lignes"].value == 3


def test_a_failed_check_in_the_writing_step_stops_downstream():
    failing = TableCheck("amont", "invariant_toujours_faux", "Échoue exprès.", lambda con: (False, {"n": 0}))

    @dg.asset(check_specs=[failing.spec()])
    def amont() -> dg.MaterializeResult:
        return dg.MaterializeResult(check_results=[failing.result(duckdb.connect())])

    @dg.asset(deps=[amont])
    def aval() -> None:
        raise AssertionError("aval ne doit pas s'exécuter")

    result = dg.materialize([amont, aval], raise_on_error=False)
    assert not result.success
    evaluations = result.get_asset_check_evaluations()
    assert [(e.asset_check_key.name, e.passed) for e in evaluations] == [("invariant_toujours_faux", False)]
    assert "aval" not in {event.step_key for event in result.get_step_success_events()}
