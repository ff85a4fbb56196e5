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


def duckdb_text_expression(column_sql: str) -> str:
    """The same rule as `spreadsheet_safe`, as a DuckDB expression over a VARCHAR column."""
    cleaned = f"regexp_replace({column_sql}, '[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]', '', 'g')"
    return f"CASE WHEN regexp_matches({cleaned}, '^[=+\\-@]') THEN '''' || {cleaned} ELSE {cleaned} END"


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
