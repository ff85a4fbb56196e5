"""The DuckDB loaders give, byte for byte, the tables of the Python loaders, and step aside on any defect."""

import gzip
from pathlib import Path

import duckdb
import pytest

import observatory.cnil as cnil
import observatory.declarations_duckdb as fast
from observatory.declarations import MEMBERS_TABLE, load_members
from observatory.schemas import field_names
from observatory.sources.csv_duckdb import drop_strings, load_csv_strings
from observatory.sources.csvfile import read_csv_table

HEADER = ",".join(field_names("declaration/adherents"))
# Every repair of the Python loader: both date forms, unreadable and implausible dates,
# personal data in a name, identical rows (numbered fingerprints), odd spaces, quotes, accents.
MEMBERS = (
    "\n".join(
        [
            HEADER,
            "253514491,ST BRIEUC,commune,,22278,,,2012-03-01",
            "253514491,Rennes,commune,213502388,,,35,01/02/2015",
            "253514491,Rennes,commune,213502388,,,35,01/02/2015",
            '253514491,"Mairie de Vannes, 02 97 01 60 00",commune,,,,56,1850-01-01',
            "253514491,Lorient contact@lorient.fr,commune,,,,56,demain",
            "253514491,\u00a0Quimper\u00a0 , commune ,,29232,,29,2020-13-01",
            '253514491,"Saint-Malo ""intra-muros""",commune,,,,35,',
            "200043115,CC Pays de X,epci,12345,,,,31/12/2019",
        ]
    )
    + "\n"
)
KNOWN = {"253514491", "200043115"}


def _table(con, table):
    return con.execute(f"SELECT * FROM {table} ORDER BY numero_ligne").fetchall()


def _both(tmp_path, text, monkeypatch, known=KNOWN):
    path = tmp_path / "adherents.csv"
    path.write_text(text, encoding="utf-8")
    with_duckdb, with_pandas = duckdb.connect(), duckdb.connect()
    load_members(with_duckdb, path, known)
    with monkeypatch.context() as patch:
        patch.setattr(fast, "load_members_with_duckdb", lambda *args: None)
        load_members(with_pandas, path, known)
    return _table(with_duckdb, MEMBERS_TABLE), _table(with_pandas, MEMBERS_TABLE)


def test_members_table_is_the_python_loaders(tmp_path, monkeypatch):
    mine, reference = _both(tmp_path, MEMBERS, monkeypatch)
    assert mine == reference
    assert len(mine) == 8
    # The cases above really are exercised: repairs recorded, repeats numbered.
    anomalies = {row[-1] for row in mine}
    assert {"date_adhesion_reformatee", "date_adhesion_invraisemblable|donnee_personnelle_retiree"} <= anomalies
    assert any(row[0].endswith("-2") for row in mine)


def test_members_fast_path_is_taken_on_a_clean_file(tmp_path):
    path = tmp_path / "adherents.csv"
    path.write_text(MEMBERS, encoding="utf-8")
    columns = '"id_adhesion" VARCHAR, "numero_ligne" BIGINT, "x" VARCHAR'
    con = duckdb.connect()
    with pytest.raises(duckdb.Error):  # reached the write: the file was accepted, columns aside
        fast.load_members_with_duckdb(con, path, KNOWN, columns)


@pytest.mark.parametrize(
    "text",
    [
        MEMBERS.replace("200043115,CC", "200043116,CC"),  # check digit
        MEMBERS.replace("200043115,CC", "20004311,CC"),  # pattern
        MEMBERS + "\n",  # blank line at the end: lines no longer rows + 1
        MEMBERS.replace("ST BRIEUC", '"ST\nBRIEUC"'),  # record over two lines
        MEMBERS.replace("ST BRIEUC", "ST\x07BRIEUC"),  # control character
        HEADER + "\n",  # header only
    ],
)
def test_members_fast_path_steps_aside(tmp_path, text):
    path = tmp_path / "adherents.csv"
    path.write_text(text, encoding="utf-8")
    assert fast.load_members_with_duckdb(duckdb.connect(), path, KNOWN, "") is None


def test_strings_match_the_python_reader_line_for_line(tmp_path):
    path = tmp_path / "f.csv.gz"
    text = 'a;b;c;\n1; x ;\u2003y\u2003;\n"q;""r""";2;3;\n;;;\n'
    path.write_bytes(gzip.compress(text.encode("utf-8-sig")))
    con = duckdb.connect()
    names = load_csv_strings(con, path, "t", sep=";")
    frame, errors = read_csv_table(path, sep=";")
    assert names == ["a", "b", "c"] and not errors
    assert con.execute("SELECT * FROM t").fetchall() == [tuple(row) for row in frame.itertuples(index=False)]
    drop_strings(con, "t")


MINI_CNIL = Path(__file__).parents[1] / "fixtures" / "sources-mini" / "cnil" / "opencnil-organismes-avec-dpo.csv"


def _python_cnil(path: Path, monkeypatch) -> tuple[duckdb.DuckDBPyConnection, int]:
    """The CNIL table as the Python reader loads it (the DuckDB path switched off), and its row count."""
    reference = duckdb.connect()
    with monkeypatch.context() as patch:
        patch.setattr(cnil, "_load_with_duckdb", lambda *args: None)
        rows = cnil.load_cnil(reference, path)
    return reference, rows


def test_cnil_table_is_the_python_loaders(monkeypatch):
    mine = duckdb.connect()
    assert cnil._load_with_duckdb(mine, MINI_CNIL) is not None
    reference, _ = _python_cnil(MINI_CNIL, monkeypatch)
    assert _table(mine, cnil.TABLE) == _table(reference, cnil.TABLE)


BAD = sorted((Path(__file__).parents[1] / "fixtures" / "bad").rglob("*.csv*"))


@pytest.mark.parametrize("path", BAD, ids=[f"{p.parent.parent.name}/{p.name}" for p in BAD])
def test_fast_reader_on_the_bad_corpus_steps_aside_or_agrees(path):
    """Every defective file of the corpus: DuckDB declines, or reads exactly what Python reads."""
    sep = ";" if "cnil" in path.name else None
    con = duckdb.connect()
    names = load_csv_strings(con, path, "t", sep=sep)
    if names is None:  # declined: the Python reader keeps the file, whatever it finds
        assert not con.execute("SELECT * FROM duckdb_tables() WHERE table_name LIKE 't%'").fetchall()
        return
    frame, errors = read_csv_table(path, sep=sep)
    assert not errors
    assert ["numero_ligne", *names] == list(frame.columns)
    assert con.execute("SELECT * FROM t").fetchall() == [tuple(row) for row in frame.itertuples(index=False)]


CNIL_FILES = sorted(p for p in (Path(__file__).parents[1] / "fixtures").rglob("*.csv*") if "cnil" in str(p))


@pytest.mark.parametrize("path", CNIL_FILES, ids=[str(p.relative_to(p.parents[2])) for p in CNIL_FILES])
def test_cnil_fast_path_on_every_cnil_file_steps_aside_or_gives_the_python_table(path, monkeypatch):
    """Declined: the table already there is untouched and nothing is left behind. Taken: the
    Python loader's table, and the personal columns were never stored."""
    mine = duckdb.connect()
    mine.execute(f"CREATE TABLE {cnil.TABLE} AS SELECT 'avant' AS marque")
    loaded = cnil._load_with_duckdb(mine, path)
    tables = {row[0] for row in mine.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    assert tables == {cnil.TABLE} and not mine.execute("SELECT * FROM duckdb_views() WHERE NOT internal").fetchall()
    if loaded is None:
        assert mine.execute(f"SELECT * FROM {cnil.TABLE}").fetchall() == [("avant",)]
        return
    reference, rows = _python_cnil(path, monkeypatch)
    assert rows == loaded
    assert _table(mine, cnil.TABLE) == _table(reference, cnil.TABLE)
    describe = f"SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = '{cnil.TABLE}'"
    assert mine.execute(describe).fetchall() == reference.execute(describe).fetchall()


@pytest.mark.parametrize(
    "edit",
    [
        lambda text: text.replace("Personne physique", "Personne  morale", 1),  # enum
        lambda text: text + text.split("\n", 1)[0] + "\n",  # header repeated
        lambda text: text.replace("\n", "\n\n", 2),  # blank line
        lambda text: text.replace("COMMUNE DE PERIGUEUX", "x" * 10_001),  # longer than the Python reader takes
    ],
)
def test_cnil_fast_path_declines_what_the_python_reader_must_judge(tmp_path, edit):
    path = tmp_path / "cnil.csv"
    path.write_text(edit(MINI_CNIL.read_text(encoding="utf-8-sig")), encoding="utf-8")
    con = duckdb.connect()
    assert cnil._load_with_duckdb(con, path) is None
    assert not con.execute("SELECT * FROM duckdb_tables()").fetchall()


def test_cnil_fast_path_reads_a_gzip_file_with_odd_spaces_as_python_does(tmp_path, monkeypatch):
    text = MINI_CNIL.read_text(encoding="utf-8-sig").replace(";Personne", ";\u00a0Personne", 1)
    path = tmp_path / "cnil.csv.gz"
    path.write_bytes(gzip.compress(text.encode("utf-8")))
    mine = duckdb.connect()
    assert cnil._load_with_duckdb(mine, path) is not None
    reference, _ = _python_cnil(path, monkeypatch)
    assert _table(mine, cnil.TABLE) == _table(reference, cnil.TABLE)
