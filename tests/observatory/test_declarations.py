import datetime

import duckdb
import pytest

from observatory.declarations import load_declarations, read_adherents_csv
from observatory.errors import SourceErrors
from observatory.schemas import field_names

OPSN = (
    "siren,nom,forme_juridique,site_web,departements,membre_declic\n"
    "253514491,Mégalis Bretagne,syndicat_mixte,https://x.fr/,22|29|35|56,true\n"
    "200043115,e-Collectivités,syndicat_mixte,,44|49,false\n"
)
HEADER = ",".join(field_names("declaration/adherents")) + "\n"
MEMBERS = (
    HEADER + "253514491,ST BRIEUC,commune,,22278,,,2012-03-01\n"
    "253514491,Rennes,commune,213502388,,,35,\n"
    "253514491,Rennes,commune,213502388,,,35,\n"
    "200043115,CC Pays de X,epci,12345,,,,\n"
)
SERVICES = "siren_opsn,code_service\n253514491,dpd_mutualise\n253514491,sig\n200043115,sig\n"


def write_tree(root, members=MEMBERS, opsn=OPSN):
    (root / "declarations").mkdir(parents=True)
    (root / "declarations" / "opsn.csv").write_text(opsn, encoding="utf-8")
    (root / "declarations" / "adherents.csv").write_text(members, encoding="utf-8")
    (root / "declarations" / "services.csv").write_text(SERVICES, encoding="utf-8")
    return root


def test_loads_typed_tables_with_nulls_for_empty_values(tmp_path):
    con = duckdb.connect()
    counts = load_declarations(con, write_tree(tmp_path))
    assert counts == {"core_declarations__opsn": 2, "core_declarations__adherents": 4, "core_declarations__services": 3}
    row = con.execute(
        "SELECT nom_adherent, siren_adherent, date_adhesion, numero_ligne FROM "
        "core_declarations__adherents ORDER BY numero_ligne LIMIT 1"
    ).fetchone()
    assert row == ("ST BRIEUC", None, datetime.date(2012, 3, 1), 2)
    assert con.execute("SELECT membre_declic FROM core_declarations__opsn WHERE siren = '200043115'").fetchone() == (
        False,
    )
    # Messy member identifiers are kept as declared, for the reconciliation to judge.
    assert con.execute("SELECT siren_adherent FROM core_declarations__adherents WHERE numero_ligne = 5").fetchone() == (
        "12345",
    )


def test_membership_ids_survive_reordering_and_number_repeats(tmp_path):
    first = read_adherents_csv(write_tree(tmp_path / "a") / "declarations" / "adherents.csv")
    lines = MEMBERS.splitlines(keepends=True)
    reordered = read_adherents_csv(
        write_tree(tmp_path / "b", members=lines[0] + "".join(reversed(lines[1:]))) / "declarations" / "adherents.csv"
    )
    ids = dict(zip(first["nom_adherent"] + first["numero_ligne"].astype(str), first["id_adhesion"], strict=True))
    assert ids["ST BRIEUC2"] in set(reordered["id_adhesion"])
    assert ids["Rennes4"] == ids["Rennes3"] + "-2"
    assert set(first["id_adhesion"]) == set(reordered["id_adhesion"])


def test_unknown_opsn_is_reported_by_file_row_and_field_and_bad_date_repaired(tmp_path):
    members = HEADER + "253514491,Rennes,commune,,,,,01/02/2012\n999999999,Brest,commune,,,,,\n"
    root = write_tree(tmp_path, members=members)
    with pytest.raises(SourceErrors) as error:
        load_declarations(duckdb.connect(), root)
    message = str(error.value)
    assert "adherents.csv, ligne 3, champ « siren_opsn »" in message
    assert "date_adhesion" not in message  # JJ/MM/AAAA is read, with an anomaly on the row


def test_unknown_opsn_is_blocking(tmp_path):
    members = HEADER + "999999999,Brest,commune,,,,,\n"
    with pytest.raises(SourceErrors, match="ligne 2, champ « siren_opsn » : OPSN 999999999 absent"):
        load_declarations(duckdb.connect(), write_tree(tmp_path, members=members))


def test_opsn_with_invalid_legal_form_is_blocking(tmp_path):
    opsn = OPSN.replace("syndicat_mixte,https", "syndicat,https")
    with pytest.raises(SourceErrors, match="opsn.csv, ligne 2, champ « forme_juridique »"):
        load_declarations(duckdb.connect(), write_tree(tmp_path, opsn=opsn))
