"""The fast path of reading a CSV: DuckDB's own reader, for files it can vouch for line by line.

`csvfile.read_csv_table` holds the whole file in Python strings (a million CNIL rows are
about 2 GiB of them) to name every defect by file, line and field. Most files have none: for
them, DuckDB reads the file straight into a table of strings, in a fraction of the time and
memory. It only answers when it can prove it read exactly what the Python reader would have:

- the file is UTF-8 (BOM or not), gzip or not, not HTML, not empty, its header on line 1 and
  well formed (no empty or repeated name);
- no control character anywhere, no value longer than MAX_FIELD_CHARS, no repeated header row;
- DuckDB in strict mode parsed every row with the header's number of fields;
- every record is one physical line (the file's line count is the rows plus the header), so
  that a row's line is its position plus one, as a text editor shows it.

Otherwise it returns None and the caller uses the Python reader, whose messages are the
reference: a defective file is diagnosed exactly as before, only clean files go faster.

`plan_csv` does the byte scan and reads the header; `CsvRead` then gives the SQL pieces, so a
loader may read the file once straight into its final table and judge the rows afterwards
(cnil.py), and `load_csv_strings` builds the table of strings the members' loader types.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import zlib
from dataclasses import dataclass
from pathlib import Path

import duckdb

from observatory.sources.csvfile import _HTML, LINE_NUMBER, MAX_FIELD_CHARS, _separator

# Read in blocks: the line count and the byte scans never hold the whole file.
_BLOCK = 8 * 1024 * 1024
# bytes.translate deleting every other byte leaves the control characters: C speed, unlike a regex.
_CONTROL_BYTES = bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
_NOT_CONTROL = bytes(b for b in range(256) if b not in _CONTROL_BYTES)
# What Python's str.strip() removes besides the space, and those characters in UTF-8 (the
# control characters among them are refused before). DuckDB's trim() removes spaces only;
# trimming a set of characters costs 8× more, so it is used only when the file holds one.
_WHITESPACE = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000" + "".join(
    chr(c) for c in range(0x2000, 0x200B)
)
_ODD_SPACES = tuple(c.encode() for c in _WHITESPACE if c not in "\n\r ")
# The odd spaces are the tab (ASCII) and multi-byte characters. Deleting every ASCII byte leaves
# the file's non-ASCII characters whole and back to back (UTF-8 never uses an ASCII byte inside
# one), so the multi-byte ones are searched there: a few per cent of the bytes, not all of them.
_ASCII = bytes(range(0x80))
_ODD_MULTIBYTE = tuple(space for space in _ODD_SPACES if space[0] >= 0x80)
_ODD_ASCII = tuple(space for space in _ODD_SPACES if space[0] < 0x80)


def sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _open(path: Path):
    return gzip.open(path, "rb") if path.suffix == ".gz" else path.open("rb")


def _scan(path: Path) -> tuple[bytes, int, bool, bool] | None:
    """(first block, lines, clean, odd spaces); clean: no control character. None when unreadable."""
    lines, last, first, clean, odd, tail = 0, b"", b"", True, False, b""
    try:
        with _open(path) as stream:
            while block := stream.read(_BLOCK):
                first = first or block
                lines += block.count(b"\n")
                clean = clean and not block.translate(None, _NOT_CONTROL)
                if not odd:
                    # The previous block's tail: a 3-byte space may straddle two blocks.
                    wide = tail + block.translate(None, _ASCII)
                    odd = any(space in block for space in _ODD_ASCII) or any(space in wide for space in _ODD_MULTIBYTE)
                    tail = wide[-2:]
                last = block
    except (EOFError, OSError, zlib.error):
        return None
    if last and not last.endswith(b"\n"):
        lines += 1
    return first, lines, clean, odd


def _header(first: bytes, sep: str | None) -> tuple[list[str], str] | None:
    if first.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in first[:200]:
        return None
    line = first.split(b"\n", 1)[0]
    try:
        text = line.decode("utf-8-sig").rstrip("\r")
    except UnicodeDecodeError:
        return None
    if not text.strip() or _HTML.match(text) or '"' in text or "\r" in text:
        return None
    try:
        delimiter = _separator("", text, sep)
    except Exception:  # the Python reader names the problem
        return None
    header = [name.strip().lstrip("\ufeff") for name in next(csv.reader(io.StringIO(text), delimiter=delimiter))]
    width = len(header)
    while width and not header[width - 1]:
        width -= 1
    named = header[:width]
    if not named or "" in named or len(set(named)) != len(named):
        return None
    return header, delimiter


@dataclass(frozen=True)
class CsvRead:
    """What a clean file's scan and header say, and DuckDB's reading of it as SQL pieces."""

    path: Path
    header: list[str]  # every header cell, trailing unnamed ones included
    delimiter: str
    lines: int  # physical lines, header included
    odd_spaces: bool

    @property
    def named(self) -> list[str]:
        return [name for name in self.header if name]

    @property
    def _raw(self) -> list[str]:
        # Trailing header cells without a name (the CNIL file's 27th column) are read, then dropped.
        return [name or f"_sans_nom_{i}" for i, name in enumerate(self.header)]

    @property
    def _strip(self) -> str:
        return f", {sql_string(_WHITESPACE)}" if self.odd_spaces or self.delimiter == "\t" else ""

    def source(self) -> str:
        """`read_csv(...)`: every column as text, strict, in file order."""
        columns = "{" + ", ".join(f"{sql_string(name)}: 'VARCHAR'" for name in self._raw) + "}"
        return f"""read_csv({sql_string(str(self.path))}, delim = {sql_string(self.delimiter)}, header = true,
                     quote = '"', escape = '"', strict_mode = true, null_padding = false,
                     auto_detect = false, columns = {columns},
                     compression = {sql_string("gzip" if self.path.suffix == ".gz" else "none")})"""

    def stripped(self, name: str) -> str:
        """A named column as the Python reader gives it: stripped as `str.strip()`, '' when empty."""
        return f"coalesce(trim({quoted(name)}{self._strip}), '')"

    def rest(self) -> str:
        """The unnamed trailing cells of a row, concatenated ('' when there are none)."""
        unnamed = [quoted(n) for n in self._raw if n not in self.named]
        return f"concat_ws('', {', '.join(unnamed)})" if unnamed else "''"

    def rest_filled(self, rest: str) -> str:
        return f"trim({rest}{self._strip}) <> ''"

    def row_declined(self) -> str:
        """True on a row the Python reader might judge differently: a value that may be too long for
        it (bytes before stripping: never fewer than the characters kept), the header repeated, or a
        value in a column without a name."""
        longest = ", ".join(f"strlen({quoted(n)})" for n in self.named)
        return (
            f"(greatest({longest}) > {MAX_FIELD_CHARS} OR {self.stripped(self.named[0])} = {sql_string(self.named[0])}"
            f" OR {self.rest_filled(self.rest())})"
        )


def plan_csv(path: Path, *, sep: str | None = None) -> CsvRead | None:
    """The file's scan and header, or None when the Python reader must decide (see module doc)."""
    path = Path(path)
    if not path.exists():
        return None
    scanned = _scan(path)
    if scanned is None or not scanned[2]:
        return None
    first, lines, _, odd = scanned
    parsed = _header(first, sep)
    if parsed is None:
        return None
    header, delimiter = parsed
    return CsvRead(path, header, delimiter, lines, odd)


def load_csv_strings(
    con: duckdb.DuckDBPyConnection, path: Path, table: str, *, sep: str | None = None
) -> list[str] | None:
    """Create temp view `table` (`numero_ligne` BIGINT, then every named column as stripped text,
    '' when empty) over temp table `<table>__brut`, and return the column names; None when the
    Python reader must decide. `drop_strings` removes both."""
    read = plan_csv(path, sep=sep)
    if read is None:
        return None
    named = read.named
    select = ", ".join(f"{read.stripped(n)} AS {quoted(n)}" for n in named)
    staging = f"{table}__brut"
    try:
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {staging} AS SELECT {select}, {read.rest()} AS _reste FROM {read.source()}"
        )
    except duckdb.Error:
        return None
    longest = " , ".join(f"length({quoted(n)})" for n in named)
    rows, too_long, repeated, leftover = con.execute(
        f"""SELECT count(*), coalesce(max(greatest({longest})), 0) > {MAX_FIELD_CHARS},
                   coalesce(bool_or({quoted(named[0])} = {sql_string(named[0])}), false),
                   coalesce(bool_or({read.rest_filled("_reste")}), false)
            FROM {staging}"""
    ).fetchone()
    if rows + 1 != read.lines or too_long or repeated or leftover:
        con.execute(f"DROP TABLE {staging}")
        return None
    # Inserted in file order (DuckDB preserves insertion order) into a fresh table: rowid is
    # the row's position, and the header is line 1.
    con.execute(
        f"""CREATE OR REPLACE TEMP VIEW {table} AS
            SELECT rowid + 2 AS {LINE_NUMBER}, {", ".join(quoted(n) for n in named)} FROM {staging}"""
    )
    return named


def drop_strings(con: duckdb.DuckDBPyConnection, table: str) -> None:
    con.execute(f"DROP VIEW IF EXISTS {table}")
    con.execute(f"DROP TABLE IF EXISTS {table}__brut")
