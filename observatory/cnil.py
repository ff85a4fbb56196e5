"""Load the CNIL file of bodies that designated a DPO, minus its personal contact columns.

The file's 26 headers, their order and which ones are personal come from its Table Schema
(schemas/sources/cnil-organismes-avec-dpo.json); a trailing empty 27th column, seen in older
copies, is dropped.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from observatory.declarations import write_table
from observatory.errors import SourceError
from observatory.schemas import duckdb_type, field_descriptors
from observatory.sources.csvfile import LINE_NUMBER, read_csv_strings
from observatory.sources.typing import type_frame

SCHEMA = "sources/cnil-organismes-avec-dpo"
TABLE = "core_cnil__designations"


def _check_header(path: Path, columns: list[str], expected: list[str]) -> None:
    trailing = [c for c in columns[len(expected) :] if c and not c.startswith("Unnamed")]
    if columns[: len(expected)] != expected or trailing:
        missing = [name for name in expected if name not in columns]
        detail = f"colonnes absentes : {', '.join(missing)}" if missing else "ordre ou noms des colonnes inattendus"
        raise SourceError(path, f"en-tête CNIL non conforme ({detail})", row=1, field=missing[0] if missing else None)


def kept_fields() -> list[dict]:
    return [field for field in field_descriptors(SCHEMA) if not field.get("x-personnel")]


def load_cnil(con: duckdb.DuckDBPyConnection, path: Path) -> int:
    frame = read_csv_strings(path, sep=";")
    expected = [field["name"] for field in field_descriptors(SCHEMA)]
    _check_header(path, [c for c in frame.columns if c != LINE_NUMBER], expected)
    typed = type_frame(path, frame[[LINE_NUMBER, *expected]], SCHEMA)
    fields = kept_fields()
    # Personal contact columns are dropped here, before anything reaches the warehouse.
    renamed = typed[[LINE_NUMBER] + [f["name"] for f in fields]].rename(
        columns={LINE_NUMBER: "numero_ligne", **{f["name"]: f["x-colonne"] for f in fields}}
    )
    columns = '"numero_ligne" BIGINT, ' + ", ".join(f'"{f["x-colonne"]}" {duckdb_type(f)}' for f in fields)
    return write_table(con, TABLE, columns, renamed)
