import csv
import json

import duckdb

from observatory import schemas
from observatory.publish.sanitize import (
    FORMULA_PREFIXES,
    duckdb_formula_start,
    duckdb_text_expression,
    personal_data,
    spreadsheet_safe,
    without_personal_data,
)
from observatory.publish.tables import export_table


def test_text_starting_like_a_formula_is_neutralised_and_control_characters_dropped():
    assert spreadsheet_safe("=SOMME(A1)") == "'=SOMME(A1)"
    assert [spreadsheet_safe(v) for v in ("+33", "-x", "@a")] == ["'+33", "'-x", "'@a"]
    assert spreadsheet_safe("BERG\x00ERAC\x07") == "BERGERAC"
    assert spreadsheet_safe("ligne 1\nligne 2") == "ligne 1\nligne 2"
    assert spreadsheet_safe("Périgueux") == "Périgueux"


def test_personal_data_is_found_and_removed():
    assert personal_data("Mairie jean.dupont@mairie.fr 01 23 45 67 89 +33 6 12 34 56 78") == [
        "jean.dupont@mairie.fr",
        "01 23 45 67 89",
        "+33 6 12 34 56 78",
    ]
    assert personal_data("SIRET 21240322400019, code 24322") == []
    assert without_personal_data("BERGERAC (contact jean@x.fr)") == "BERGERAC (contact)"


def test_exported_csv_text_is_safe_and_numbers_stay_numbers(tmp_path, monkeypatch):
    fields = [{"name": "nom", "type": "string"}, {"name": "n", "type": "integer"}, {"name": "taux", "type": "number"}]
    (tmp_path / "essai_sanitize.json").write_text(json.dumps({"fields": fields}), encoding="utf-8")
    monkeypatch.setattr(schemas, "SCHEMAS_DIR", tmp_path)
    con = duckdb.connect()
    con.execute(
        """CREATE TABLE t AS SELECT * FROM (VALUES
           ('=1+1', -3, -2.5), ('@x', 4, 1.0), ('a' || chr(0) || 'b', 5, 0.0)) v(nom, n, taux)"""
    )
    (tmp_path / "s").mkdir()
    export_table(con, "t", "essai_sanitize", tmp_path / "s")
    with (tmp_path / "s" / "essai_sanitize.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    # Whole numbers are written as integers (stable bytes across releases), negative ones untouched.
    assert rows[1:] == [["'=1+1", "-3", "-2.5"], ["'@x", "4", "1"], ["ab", "5", "0"]]
    parquet = duckdb.sql(f"SELECT nom FROM '{tmp_path / 's' / 'essai_sanitize.parquet'}' ORDER BY n").fetchall()
    assert parquet[0] == ("=1+1",)  # typed copy keeps the declared value


def test_duckdb_rule_is_the_python_rule():
    values = [
        "=SOMME(A1)", "+33", "-x", "@a", "BERG\x00ERAC\x07", "\x07=x", "=\x07x", "x\x1fy\x7f", "ligne 1\nligne 2",
        "tab\there", "Périgueux", "'=déjà", "", "a-b", "x@y", " =espace", None,
    ]  # fmt: skip
    con = duckdb.connect()
    con.execute("CREATE TABLE t (i INTEGER, v VARCHAR)")
    con.executemany("INSERT INTO t VALUES (?, ?)", list(enumerate(values)))
    got = con.execute(f"SELECT {duckdb_text_expression('v')}, {duckdb_formula_start('v')} FROM t ORDER BY i").fetchall()
    assert [g[0] for g in got] == [spreadsheet_safe(v) for v in values]
    assert [bool(g[1]) for g in got] == [v is not None and v.startswith(FORMULA_PREFIXES) for v in values]
    assert not any(safe.startswith(FORMULA_PREFIXES) for safe in map(spreadsheet_safe, values) if safe)
