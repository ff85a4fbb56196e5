"""Two membership sources: an OPSN's declaration, else its ANCT adherents, reconciled the same way.

Mini sources (tests/fixtures/sources-mini, README §8): SMICA publishes no declaration and is an
ANCT operator; ATD24 and CDG48 declare and are also in the ANCT file; the TEST row is no OPSN.
The embedded demo is used with one OPSN's declaration taken out.
"""

from __future__ import annotations

import csv
import gzip
import shutil
from pathlib import Path

import duckdb
import pytest

from observatory import anct, cnil, declarations
from observatory.indicators import api as indicators
from observatory.membership_sources import build_membership_input, opsn_counted_twice
from observatory.opsn_tables import build_opsn
from observatory.paths import EMBEDDED_SOURCES_DIR
from observatory.reconcile.engine import reconcile_members
from observatory.referential import load_referential
from observatory.sources.layout import empty_source

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "sources-mini"
SMICA = "251200861"
ADHESIONS = "core_declarations__adhesions"


def _warehouse(path: Path, tree: Path, anct_dir: Path | None = None) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(path))
    load_referential(con)
    declarations.load_declarations(con, tree)
    cnil.load_cnil(con, MINI / "cnil" / "opencnil-organismes-avec-dpo.csv")
    anct_dir = anct_dir or tree / "anct"
    anct.load_operators(con, anct_dir / "operateurs-quotidien.csv")
    members = anct_dir / "adherents-quotidien.csv"
    anct.load_members(con, members if members.exists() else anct_dir / "adherents-quotidien.csv.gz")
    return con


def _reconcile_both_sources(con: duckdb.DuckDBPyConnection, output: str = ADHESIONS) -> None:
    members, opsn = build_membership_input(con)
    reconcile_members(con, members=members, opsn=opsn, output=output)


def _rows(con, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


@pytest.fixture(scope="module")
def mini(tmp_path_factory) -> duckdb.DuckDBPyConnection:
    con = _warehouse(tmp_path_factory.mktemp("mini") / "w.duckdb", MINI)
    _reconcile_both_sources(con)
    yield con
    con.close()


def test_an_opsn_without_declaration_is_counted_from_its_anct_adherents(mini):
    rows = _rows(
        mini,
        f"""
        SELECT numero_ligne, nom_adherent, statut_rapprochement, methode_rapprochement, code_collectivite, anomalies
        FROM {ADHESIONS} WHERE siren_opsn = '{SMICA}' ORDER BY numero_ligne""",
    )
    # Lines 6 and 7 of adherents-quotidien.csv; the SIREN comes from the SIRET, with no anomaly.
    assert rows == [
        (6, "Rodez", "rapproche", "siren", "12202", None),
        (7, "Millau", "rapproche", "siren", "12145", None),
    ]
    assert _rows(mini, f"SELECT DISTINCT source_adhesion FROM {ADHESIONS} WHERE siren_opsn = '{SMICA}'") == [("anct",)]


def test_a_declaring_opsn_keeps_its_declaration_only_and_test_rows_are_ignored(mini):
    declared = _rows(mini, "SELECT count(*) FROM core_declarations__adherents")[0][0]
    by_source = dict(_rows(mini, f"SELECT source_adhesion, count(*) FROM {ADHESIONS} GROUP BY 1"))
    assert by_source == {"declaration": declared, "anct": 2}
    # Trélissac (ATD24) and Marvejols (CDG48) are in the ANCT file only: not counted for them.
    assert _rows(
        mini,
        f"""SELECT count(*) FROM {ADHESIONS}
                           WHERE siren_opsn <> '{SMICA}' AND source_adhesion = 'anct'""",
    ) == [(0,)]
    assert _rows(
        mini, f"SELECT count(*) FROM {ADHESIONS} WHERE nom_adherent IN ('Trélissac', 'Marvejols', 'Reims')"
    ) == [(0,)]
    ids = _rows(mini, f"SELECT count(*), count(DISTINCT id_adhesion) FROM {ADHESIONS}")[0]
    assert ids[0] == ids[1]
    assert opsn_counted_twice(mini) == []
    # The invariant the blocking check enforces: an ANCT row for a declaring OPSN is caught.
    mini.execute(f"""CREATE OR REPLACE TEMP TABLE doubled AS SELECT * FROM {ADHESIONS}
                     UNION ALL (SELECT * REPLACE ('anct' AS source_adhesion, id_adhesion || '-x' AS id_adhesion)
                                FROM {ADHESIONS} WHERE siren_opsn = '252405147' LIMIT 1)""")
    assert opsn_counted_twice(mini, "doubled") == ["252405147"]


def test_the_opsn_list_gains_the_anct_only_operator_with_unknown_fields_left_empty(mini):
    build_opsn(mini, output="declared_only")
    build_opsn(mini, operators=anct.OPERATORS_TABLE)
    smica = _rows(
        mini,
        f"""SELECT nom, source_opsn, forme_juridique, site_web, departements, membre_declic,
                                   nb_adhesions_declarees, nb_services FROM out__opsn WHERE siren = '{SMICA}'""",
    )
    assert smica == [("SMICA", "anct", None, "https://www.smica.fr/", "12", None, 2, 0)]
    # Declared OPSN are unchanged; neither the ANCT nor TEST is an OPSN.
    declared = "SELECT * EXCLUDE (source_opsn) FROM {} WHERE source_opsn = 'declaration' ORDER BY siren"
    assert _rows(mini, declared.format("out__opsn")) == _rows(mini, declared.format("declared_only"))
    assert _rows(mini, "SELECT count(*) FROM out__opsn") == [(4,)]


def test_comparison_still_compares_declared_rows_with_the_anct_file(mini):
    anct.compare_sources(mini)
    rows = {row[0]: row[2:] for row in _rows(mini, f"SELECT * FROM {anct.COMPARISON_TABLE}")}
    # README §8: the SMICA rows now in `adhesions` do not count as a declaration.
    assert rows[SMICA] == ("anct", 0, 2, 0, 0, 2)
    assert rows["252405147"] == ("declaration", 6, 2, 1, 5, 1)


def test_indicators_count_the_anct_only_opsn_and_say_where_each_opsn_comes_from(mini):
    def figures(opsn_table: str, adhesions: str) -> dict:
        indicators.build_dpd_status(mini, opsn=opsn_table)
        indicators.build_collectivites(mini, adhesions=adhesions)
        indicators.build_indicators(mini, adhesions=adhesions, opsn=opsn_table)
        return {
            (code, niveau, territoire, modalite): valeur
            for code, niveau, territoire, modalite, valeur in _rows(
                mini, "SELECT code_indicateur, niveau, code_territoire, modalite, valeur FROM out__indicateurs"
            )
        }

    build_opsn(mini, operators=anct.OPERATORS_TABLE)
    both = figures("out__opsn", ADHESIONS)
    mini.execute(
        f"CREATE OR REPLACE TABLE declared_adhesions AS SELECT * FROM {ADHESIONS} WHERE source_adhesion = 'declaration'"
    )
    declared = figures("core_declarations__opsn", "declared_adhesions")
    france = ("france", "FR")
    assert both[("nb_opsn", *france, "ensemble")] == declared[("nb_opsn", *france, "ensemble")] + 1
    assert both[("nb_opsn", *france, "anct")] == 1
    assert both[("nb_opsn", *france, "declaration")] == declared[("nb_opsn", *france, "ensemble")]
    # Déclic membership is unknown for SMICA: counted in neither modality.
    assert both[("nb_opsn", *france, "hors_declic")] == declared[("nb_opsn", *france, "hors_declic")]
    # Rodez and Millau: two more communes, both in Aveyron; SMICA's own level exists.
    assert (
        both[("nb_communes_adherentes", *france, "ensemble")]
        == declared[("nb_communes_adherentes", *france, "ensemble")] + 2
    )
    assert both[("nb_communes_adherentes", "departement", "12", "ensemble")] == 2
    assert both[("nb_adherents", "opsn", SMICA, "ensemble")] == 2
    assert (
        both[("nb_adhesions_declarees", *france, "ensemble")]
        == declared[("nb_adhesions_declarees", *france, "ensemble")] + 2
    )
    # Services are known from declarations only: SMICA does not lower the averages.
    assert both[("nb_services_par_opsn", *france, "moyenne")] == declared[("nb_services_par_opsn", *france, "moyenne")]
    assert indicators.check_indicators(mini) == []


def test_empty_anct_files_give_the_same_adhesions_as_the_declarations_alone(tmp_path):
    empty = tmp_path / "anct"
    empty_source("anct_operateurs", empty)
    empty_source("anct_adherents", empty)
    con = _warehouse(tmp_path / "w.duckdb", MINI, anct_dir=empty)
    _reconcile_both_sources(con, output="both_sources")
    reconcile_members(con, output="declarations_only")
    assert _rows(con, "SELECT count(*) FROM both_sources") == _rows(con, "SELECT count(*) FROM declarations_only")
    assert _rows(con, "SELECT * FROM both_sources EXCEPT SELECT * FROM declarations_only") == []
    assert _rows(con, "SELECT DISTINCT source_adhesion FROM declarations_only") == [("declaration",)]
    build_opsn(con, operators=anct.OPERATORS_TABLE)
    build_opsn(con, output="declared_only")
    assert _rows(con, "SELECT * FROM out__opsn EXCEPT SELECT * FROM declared_only") == []


def _without_opsn(source: Path, target: Path, siren: str) -> None:
    """A copy of the declarations of `source` without one OPSN (its identity, members, services)."""
    for name, column in (("opsn.csv", "siren"), ("adherents.csv", "siren_opsn"), ("services.csv", "siren_opsn")):
        with (source / "declarations" / name).open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            kept = [row for row in reader if row[column] != siren]
            fields = reader.fieldnames
        (target / "declarations").mkdir(parents=True, exist_ok=True)
        with (target / "declarations" / name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
            writer.writeheader()
            writer.writerows(kept)
    shutil.copytree(source / "anct", target / "anct")


def test_embedded_demo_an_opsn_that_stops_declaring_is_counted_from_the_anct(tmp_path):
    """Données de démonstration: every demo OPSN declares, so SMICA's declaration is taken out."""
    tree = tmp_path / "sources"
    _without_opsn(EMBEDDED_SOURCES_DIR, tree, SMICA)
    con = _warehouse(tmp_path / "w.duckdb", tree)
    operator = _rows(con, f"SELECT id FROM {anct.OPERATORS_TABLE} WHERE siren = '{SMICA}'")[0][0]
    with gzip.open(tree / "anct" / "adherents-quotidien.csv.gz", "rt", encoding="utf-8") as handle:
        registered = sum(1 for row in csv.DictReader(handle, delimiter=";") if row["operateur_id"] == operator)
    assert registered > 0
    _reconcile_both_sources(con)
    by_source = dict(
        _rows(
            con,
            f"""SELECT source_adhesion, count(*) FROM {ADHESIONS}
                                    WHERE siren_opsn = '{SMICA}' GROUP BY 1""",
        )
    )
    assert by_source == {"anct": registered}
    # The demo's SIRETs are those of real communes: every row is matched by its SIREN.
    assert _rows(
        con,
        f"""SELECT DISTINCT statut_rapprochement, methode_rapprochement FROM {ADHESIONS}
                          WHERE siren_opsn = '{SMICA}'""",
    ) == [("rapproche", "siren")]
    # No other OPSN of the demo gets a row from the ANCT: they all declare.
    assert _rows(
        con, f"SELECT count(*) FROM {ADHESIONS} WHERE source_adhesion = 'anct' AND siren_opsn <> '{SMICA}'"
    ) == [(0,)]
    declared = _rows(con, "SELECT count(*) FROM core_declarations__adherents")[0][0]
    assert _rows(con, f"SELECT count(*) FROM {ADHESIONS}") == [(declared + registered,)]


def test_declaration_quality_gives_feedback_on_declarations_only(mini):
    from observatory.reconcile.quality import build_declaration_quality

    build_declaration_quality(mini)
    assert _rows(mini, f"SELECT count(*) FROM out__qualite_declarations WHERE siren_opsn = '{SMICA}'") == [(0,)]
    assert _rows(mini, "SELECT sum(nb_lignes) FROM out__qualite_declarations") == _rows(
        mini, "SELECT count(*) FROM core_declarations__adherents"
    )


def test_an_anct_only_opsn_without_any_registered_collectivite_is_listed_but_not_averaged_as_zero(tmp_path):
    anct_dir = tmp_path / "anct"
    shutil.copytree(MINI / "anct", anct_dir)
    with (anct_dir / "operateurs-quotidien.csv").open("a", encoding="utf-8") as handle:
        # Soluris (sample of the real file): an operator with no declaration and no adherent in the file.
        handle.write("a0000000-0000-4000-8000-000000000017;Soluris;;https://www.soluris.fr/;25170232000051;;;17\n")
    con = _warehouse(tmp_path / "w.duckdb", MINI, anct_dir=anct_dir)
    _reconcile_both_sources(con)
    build_opsn(con, operators=anct.OPERATORS_TABLE)
    assert _rows(
        con, "SELECT source_opsn, departements, nb_adhesions_declarees FROM out__opsn WHERE siren = '251702320'"
    ) == [("anct", "17", 0)]
    indicators.build_dpd_status(con, opsn="out__opsn")
    indicators.build_collectivites(con)
    indicators.build_indicators(con, opsn="out__opsn")
    values = dict(
        _rows(con, "SELECT modalite, valeur FROM out__indicateurs WHERE code_indicateur = 'adherents_par_opsn'")
    )
    # Four OPSN with a membership source (three declarations, SMICA's ANCT rows); Soluris is not a 0.
    counted = _rows(
        con,
        "SELECT valeur FROM out__indicateurs WHERE code_indicateur = 'nb_adherents' "
        "AND niveau = 'opsn' AND code_territoire <> '251702320'",
    )
    assert values["min"] == min(value for (value,) in counted) > 0
    assert values["moyenne"] == pytest.approx(sum(value for (value,) in counted) / len(counted))
    assert _rows(
        con,
        "SELECT valeur FROM out__indicateurs WHERE code_indicateur = 'nb_opsn' "
        "AND niveau = 'departement' AND code_territoire = '17' AND modalite = 'anct'",
    ) == [(1,)]


def test_the_input_keeps_the_declared_order_past_one_row_group(mini):
    # 300,000 declared rows span three DuckDB row groups: filled in parallel from both sides of the
    # UNION, the input (hence `adhesions`) came out in another order at nearly every run.
    con = mini.cursor()
    con.execute("SET threads = 2")
    con.execute("""
        CREATE TEMP TABLE many_members AS
        SELECT * REPLACE ('id-' || i AS id_adhesion, i + 2 AS numero_ligne)
        FROM (SELECT * FROM core_declarations__adherents LIMIT 1), range(300000) AS t(i)
    """)
    members, _ = build_membership_input(con, declared_members="many_members")
    shuffled = _rows(
        con,
        f"""SELECT count(*) FROM (SELECT rowid AS p, id_adhesion FROM {members}) a
            JOIN (SELECT rowid AS p, id_adhesion FROM many_members) d USING (p)
            WHERE a.id_adhesion <> d.id_adhesion""",
    )
    assert shuffled == [(0,)]
    assert _rows(con, f"SELECT count(*) FROM {members} WHERE source_adhesion = 'declaration'") == [(300000,)]
