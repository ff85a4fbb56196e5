"""What may appear in a published value: no control characters, nothing a spreadsheet executes,
no personal contact.

Published CSVs are opened in spreadsheets by people who did not write them. A text value
beginning with `=`, `+`, `-` or `@` is read there as a formula (CSV injection), so it is
written with a leading apostrophe, which spreadsheets display as plain text. Numbers stay
numbers: the rule is applied to text columns only, so `-3.5` in a numeric column is unchanged.
Control characters other than line ends (which CSV quoting carries) never reach a release.
E-mail addresses and phone numbers are personal data when they designate a person: the
sources' contact columns are dropped at load, and one found in a declared free-text value
is removed from it (with an anomaly on the row, see observatory/declarations.py).
"""

from __future__ import annotations

import re
from pathlib import Path

FORMULA_PREFIXES = ("=", "+", "-", "@")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# French numbers as typed: 0X XX XX XX XX, with spaces, dots or dashes, or +33 / 0033.
PHONE = re.compile(r"(?:\+33 ?|\b0033 ?|\b0)[1-9](?:[ .-]?\d{2}){4}\b")


def spreadsheet_safe(value: str | None) -> str | None:
    """The text as published: control characters removed, formula prefixes neutralised."""
    if value is None:
        return None
    value = CONTROL_CHARACTERS.sub("", value)
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


# CONTROL_CHARACTERS for DuckDB's RE2, and as bytes.
_CONTROL_CLASS = "[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]"
CONTROL_BYTES = bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
_NOT_CONTROL = bytes(b for b in range(256) if b not in CONTROL_BYTES)
_BLOCK = 8 * 1024 * 1024


def first_control_character(path: Path) -> tuple[int, int] | None:
    """(line, byte) of the first control character in the file: a published text never holds one
    (spreadsheet_safe). Bytes, in blocks: C speed, whatever the size."""
    lines = 0
    with path.open("rb") as handle:
        while block := handle.read(_BLOCK):
            found = block.translate(None, _NOT_CONTROL)
            if found:
                at = min(block.find(bytes([byte])) for byte in set(found))
                return lines + block.count(b"\n", 0, at) + 1, block[at]
            lines += block.count(b"\n")
    return None


def duckdb_text_expression(column_sql: str) -> str:
    """The same rule as `spreadsheet_safe`, as a DuckDB expression over a VARCHAR column.

    One search first tells whether a value needs the rule at all: almost none does, and that
    search costs less than the removal and the second search it spares."""
    cleaned = f"regexp_replace({column_sql}, '{_CONTROL_CLASS}', '', 'g')"
    neutralised = f"CASE WHEN regexp_matches({cleaned}, '^[=+\\-@]') THEN '''' || {cleaned} ELSE {cleaned} END"
    return (
        f"CASE WHEN regexp_matches({column_sql}, '{_CONTROL_CLASS}|^[=+\\-@]') THEN {neutralised} ELSE {column_sql} END"
    )


def duckdb_formula_safe(column_sql: str) -> str:
    """`duckdb_text_expression` for a text known to hold no control character: the formula rule
    alone, a few times cheaper (the control-character search was most of the rule's cost)."""
    return f"CASE WHEN {duckdb_formula_start(column_sql)} THEN '''' || {column_sql} ELSE {column_sql} END"


def duckdb_formula_start(column_sql: str) -> str:
    """True on a text a spreadsheet would run as a formula: `spreadsheet_safe` never leaves one.
    The first character's code point (0 for an empty text) costs less than a regular expression."""
    return f"ascii({column_sql}) IN ({', '.join(str(ord(prefix)) for prefix in FORMULA_PREFIXES)})"


def personal_data(value: str | None) -> list[str]:
    """E-mail addresses and phone numbers found in a value."""
    if not value:
        return []
    return EMAIL.findall(value) + PHONE.findall(value)


def without_personal_data(value: str) -> str:
    """The value with e-mail addresses and phone numbers removed, spaces tidied."""
    stripped = re.sub(r"\(\s*\)|\[\s*\]", "", PHONE.sub("", EMAIL.sub("", value)))
    stripped = re.sub(r"\s+([)\]])", r"\1", stripped)
    return re.sub(r"\s{2,}", " ", re.sub(r"[\s,;:/(-]+$", "", stripped)).strip()
