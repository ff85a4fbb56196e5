import gzip

import pytest

from observatory.errors import SourceError, SourceErrors
from observatory.sources.csvfile import read_csv_strings, require_columns


def test_reads_bom_semicolon_and_keeps_leading_zeros(tmp_path):
    path = tmp_path / "f.csv"
    path.write_bytes("\ufeffcode;nom\n01001;L'Abergement\n2A004;Ajaccio\n".encode())
    frame = read_csv_strings(path)
    assert list(frame.columns) == ["numero_ligne", "code", "nom"]
    assert frame["code"].tolist() == ["01001", "2A004"]
    assert frame["numero_ligne"].tolist() == [2, 3]


def test_falls_back_to_windows_1252(tmp_path):
    path = tmp_path / "f.csv"
    path.write_bytes("nom,prix\nCœur – 5 €,1\n".encode("cp1252"))
    assert read_csv_strings(path)["nom"].tolist() == ["Cœur – 5 €"]


def test_reads_gzip_and_empty_values_as_empty_strings(tmp_path):
    path = tmp_path / "f.csv.gz"
    path.write_bytes(gzip.compress(b"a,b\n1,\n"))
    frame = read_csv_strings(path)
    assert frame.loc[0, "b"] == ""


def test_missing_column_names_file_row_and_field(tmp_path):
    path = tmp_path / "adherents.csv"
    path.write_text("siren_opsn,nom\n253514491,x\n", encoding="utf-8")
    frame = read_csv_strings(path)
    with pytest.raises(SourceErrors) as error:
        require_columns(path, frame, ["siren_opsn", "type_adherent"])
    by_field = {e.field: e for e in error.value.errors}  # both defects in one pass
    missing, unknown = by_field["type_adherent"], by_field["nom"]
    assert missing.row == 1 and missing.field == "type_adherent" and "absente" in str(missing)
    assert unknown.field == "nom" and "inconnue" in str(unknown)
    assert "adherents.csv" in str(error.value)


def test_missing_file_is_a_source_error(tmp_path):
    with pytest.raises(SourceError, match="absent"):
        read_csv_strings(tmp_path / "nope.csv")
