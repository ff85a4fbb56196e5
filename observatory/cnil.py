"""Load the CNIL file of bodies that designated a DPO, minus its personal contact columns.

The file's 26 headers, their order and which ones are personal come from its Table Schema
(schemas/sources/cnil-organismes-avec-dpo.json); a trailing empty 27th column, seen in older
copies, is dropped.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from observatory import table_catalog
from observatory.errors import SourceError, SourceErrors
from observatory.faults import checkpoint
from observatory.schemas import duckdb_columns, field_descriptors
from observatory.sources.csv_duckdb import plan_csv, quoted
from observatory.sources.csvfile import LINE_NUMBER, read_csv_table
from observatory.sources.fast_typing import date_parse, typed_select
from observatory.sources.field_types import type_frame
from observatory.warehouse_tables import write_table

SCHEMA = "sources/cnil-organismes-avec-dpo"
TABLE = table_catalog.CNIL_DESIGNATIONS
# Where the fast path writes before it knows the file is clean, and its view of the judged texts.
_STAGING = "_cnil_chargement"
_TEXTS = "_cnil_textes"


def _check_header(label: str, columns: list[str], expected: list[str]) -> None:
    """The published order, every column named: a drifted file is refused, never guessed."""
    if len(columns) == 1 and ";" not in columns[0] and ("," in columns[0] or "\t" in columns[0]):
        raise SourceError(label, "en-tête CNIL non conforme : séparateur « ; » attendu", row=1)
    known = sum(name in expected for name in columns)
    if known < len(expected) // 2:
        raise SourceError(
            label, f"en-tête CNIL non conforme : {known} colonne(s) reconnue(s) sur {len(expected)}", row=1
        )
    problems = [
        SourceError(label, "colonne CNIL absente de l'en-tête", row=1, field=name)
        for name in expected
        if name not in columns
    ]
    problems += [
        SourceError(label, f"colonne inattendue en position {i + 1} de l'en-tête CNIL", row=1, field=name)
        for i, name in enumerate(columns)
        if name not in expected
    ]
    if not problems and columns != expected:
        position = next(i for i, (a, b) in enumerate(zip(columns, expected, strict=True)) if a != b)
        problems.append(
            SourceError(
                label,
                f"colonnes dans le désordre : « {expected[position]} » attendue en position {position + 1}",
                row=1,
                field=columns[position],
            )
        )
    if problems:
        raise SourceErrors(problems)


def kept_fields() -> list[dict]:
    return [field for field in field_descriptors(SCHEMA) if not field.get("x-personnel")]


def _judged(fields: list[dict], kept: list[dict]) -> tuple[list[dict], list[dict]]:
    """Fields whose text typing must judge (typed or constrained), and those of them the table
    does not keep as text (dates, dropped columns): their text is staged apart to be judged."""
    judged = [f for f in fields if f.get("type", "string") != "string" or f.get("constraints")]
    kept_text = {f["name"] for f in kept if f.get("type", "string") == "string"}
    return judged, [f for f in judged if f["name"] not in kept_text]


def _load_with_duckdb(con: duckdb.DuckDBPyConnection, path: Path) -> int | None:
    """Row count, or None when the file has something to report: the pandas path names it.

    DuckDB reads the file once, straight into a new warehouse table (kept columns typed, plus a
    per-row verdict of the checks and the text of the judged fields); only when every check and
    typing agrees with the Python reader does it replace the table, its helper columns dropped."""
    read = plan_csv(path, sep=";")
    fields = field_descriptors(SCHEMA)
    if read is None or read.named != [f["name"] for f in fields]:
        return None
    kept = kept_fields()
    values = []
    for field in kept:
        text = read.stripped(field["name"])
        kind = field.get("type", "string")
        value = date_parse(field, text) if kind == "date" else f"NULLIF({text}, '')" if kind == "string" else None
        if value is None:
            return None
        values.append(value)
    judged, apart = _judged(fields, kept)
    helpers = {"_ligne_ecartee": ("BOOLEAN", read.row_declined())}
    helpers |= {f"_texte_{i}": ("VARCHAR", read.stripped(f["name"])) for i, f in enumerate(apart)}
    columns = duckdb_columns(f"entrepot/{TABLE}") + "".join(f", {n} {kind}" for n, (kind, _) in helpers.items())
    con.execute(f"CREATE OR REPLACE TABLE {_STAGING} ({columns})")
    checkpoint("tables_coeur")
    try:
        # Personal contact columns are read for the checks only: they are never stored.
        con.execute(
            f"INSERT INTO {_STAGING} SELECT row_number() OVER () + 1, {', '.join(values)}, "
            f"{', '.join(sql for _, sql in helpers.values())} FROM {read.source()}"
        )
        rows, declined, misnumbered = con.execute(
            f"""SELECT count(*), coalesce(bool_or(_ligne_ecartee), false),
                       count(*) FILTER (WHERE numero_ligne <> rowid + 2) FROM {_STAGING}"""
        ).fetchone()
        if not rows or rows + 1 != read.lines or declined or misnumbered:
            return _discard(con)
        # Typing judges the fields' DISTINCT texts with the pandas code (fast_typing).
        text_of = {f["name"]: f"_texte_{i}" for i, f in enumerate(apart)}
        text_of |= {f["name"]: f"coalesce({quoted(f['x-colonne'])}, '')" for f in judged if f["name"] not in text_of}
        shown = ", ".join(f"{sql} AS {quoted(name)}" for name, sql in text_of.items())
        con.execute(f"CREATE OR REPLACE TEMP VIEW {_TEXTS} AS SELECT {shown} FROM {_STAGING}")
        if typed_select(con, _TEXTS, SCHEMA, strict=True) is None:
            return _discard(con)
        con.execute(f"DROP VIEW {_TEXTS}")
        for name in helpers:
            con.execute(f"ALTER TABLE {_STAGING} DROP COLUMN {name}")
        con.execute(f"DROP TABLE IF EXISTS {TABLE}")
        con.execute(f"ALTER TABLE {_STAGING} RENAME TO {TABLE}")
    except duckdb.Error:
        return _discard(con)
    return rows


def _discard(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"DROP VIEW IF EXISTS {_TEXTS}")
    con.execute(f"DROP TABLE IF EXISTS {_STAGING}")
    return None


def load_cnil(con: duckdb.DuckDBPyConnection, path: Path, *, origin: str | Path | None = None) -> int:
    """Every defect of the file is blocking: it decides who counts as having a DPD."""
    label = str(origin or path)
    # DuckDB reads a clean file in a fraction of the time and memory pandas takes (1 M rows).
    loaded = _load_with_duckdb(con, path)
    if loaded is not None:
        return loaded
    frame, errors = read_csv_table(path, sep=";", label=label)
    expected = [field["name"] for field in field_descriptors(SCHEMA)]
    _check_header(label, [c for c in frame.columns if c != LINE_NUMBER], expected)
    if frame.empty and not errors:
        errors.append(SourceError(label, "aucune désignation (en-tête seul) : fichier incomplet ?", row=2))
    typed = type_frame(label, frame[[LINE_NUMBER, *expected]], SCHEMA, strict=True, errors=errors)
    fields = kept_fields()
    # Personal contact columns are dropped here, before anything reaches the warehouse.
    renamed = typed[[LINE_NUMBER] + [f["name"] for f in fields]].rename(
        columns={LINE_NUMBER: "numero_ligne", **{f["name"]: f["x-colonne"] for f in fields}}
    )
    # schemas/entrepot/core_cnil__designations.json is generated from the same x-colonne / x-personnel.
    return write_table(con, TABLE, duckdb_columns(f"entrepot/{TABLE}"), renamed)
