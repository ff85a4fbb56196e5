"""The byte scan that decides whether DuckDB may read a file: line count, control characters and
odd spaces (which Python's strip removes and DuckDB's plain trim does not), wherever they fall."""

import gzip

import pytest

from observatory.sources import csv_duckdb
from observatory.sources.csv_duckdb import _WHITESPACE, _scan


def _write(tmp_path, data: bytes, name="f.csv"):
    path = tmp_path / name
    path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    return path


@pytest.mark.parametrize("space", [c for c in _WHITESPACE if c not in "\n\r "])
@pytest.mark.parametrize("name", ["f.csv", "f.csv.gz"])
def test_every_odd_space_is_seen_among_accented_text(tmp_path, space, name):
    data = f"a;b\nété;Noël{space}\n«x»;’y’\n".encode()
    first, lines, clean, odd = _scan(_write(tmp_path, data, name))
    assert lines == 3 and first == data and odd
    # The ASCII ones but the tab are control characters: such a file goes to the Python reader.
    assert clean is (space.encode()[0] not in csv_duckdb._CONTROL_BYTES)


def test_accents_and_typographic_quotes_are_not_odd_spaces(tmp_path):
    data = "a;b\nété à Noël;« ’x’ … – »\n".encode()
    assert _scan(_write(tmp_path, data)) == (data, 2, True, False)


@pytest.mark.parametrize("space", ["\u00a0", "\u202f", "\u3000"])
def test_an_odd_space_straddling_two_blocks_is_seen(tmp_path, monkeypatch, space):
    monkeypatch.setattr(csv_duckdb, "_BLOCK", 64)
    encoded = space.encode()
    for cut in range(1, len(encoded)):
        head = "a;b\né".encode() + b"x" * (64 - 6 - cut)
        data = head + encoded + b";y\n"
        assert data[:64].endswith(encoded[:cut])
        assert _scan(_write(tmp_path, data))[3], cut


def test_control_characters_and_lines(tmp_path):
    assert _scan(_write(tmp_path, b"a;b\n1;\x07\n"))[2] is False
    assert _scan(_write(tmp_path, b"a;b\n1;2"))[1] == 2  # last line without its end
