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
from observatory.schemas import duckdb_columns, field_descriptors
from observatory.sources.csv_duckdb import drop_strings, load_csv_strings, quoted
from observatory.sources.csvfile import LINE_NUMBER, read_csv_table
from observatory.sources.fast_typing import typed_select
from observatory.sources.field_types import type_frame
from observatory.warehouse_tables import write_query, write_table

SCHEMA = "sources/cnil-organismes-avec-dpo"
TABLE = table_catalog.CNIL_DESIGNATIONS


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


def _load_with_duckdb(con: duckdb.DuckDBPyConnection, path: Path) -> int | None:
    """Row count, or None when the file has something to report: the pandas path names it."""
    strings = "_cnil_texte"
    names = load_csv_strings(con, path, strings, sep=";")
    if names is None:
        return None
    try:
        expected = [field["name"] for field in field_descriptors(SCHEMA)]
        if names != expected or not con.execute(f"SELECT count(*) FROM {strings}").fetchone()[0]:
            return None
        typed = typed_select(con, strings, SCHEMA, strict=True)
        if typed is None:
            return None
        by_name = dict(zip(expected, typed, strict=True))
        fields = kept_fields()
        # Personal contact columns are never selected: they do not reach the warehouse.
        select = ", ".join(
            [LINE_NUMBER] + [by_name[f["name"]].rsplit(" AS ", 1)[0] + f" AS {quoted(f['x-colonne'])}" for f in fields]
        )
        # schemas/entrepot/core_cnil__designations.json is generated from the same x-colonne / x-personnel.
        return write_query(con, TABLE, duckdb_columns(f"entrepot/{TABLE}"), f"SELECT {select} FROM {strings}")
    finally:
        drop_strings(con, strings)


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
