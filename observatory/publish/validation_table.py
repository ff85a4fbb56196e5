"""One table's files against its Table Schema, in DuckDB: header, cells, keys, Parquet twin.

The rules of a Frictionless validation (observatory/publish/validation.py runs them over a
release), as set queries over the CSV read back as text, as a reuser would read it.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from observatory.publish.sanitize import duckdb_formula_start, duckdb_text_expression, first_control_character
from observatory.publish.validation_rules import (
    Rule,
    check_schema_keys,
    field_rules,
    literal,
    missing,
    quoted,
    typed,
)
from observatory.schemas import arrow_schema, field_names, primary_key, read_descriptor


def _line(rowid: int) -> int:
    return rowid + 2  # header = line 1


def _shown(value: object) -> str:
    if isinstance(value, tuple):
        return ", ".join(_shown(v) for v in value)
    text = "" if value is None else str(value)
    return f"« {text[:60]} »"


def referenced_tables(names: list[str]) -> set[str]:
    return {
        key["reference"]["resource"]
        for name in names
        for key in read_descriptor(name).get("foreignKeys", [])
        if key["reference"]["resource"] not in ("", name)
    }


def validation_order(names: list[str]) -> list[str]:
    """Referenced tables first, so that their keys are loaded when a foreign key is checked."""
    referenced = referenced_tables(names)
    return [n for n in names if n in referenced] + [n for n in names if n not in referenced]


def thousands(count: int) -> str:
    return f"{count:,}".replace(",", "\u202f")


def _empty_as_null(field: dict) -> str:
    return "nullif(" + quoted(field["name"]) + ", '')"


class TableCheck:
    def __init__(self, con: duckdb.DuckDBPyConnection, staging: Path, name: str):
        self.con, self.staging, self.name = con, staging, name
        self.descriptor = read_descriptor(name)  # read only
        self.fields = self.descriptor["fields"]
        self.file = f"{name}.csv"
        self.errors: list[str] = []

    def run(self, referenced: set[str], expected_rows: int | None) -> int | None:
        """Every check, in order; the row count read back (None when the file cannot be read).
        A table other tables reference keeps its keys, as `keys_<name>`, once it is valid."""
        check_schema_keys(self.descriptor, self.name)
        if not self.header() or (rows := self.load()) is None:
            return None
        if expected_rows is not None and expected_rows != rows:
            self.error(None, None, f"{rows} lignes écrites au lieu de {expected_rows}")
        self.cells()
        self.uniqueness()
        self.foreign_keys()
        self.parquet_twin()
        if not self.errors and self.name in referenced:
            self.keep_keys()
        return rows

    def error(self, line: int | None, field: str | None, message: str) -> None:
        where = self.file + (f", ligne {line}" if line is not None else "") + (f", champ {field}" if field else "")
        self.errors.append(f"{where} : {message}")

    def header(self) -> bool:
        path = self.staging / self.file
        if not path.exists():
            self.error(None, None, "fichier absent")
            return False
        with path.open("rb") as handle:
            first = handle.readline()
        try:
            header = next(csv.reader([first.decode("utf-8")]), [])
        except (UnicodeDecodeError, csv.Error) as error:
            self.error(1, None, f"en-tête illisible ({error})")
            return False
        expected = field_names(self.name)
        if header != expected:
            self.error(1, None, f"en-tête {header} au lieu de {expected} (noms et ordre du schéma)")
            return False
        control = first_control_character(path)
        if control:
            self.error(control[0], None, f"caractère de contrôle 0x{control[1]:02x} (interdit dans un texte publié)")
            return False
        return True

    def load(self) -> int | None:
        columns = {f["name"]: "VARCHAR" for f in self.fields}
        try:
            self.con.execute(
                """CREATE OR REPLACE TEMP TABLE t AS SELECT * FROM read_csv(
                       $path, header = true, auto_detect = false, columns = $columns, delim = ',',
                       quote = '"', escape = '"', strict_mode = true, encoding = 'utf-8')""",
                {"path": str(self.staging / self.file), "columns": columns},
            )
        except duckdb.Error as error:
            text = str(error)
            line = re.search(r"Line: (\d+)", text)
            reason = next((row for row in text.splitlines()[1:] if row and not row.startswith("Original")), text)
            self.error(int(line.group(1)) if line else None, None, f"CSV illisible : {reason.strip()}")
            return None
        return self.con.execute("SELECT count(*) FROM t").fetchone()[0]

    def cells(self) -> None:
        rules = [rule for field in self.fields for rule in field_rules(field)]
        # Text a spreadsheet would run: the writer neutralises it (publish/sanitize.py). With no
        # control character in the file either, every text cell is its own spreadsheet-safe form.
        rules += [
            Rule(f["name"], "texte lu comme une formule par un tableur", duckdb_formula_start(quoted(f["name"])))
            for f in self.fields
            if f.get("type", "string") == "string"
        ]
        key = primary_key(self.name)
        for name in key:  # primary-key fields are required, as in frictionless
            if not self.fields_by_name()[name].get("constraints", {}).get("required"):
                rules.extend(r for r in field_rules({"name": name, "constraints": {"required": True}}))
        if not rules:
            return
        counts = self.con.execute("SELECT " + ", ".join(f"count_if({r.bad})" for r in rules) + " FROM t").fetchone()
        for rule, count in zip(rules, counts, strict=True):
            if count:
                rowid, value = self.con.execute(
                    f"SELECT rowid, {quoted(rule.field)} FROM t WHERE {rule.bad} ORDER BY rowid LIMIT 1"
                ).fetchone()
                more = f" ({count} lignes en tout)" if count > 1 else ""
                self.error(_line(rowid), rule.field, f"{rule.label} : {_shown(value)}{more}")

    def fields_by_name(self) -> dict[str, dict]:
        return {f["name"]: f for f in self.fields}

    def uniqueness(self) -> None:
        groups = [([f["name"]], "valeur unique") for f in self.fields if f.get("constraints", {}).get("unique")]
        if primary_key(self.name) and (primary_key(self.name), "valeur unique") not in groups:
            groups.append((primary_key(self.name), "clé primaire"))
        for columns, label in groups:
            cols = ", ".join(quoted(c) for c in columns)
            present = " AND ".join(f"NOT {missing(quoted(c))}" for c in columns)
            duplicate = self.con.execute(
                f"""SELECT list_sort(list(rowid))[2], {cols} FROM t WHERE {present}
                    GROUP BY {cols} HAVING count(*) > 1 ORDER BY 1 LIMIT 1"""
            ).fetchone()
            if duplicate:
                self.error(_line(duplicate[0]), ", ".join(columns), f"{label} en double : {_shown(duplicate[1:])}")

    def foreign_keys(self) -> None:
        for key in self.descriptor.get("foreignKeys", []):
            fields = [key["fields"]] if isinstance(key["fields"], str) else key["fields"]
            ref = key["reference"]
            ref_fields = [ref["fields"]] if isinstance(ref["fields"], str) else ref["fields"]
            ref_table = "t" if ref["resource"] in ("", self.name) else f"keys_{ref['resource']}"
            if ref_table != "t" and not self._exists(ref_table):
                self.error(None, ", ".join(fields), f"la ressource référencée {ref['resource']} n'est pas publiée")
                continue
            on = " AND ".join(f"r.{quoted(b)} = c.{quoted(a)}" for a, b in zip(fields, ref_fields, strict=True))
            some = " OR ".join(f"NOT {missing('c.' + quoted(a))}" for a in fields)
            cols = ", ".join(f"c.{quoted(a)}" for a in fields)
            broken = self.con.execute(
                f"""SELECT c.rowid, {cols} FROM t AS c WHERE ({some})
                    AND NOT EXISTS (SELECT 1 FROM {ref_table} AS r WHERE {on}) ORDER BY c.rowid LIMIT 1"""
            ).fetchone()
            if broken:
                self.error(
                    _line(broken[0]),
                    ", ".join(fields),
                    f"absent de {ref['resource']} ({', '.join(ref_fields)}) : {_shown(broken[1:])}",
                )

    def _exists(self, table: str) -> bool:
        return bool(
            self.con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = ?", [table]).fetchone()[0]
        )

    def keep_keys(self) -> None:
        """In the database's main schema (`t` is each connection's own): read by other connections."""
        self.con.execute(f"CREATE OR REPLACE TABLE keys_{self.name} AS SELECT * FROM t")

    @staticmethod
    def _differs(field: dict) -> str:
        """True when a CSV cell is not its Parquet value as the CSV publishes it."""
        csv, parquet = f"c.{quoted('c_' + field['name'])}", f"p.{quoted('p_' + field['name'])}"
        if field.get("type", "string") != "string":
            return f"{csv} IS DISTINCT FROM {parquet}"
        # The CSV writes text through the spreadsheet rule (publish/sanitize.py); Parquet keeps the
        # value. The CSV's text is known spreadsheet-safe (cells, header), so a cell equal to the
        # value is equal to its safe form: the rule is applied only where they differ, to a few rows.
        return f"({csv} IS DISTINCT FROM {parquet} AND {csv} IS DISTINCT FROM {duckdb_text_expression(parquet)})"

    def parquet_twin(self) -> None:
        path = self.staging / f"{self.name}.parquet"
        file = f"{self.name}.parquet"
        if not path.exists():
            self.errors.append(f"{file} : fichier absent")
            return
        actual = [(f.name, f.type) for f in pq.read_schema(path)]
        expected = [(f.name, f.type) for f in arrow_schema(self.name)]
        if actual != expected:
            self.errors.append(f"{file} : schéma physique {actual} au lieu de {expected}")
            return
        # Both files are written from the same sorted table, so row i of one is row i of the
        # other: a positional join compares them without hashing every row.
        as_text = ", ".join(f"{typed(f, _empty_as_null(f))} AS {quoted('c_' + f['name'])}" for f in self.fields)
        as_stored = ", ".join(
            (_empty_as_null(f) if f.get("type", "string") == "string" else quoted(f["name"]))
            + f" AS {quoted('p_' + f['name'])}"
            for f in self.fields
        )
        source = f"read_parquet({literal(str(path))})"
        stored = self.con.execute(f"SELECT count(*) FROM {source}").fetchone()[0]
        written = self.con.execute("SELECT count(*) FROM t").fetchone()[0]
        if stored != written:
            self.errors.append(f"{file} : {stored} lignes au lieu de {written} dans le CSV")
            return
        differs = " OR ".join(self._differs(f) for f in self.fields)
        first = self.con.execute(
            f"""SELECT c.r, c.* EXCLUDE (r) FROM (SELECT rowid AS r, {as_text} FROM t) AS c
                POSITIONAL JOIN (SELECT {as_stored} FROM {source}) AS p WHERE {differs} LIMIT 1"""
        ).fetchone()
        if first:
            rowid, *values = first
            row = dict(zip([f["name"] for f in self.fields], values, strict=True))
            key = {k: row[k] for k in primary_key(self.name)} or row
            self.errors.append(f"{file} : contenu différent de {self.file} à sa ligne {_line(rowid)} ({key})")
