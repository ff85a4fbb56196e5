"""Load the three OPSN declaration files into the warehouse, typed by their Table Schemas."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pandas as pd

from observatory.errors import SourceError, SourceErrors
from observatory.schemas import duckdb_columns, field_names
from observatory.sources.csvfile import LINE_NUMBER, read_csv_strings, require_columns
from observatory.sources.typing import type_frame

OPSN_TABLE = "core_declarations__opsn"
MEMBERS_TABLE = "core_declarations__adherents"
SERVICES_TABLE = "core_declarations__services"


def membership_id(values: list[str]) -> str:
    """Fingerprint of a declared row: stable when the file is reordered, so a reviewed
    decision keyed on it survives the next declaration."""
    payload = "\x1f".join(value.strip() for value in values)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


def _with_membership_ids(frame: pd.DataFrame, declared: list[str]) -> pd.Series:
    # Same payload as membership_id, built column-wise: itertuples cost 4× more at 40k rows.
    columns = [[value.strip() for value in frame[name].tolist()] for name in declared]
    base = pd.Series(
        [hashlib.sha256("\x1f".join(v).encode("utf-8")).hexdigest()[:16] for v in zip(*columns, strict=True)],
        index=frame.index,
        dtype=object,
    )
    # Identical declared rows share a fingerprint; number the repeats in file order.
    occurrence = base.groupby(base).cumcount() + 1
    return base.where(occurrence == 1, base + "-" + occurrence.astype(str))


def _read_strings(path: Path, schema: str) -> pd.DataFrame:
    frame = read_csv_strings(path)
    columns = field_names(schema)
    require_columns(path, frame, columns)
    return frame[[LINE_NUMBER, *columns]]


def _read(path: Path, schema: str) -> pd.DataFrame:
    return type_frame(path, _read_strings(path, schema), schema)


def read_opsn_csv(path: Path) -> pd.DataFrame:
    frame = _read(path, "declaration/opsn")
    duplicated = frame[frame["siren"].duplicated(keep="first")]
    if not duplicated.empty:
        row = duplicated.iloc[0]
        raise SourceError(path, f"SIREN {row['siren']} déclaré deux fois", row=int(row[LINE_NUMBER]), field="siren")
    return frame


def read_adherents_csv(path: Path, known_opsn: set[str] | None = None) -> pd.DataFrame:
    """Declared members with `id_adhesion` and `numero_ligne`; identification fields as declared."""
    raw = _read_strings(path, "declaration/adherents")
    declared = field_names("declaration/adherents")
    # The fingerprint is taken on the text as declared, before typing touches it.
    ids = _with_membership_ids(raw, declared)
    frame = type_frame(path, raw, "declaration/adherents")
    if known_opsn is not None:
        unknown = frame[~frame["siren_opsn"].isin(known_opsn)]
        if not unknown.empty:
            raise SourceErrors(
                [
                    SourceError(
                        path,
                        f"OPSN {siren} absent de la déclaration d'identité (opsn.csv)",
                        row=int(line),
                        field="siren_opsn",
                    )
                    for line, siren in zip(unknown[LINE_NUMBER], unknown["siren_opsn"], strict=True)
                ]
            )
    frame.insert(0, "id_adhesion", ids)
    return frame.rename(columns={LINE_NUMBER: "numero_ligne"})


def read_services_csv(path: Path, known_opsn: set[str]) -> pd.DataFrame:
    frame = _read(path, "declaration/services")
    unknown = frame[~frame["siren_opsn"].isin(known_opsn)]
    if not unknown.empty:
        row = unknown.iloc[0]
        raise SourceError(
            path, f"OPSN {row['siren_opsn']} absent de opsn.csv", row=int(row[LINE_NUMBER]), field="siren_opsn"
        )
    return frame.drop_duplicates(subset=["siren_opsn", "code_service"])


def write_table(con: duckdb.DuckDBPyConnection, table: str, columns_sql: str, frame: pd.DataFrame) -> int:
    """Create `table` with declared types, then insert: DuckDB never infers a type here.

    An empty text value becomes NULL, so that SQL downstream has one notion of "missing".
    """
    con.execute(f"CREATE OR REPLACE TABLE {table} ({columns_sql})")
    parts = [part.split('"') for part in columns_sql.split(", ")]
    select = ", ".join(
        f"NULLIF(TRIM(\"{name}\"), '')" if kind.strip() == "VARCHAR" else f'"{name}"' for _, name, kind in parts
    )
    con.register("_incoming", frame[[name for _, name, _ in parts]])
    try:
        con.execute(f"INSERT INTO {table} SELECT {select} FROM _incoming")
    finally:
        con.unregister("_incoming")
    return len(frame)


def load_opsn(con: duckdb.DuckDBPyConnection, path: Path) -> pd.DataFrame:
    frame = read_opsn_csv(path)
    write_table(con, OPSN_TABLE, duckdb_columns("declaration/opsn"), frame)
    return frame


def load_members(con: duckdb.DuckDBPyConnection, path: Path, known_opsn: set[str]) -> int:
    frame = read_adherents_csv(path, known_opsn)
    columns = f'"id_adhesion" VARCHAR, "numero_ligne" BIGINT, {duckdb_columns("declaration/adherents")}'
    return write_table(con, MEMBERS_TABLE, columns, frame)


def load_services(con: duckdb.DuckDBPyConnection, path: Path, known_opsn: set[str]) -> int:
    frame = read_services_csv(path, known_opsn)
    return write_table(con, SERVICES_TABLE, duckdb_columns("declaration/services"), frame)


def load_declarations(con: duckdb.DuckDBPyConnection, directory: Path) -> dict[str, int]:
    """Load `declarations/{opsn,adherents,services}.csv` of a source tree; returns row counts."""
    opsn = load_opsn(con, directory / "declarations" / "opsn.csv")
    known = set(opsn["siren"])
    return {
        OPSN_TABLE: len(opsn),
        MEMBERS_TABLE: load_members(con, directory / "declarations" / "adherents.csv", known),
        SERVICES_TABLE: load_services(con, directory / "declarations" / "services.csv", known),
    }
