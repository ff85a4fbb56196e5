import datetime

import duckdb
import pytest

from observatory.cnil import load_cnil
from observatory.errors import SourceError
from observatory.schemas import field_names

HEADER = field_names("sources/cnil-organismes-avec-dpo")


def row(siren, date, designated="", contact="dpo@exemple-demo.fr"):
    values = [
        siren,
        "COMMUNE X",
        "O",
        "8411Z",
        "1 place",
        "01400",
        "X",
        "France",
        "Personne morale",
        date,
        designated,
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        contact,
        "",
        "01 00 00 00 00",
        "",
        "",
        "",
        "",
        "",
    ]
    return ";".join(values)


def write(path, lines, trailing=False):
    end = ";" if trailing else ""
    text = "\n".join(line + end for line in [";".join(HEADER), *lines]) + "\n"
    path.write_bytes(("\ufeff" + text).encode("utf-8"))
    return path


@pytest.mark.parametrize("trailing", [False, True])
def test_loads_26_or_27_columns_and_drops_contacts(tmp_path, trailing):
    path = write(
        tmp_path / "cnil.csv",
        [row("210100012", "25/05/2018"), row("210100012", "03/02/2021", "253514491")],
        trailing=trailing,
    )
    con = duckdb.connect()
    assert load_cnil(con, path) == 2
    columns = [c[0] for c in con.execute("DESCRIBE core_cnil__designations").fetchall()]
    assert columns[0] == "numero_ligne" and "date_de_la_designation" in columns
    assert not [c for c in columns if c.startswith("moyen_contact")]
    assert con.execute(
        "SELECT numero_ligne, date_de_la_designation, siren_organisme_designe FROM core_cnil__designations ORDER BY 1"
    ).fetchall() == [(2, datetime.date(2018, 5, 25), None), (3, datetime.date(2021, 2, 3), "253514491")]


def test_unexpected_header_is_a_source_error(tmp_path):
    path = tmp_path / "cnil.csv"
    path.write_text("SIREN;Nom\n1;2\n", encoding="utf-8")
    with pytest.raises(SourceError, match="en-tête CNIL non conforme"):
        load_cnil(duckdb.connect(), path)
