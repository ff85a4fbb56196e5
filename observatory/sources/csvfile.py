"""Reading a French CSV as it comes: BOM or not, `,` or `;`, UTF-8 or Windows-1252, gzip or not.

Every value is read as a string: codes keep their leading zeros, and typing happens later,
against the declared Table Schema, where a bad value can be reported by row and field.
"""

from __future__ import annotations

import csv
import gzip
import io
from pathlib import Path

import pandas as pd

from observatory.errors import SourceError

# Tried in order. UTF-8 first because it fails loudly on Windows-1252 bytes; the reverse
# would silently produce mojibake.
ENCODINGS = ("utf-8-sig", "cp1252")
LINE_NUMBER = "numero_ligne"


def _read_bytes(path: Path) -> bytes:
    raw = path.read_bytes()
    return gzip.decompress(raw) if path.suffix == ".gz" else raw


def _decode(path: Path, raw: bytes) -> str:
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SourceError(path, "encodage illisible (ni UTF-8 ni Windows-1252)")


def _separator(path: Path, header_line: str, preferred: str | None) -> str:
    if preferred:
        return preferred
    try:
        return csv.Sniffer().sniff(header_line, delimiters=",;\t").delimiter
    except csv.Error as error:
        raise SourceError(path, "séparateur introuvable dans la ligne d'en-tête", row=1) from error


def read_csv_strings(path: Path, *, sep: str | None = None) -> pd.DataFrame:
    """All columns as strings ('' for empty), plus `numero_ligne` (header = line 1)."""
    if not path.exists():
        raise SourceError(path, "fichier absent")
    text = _decode(path, _read_bytes(path))
    if not text.strip():
        raise SourceError(path, "fichier vide")
    header_line = text.splitlines()[0]
    delimiter = _separator(path, header_line, sep)
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            quotechar='"',
            skip_blank_lines=True,
        )
    except pd.errors.ParserError as error:
        raise SourceError(path, f"CSV mal formé : {error}") from error
    frame.columns = [str(column).strip() for column in frame.columns]
    # Blank lines are skipped, so line numbers come from the parser's index plus the header;
    # quoted newlines are rare in these files and would shift numbers by the extra lines only.
    frame.insert(0, LINE_NUMBER, frame.index.to_numpy() + 2)
    return frame.apply(lambda column: column.str.strip() if column.dtype == object else column)


def require_columns(path: Path, frame: pd.DataFrame, expected: list[str]) -> None:
    missing = [name for name in expected if name not in frame.columns]
    if missing:
        raise SourceError(path, f"colonne(s) absente(s) de l'en-tête : {', '.join(missing)}", row=1, field=missing[0])
