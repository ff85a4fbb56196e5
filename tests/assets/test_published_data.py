"""Nothing wrong published, through the whole graph: no personal data in any file of the
release, no value a spreadsheet would execute, repairs carried as anomalies; representative
bad inputs stop the run before anything is published, naming the steward's file."""

from __future__ import annotations

import csv
import json
import re
from xml.etree import ElementTree

import duckdb
import pyarrow.parquet as pq
import pytest

from observatory.publish.sanitize import CONTROL_CHARACTERS, EMAIL, PHONE
from tests.assets.conftest import run_everything
from tests.bad_corpus import expected, source_tree

PLANTED_EMAILS = ["jeanne.martin@mairie-perigueux.fr", "dpo.prive@gmail.com", "secretariat@cdg48.fr"]
PLANTED_PHONES = ["06 12 34 56 78", "+33 5 53 00 11 22", "05.53.74.66.66"]


def _plant(root) -> None:
    cnil = root / "cnil" / "opencnil-organismes-avec-dpo.csv"
    rows = cnil.read_text(encoding="utf-8-sig").splitlines()
    for i in range(1, len(rows)):
        fields = rows[i].split(";")
        fields[18], fields[20], fields[25] = PLANTED_EMAILS[i % 3], PLANTED_PHONES[i % 3], PLANTED_EMAILS[(i + 1) % 3]
        rows[i] = ";".join(fields)
    cnil.write_text("\ufeff" + "\n".join(rows) + "\n", encoding="utf-8")
    members = root / "declarations" / "adherents.csv"
    lines = members.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace("BERGERAC", f"BERGERAC contact {PLANTED_EMAILS[0]} {PLANTED_PHONES[0]}")
    lines[3] = lines[3].replace("Sarlat-la-Canéda", f"Sarlat-la-Canéda ({PLANTED_PHONES[1]})")
    lines.append('252405147,"=HYPERLINK(""http://x"")",commune,,,,24,15/01/2010')
    lines.append("252405147,-Coux,commune,,,,24,40193")
    members.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("pii")
    _plant(source_tree(None, tmp_path / "sources"))
    result = run_everything(tmp_path, mode="local", sources_dir=str(tmp_path / "sources"))
    assert result.success
    return tmp_path / "exports" / (tmp_path / "exports" / "LATEST").read_text().strip()


def _texts(release) -> dict[str, list[str]]:
    """Every value of every file of the release, as text."""
    found: dict[str, list[str]] = {}
    for path in sorted(p for p in release.rglob("*") if p.is_file()):
        name = str(path.relative_to(release))
        if path.suffix == ".parquet":
            table = pq.read_table(path)
            found[name] = [str(v) for column in table.columns for v in column.to_pylist() if v is not None]
        elif path.suffix == ".duckdb":
            with duckdb.connect(str(path), read_only=True) as con:
                values = []
                for (table,) in con.execute("SELECT table_name FROM information_schema.tables").fetchall():
                    values += [str(v) for row in con.execute(f'SELECT * FROM "{table}"').fetchall() for v in row]
                found[name] = values
        elif path.suffix == ".png":
            continue  # pixels carry no searchable text; each chart's SVG twin (text) is scanned
        elif path.suffix == ".svg":
            # What a chart says (its text and labels), not its path coordinates, which are long digit runs.
            root = ElementTree.fromstring(path.read_bytes())
            labels = (e.attrib["aria-label"] for e in root.iter() if "aria-label" in e.attrib)
            found[name] = [*root.itertext(), *labels]
        else:
            found[name] = [path.read_bytes().decode("utf-8")]
    return found


def test_no_personal_data_in_any_file_of_the_release(release):
    texts = _texts(release)
    assert {p.suffix for p in release.rglob("*") if p.is_file()} >= {".csv", ".parquet", ".duckdb", ".json", ".md"}
    for name, values in texts.items():
        for value in values:
            for planted in PLANTED_EMAILS + PLANTED_PHONES:
                assert planted not in value, f"{planted} publié dans {name}"
            assert not PHONE.search(value), f"{name}: {PHONE.search(value).group()}"
            assert not EMAIL.search(value), f"{name}: {EMAIL.search(value).group()}"


def _adhesions(release) -> list[dict]:
    with (release / "adhesions.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_planted_contacts_are_removed_from_declared_names_with_an_anomaly(release):
    rows = {int(r["numero_ligne"]): r for r in _adhesions(release)}
    assert rows[3]["nom_adherent"] == "BERGERAC contact"
    assert rows[4]["nom_adherent"] == "Sarlat-la-Canéda"
    for line in (3, 4):
        assert "donnee_personnelle_retiree" in rows[line]["anomalies"].split("|")


def test_published_csvs_hold_no_control_character_and_no_executable_value(release):
    for path in release.glob("*.csv"):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.reader(handle):
                for value in row:
                    assert not CONTROL_CHARACTERS.search(value), path.name
                    assert not value.startswith(("=", "+", "@")), (path.name, value)
                    assert not value.startswith("-") or re.fullmatch(r"-\d+(\.\d+)?", value), (path.name, value)
    rows = {int(r["numero_ligne"]): r for r in _adhesions(release)}
    assert rows[18]["nom_adherent"] == '\'=HYPERLINK("http://x")'
    assert rows[18]["date_adhesion"] == "2010-01-15" and "date_adhesion_reformatee" in rows[18]["anomalies"]
    assert rows[19]["nom_adherent"] == "'-Coux"
    assert rows[19]["date_adhesion"] == "" and "date_adhesion_illisible" in rows[19]["anomalies"]
    parquet = pq.read_table(release / "adhesions.parquet").to_pylist()
    assert {r["nom_adherent"] for r in parquet if r["numero_ligne"] == 18} == {'=HYPERLINK("http://x")'}


@pytest.mark.parametrize("case", ["cnil_date_aaaa_mm_jj", "opsn_en_double", "trois_erreurs_en_une_fois"])
def test_a_rejection_through_the_graph_names_the_stewards_file_and_publishes_nothing(case, tmp_path):
    sources = source_tree(case, tmp_path / "sources")
    result = run_everything(tmp_path, mode="local", sources_dir=str(sources))
    assert not result.success
    failure = next(e for e in result.all_events if e.event_type_value == "STEP_FAILURE")
    message = str(failure.event_specific_data.error)
    want = expected(case)
    assert f"{sources}/" in message and "build/raw" not in message, message
    assert f"{want['file']}, ligne {want['line']}, champ « {want['field']} »" in message, message
    assert not (tmp_path / "exports").exists() or not any(
        p for p in (tmp_path / "exports").iterdir() if not p.name.startswith(".")
    )
    assert json.dumps(want)  # the case file is valid JSON
