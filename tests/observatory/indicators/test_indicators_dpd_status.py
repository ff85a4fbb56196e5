"""One row per designating SIREN: the DPO in place, the first designation, and the observatory's rules."""

from __future__ import annotations

import random

import duckdb
from stdnum.fr import siren

from observatory.siren_sql import install_macros


def test_siren_macro_agrees_with_stdnum(warehouse):
    rng = random.Random(5)
    samples = [f"{rng.randrange(10**9):09d}" for _ in range(3000)]
    samples += [
        row[0]
        for row in warehouse.execute(
            "SELECT siren FROM core_cog__communes WHERE siren IS NOT NULL USING SAMPLE 500 ROWS"
        ).fetchall()
    ]
    samples += ["", "12345", "25240514A", "2524051470", "000000000", "356000000"]
    con = duckdb.connect()
    install_macros(con)
    con.execute("CREATE TABLE s (v VARCHAR)")
    con.executemany("INSERT INTO s VALUES (?)", [(v,) for v in samples])
    results = dict(con.execute("SELECT v, siren_valide(v) FROM s").fetchall())
    assert {v: siren.is_valid(v) for v in samples} == results
    assert sum(results.values()) > 700  # both branches exercised
    assert con.execute("SELECT siren_valide(NULL), siren_compact(' 252 405.147 ')").fetchall() == [(False, "252405147")]


def status(warehouse, siren_organisme):
    columns = [
        "type_dpd",
        "dpd_public",
        "dpd_via_opsn",
        "siren_organisme_dpd",
        "date_premiere_designation",
        "date_derniere_designation",
        "numero_ligne_derniere",
        "nb_designations",
    ]
    rows = warehouse.execute(
        f"SELECT {', '.join(columns)} FROM core_cnil__dpd_organismes WHERE siren_organisme = ?", [siren_organisme]
    ).fetchall()
    assert len(rows) == 1
    return dict(zip(columns, rows[0], strict=True))


def test_one_row_per_nine_digit_designating_siren(warehouse):
    # 18 rows in the file, two SIRENs designate twice, `12345` is not a SIREN.
    assert warehouse.execute(
        "SELECT count(*), count(DISTINCT siren_organisme) FROM core_cnil__dpd_organismes"
    ).fetchall() == [(15, 15)]


def test_redesignation_latest_is_in_place_earliest_is_compliance(warehouse):
    sarlat = status(warehouse, "212405203")
    assert (sarlat["type_dpd"], sarlat["dpd_via_opsn"], sarlat["siren_organisme_dpd"]) == ("externe", True, "252405147")
    assert str(sarlat["date_premiere_designation"]) == "2018-05-25"
    assert str(sarlat["date_derniere_designation"]) == "2021-03-15"
    assert sarlat["nb_designations"] == 2


def test_same_day_tie_goes_to_the_row_last_in_the_file(warehouse):
    brantome = status(warehouse, "200084127")
    assert brantome["numero_ligne_derniere"] == 7
    assert (brantome["siren_organisme_dpd"], brantome["dpd_public"], brantome["dpd_via_opsn"]) == (
        "284800026",
        "oui",
        True,
    )


def test_internal_when_nobody_named_or_the_body_names_itself(warehouse):
    assert status(warehouse, "212403224")["type_dpd"] == "interne"
    terrasson = status(warehouse, "212405476")
    assert (terrasson["type_dpd"], terrasson["dpd_public"], terrasson["dpd_via_opsn"]) == ("interne", None, False)


def test_public_private_and_unknown_external_dpos(warehouse):
    assert status(warehouse, "212400378")["dpd_public"] == "non"  # private company, sector M
    assert status(warehouse, "214800955")["dpd_public"] == "inconnu"  # named, no SIREN, no sector
    muret = status(warehouse, "213103955")  # SIREN 2…, no sector, not an OPSN
    assert (muret["dpd_public"], muret["dpd_via_opsn"]) == ("oui", False)
    montignac = status(warehouse, "212402911")  # OPSN's name, wrong check digit
    assert (
        montignac["type_dpd"],
        montignac["dpd_public"],
        montignac["dpd_via_opsn"],
        montignac["siren_organisme_dpd"],
    ) == ("externe", "oui", False, None)


def test_designated_siren_written_with_spaces_is_recognised(warehouse):
    assert status(warehouse, "212405575")["dpd_via_opsn"] is True


def test_undated_designation_has_no_dates(warehouse):
    florac = status(warehouse, "200056927")
    assert (florac["date_premiere_designation"], florac["date_derniere_designation"]) == (None, None)
