"""Reading a French CSV as it comes: BOM or not, `,` or `;`, UTF-8, Windows-1252 or UTF-16, gzip or not.

Every value is read as a string: codes keep their leading zeros, and typing happens later,
against the declared Table Schema, where a bad value can be reported by row and field.

What cannot be read faithfully is refused here, each time naming the file as the steward
knows it (`label`: the original path, not the snapshot copy) and the line a text editor
shows (header = 1, blank lines and quoted line breaks counted): mixed encodings, an HTML
page, a gzip stream that ends early, a line with fewer fields than the header (a file cut
in the middle), control characters, a repeated header line, a field of absurd length.
Row defects are collected, up to MAX_ERRORS per file, so one run lists them all.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import re
import zlib
from pathlib import Path

import pandas as pd

from observatory.errors import MAX_ERRORS, SourceError, SourceErrors

ENCODINGS = ("utf-8-sig", "cp1252")
LINE_NUMBER = "numero_ligne"
# Longest value a declaration or the CNIL file legitimately holds is an address; far above it.
MAX_FIELD_CHARS = 10_000
# Control characters a spreadsheet never types: everything below space except tab and line ends.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_HTML = re.compile(r"^\s*(<!doctype html|<html|<head|<body|<\?xml)", re.IGNORECASE)

csv.field_size_limit(64 * 1024 * 1024)


def _read_bytes(path: Path, label: str) -> bytes:
    raw = path.read_bytes()
    if path.suffix != ".gz":
        return raw
    try:
        return gzip.decompress(raw)
    except EOFError as error:
        raise SourceError(label, "archive gzip tronquée (téléchargement interrompu ?)") from error
    except (gzip.BadGzipFile, zlib.error, OSError) as error:
        raise SourceError(label, f"ce n'est pas une archive gzip lisible ({error})") from error


def _line_of(raw: bytes, offset: int) -> int:
    return raw.count(b"\n", 0, offset) + 1


def _decode(label: str, raw: bytes) -> str:
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as error:
            raise SourceError(label, "UTF-16 illisible") from error
    if raw[:200].count(b"\x00") > len(raw[:200]) // 4:
        raise SourceError(label, "encodage UTF-16 sans marque d'ordre (BOM) : réenregistrez en UTF-8")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        first_bad = _line_of(raw, error.start)
    # UTF-8 fails loudly on Windows-1252 bytes; before trusting Windows-1252, make sure no other
    # line is UTF-8, which Windows-1252 would silently turn into mojibake ("Ã©").
    for number, line in enumerate(raw.split(b"\n"), start=1):
        if max(line, default=0) >= 0x80:
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                continue
            raise SourceError(
                label,
                f"encodages mélangés : la ligne {number} est en UTF-8, la ligne {first_bad} en Windows-1252",
                row=first_bad,
            )
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError as error:
        raise SourceError(
            label, "encodage illisible (ni UTF-8 ni Windows-1252)", row=_line_of(raw, error.start)
        ) from error


def _separator(label: str, header_line: str, preferred: str | None) -> str:
    if preferred:
        return preferred
    try:
        return csv.Sniffer().sniff(header_line, delimiters=",;\t").delimiter
    except csv.Error as error:
        raise SourceError(label, "séparateur introuvable dans la ligne d'en-tête", row=1) from error


def _text(path: Path, label: str) -> str:
    if not path.exists():
        raise SourceError(label, "fichier absent")
    text = _decode(label, _read_bytes(path, label))
    if not text.strip():
        raise SourceError(label, "fichier vide")
    if _HTML.match(text):
        raise SourceError(label, "page HTML et non fichier CSV (erreur de téléchargement ?)", row=1)
    return text


def _rows(label: str, text: str, delimiter: str, errors: list[SourceError]):
    """Yield (line where the row starts, values); a reading error ends the file."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"', strict=True)
    start = 1
    try:
        for values in reader:
            yield start, values
            start = reader.line_num + 1
    except csv.Error as error:
        reason = "guillemet jamais fermé (fichier tronqué ?)" if "end of data" in str(error) else str(error)
        errors.append(SourceError(label, f"CSV mal formé : {reason}", row=start))


def _row_errors(label: str, line: int, values: list[str], header: list[str], suspect: bool) -> list[SourceError]:
    """`suspect`: the file holds a control character or a very long line somewhere (else cells are not scanned)."""
    found = []
    if values[0].strip() == header[0] and [v.strip() for v in values] == header:
        return [SourceError(label, "ligne d'en-tête répétée", row=line)]
    if len(values) < len(header):
        found.append(
            SourceError(
                label,
                f"ligne incomplète : {len(values)} champ(s) au lieu de {len(header)} (fichier tronqué ?)",
                row=line,
                field=header[len(values)] if values else None,
            )
        )
    elif len(values) > len(header) and any(v.strip() for v in values[len(header) :]):
        found.append(SourceError(label, f"{len(values)} champs pour {len(header)} colonnes d'en-tête", row=line))
    for name, value in zip(header, values, strict=False) if suspect else ():
        if _CONTROL.search(value):
            code = ord(_CONTROL.search(value).group())
            found.append(SourceError(label, f"caractère de contrôle U+{code:04X} dans la valeur", row=line, field=name))
        elif len(value) > MAX_FIELD_CHARS:
            found.append(
                SourceError(
                    label, f"valeur de {len(value)} caractères (au plus {MAX_FIELD_CHARS})", row=line, field=name
                )
            )
    return found


def read_csv_table(
    path: Path, *, sep: str | None = None, label: str | Path | None = None
) -> tuple[pd.DataFrame, list[SourceError]]:
    """(strings frame with `numero_ligne`, row errors). Rows in error are left out of the frame.

    A header defect (empty or duplicated column name) raises at once: no row can be trusted.
    Trailing header columns with an empty name are dropped (the CNIL file's 27th column)."""
    label = str(label or path)
    text = _text(path, label)
    errors: list[SourceError] = []
    rows = _rows(label, text, _separator(label, text.lstrip("\ufeff").splitlines()[0], sep), errors)
    header_line, header = next(((n, v) for n, v in rows if v), (1, []))
    header = [name.strip().lstrip("\ufeff") for name in header]
    while header and not header[-1]:
        header.pop()
    problems = [
        SourceError(label, "colonne sans nom dans l'en-tête", row=header_line, field=f"colonne {i + 1}")
        for i, name in enumerate(header)
        if not name
    ]
    problems += [
        SourceError(label, "colonne présente deux fois dans l'en-tête", row=header_line, field=name)
        for i, name in enumerate(header)
        if name and name in header[:i]
    ]
    if problems:
        raise SourceErrors(problems)
    records, lines = [], []
    width = len(header)
    # Scanning every cell is costly on the CNIL file (2 million cells): only when the text warrants it.
    suspect = _CONTROL.search(text) is not None or max(map(len, text.splitlines()), default=0) > MAX_FIELD_CHARS
    for line, values in rows:
        if not values or (len(values) == 1 and not values[0].strip()):
            continue
        fits = len(values) == width or (len(values) > width and not any(v.strip() for v in values[width:]))
        if fits and not suspect and values[0].strip() != header[0]:
            records.append([v.strip() for v in values[:width]])
            lines.append(line)
            continue
        found = _row_errors(label, line, values, header, suspect)
        if found:
            errors.extend(found)
            if len(errors) >= MAX_ERRORS:
                break
            continue
        records.append([v.strip() for v in values[: len(header)]])
        lines.append(line)
    frame = pd.DataFrame(records, columns=header, dtype=object) if records else pd.DataFrame(columns=header)
    frame = frame.astype(object)
    frame.insert(0, LINE_NUMBER, pd.Series(lines, dtype="int64"))
    return frame, errors


def read_csv_strings(path: Path, *, sep: str | None = None, label: str | Path | None = None) -> pd.DataFrame:
    """All columns as strings ('' for empty), plus `numero_ligne` (header = line 1); raises on any defect."""
    frame, errors = read_csv_table(path, sep=sep, label=label)
    if errors:
        raise SourceErrors(errors)
    return frame


def require_columns(path: Path | str, frame: pd.DataFrame, expected: list[str], *, extra_allowed: bool = False) -> None:
    """Every expected column present; unless `extra_allowed`, none unknown. All named in one error."""
    present = [c for c in frame.columns if c != LINE_NUMBER]
    problems = [
        SourceError(path, "colonne absente de l'en-tête", row=1, field=name) for name in expected if name not in present
    ]
    if not extra_allowed:
        problems += [
            SourceError(path, f"colonne inconnue (attendues : {', '.join(expected)})", row=1, field=name)
            for name in present
            if name not in expected
        ]
    if problems:
        raise SourceErrors(problems)
