"""Load the three OPSN declaration files into the warehouse, typed by their Table Schemas."""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

from observatory import table_catalog
from observatory.errors import SourceError
from observatory.publish.sanitize import personal_data, without_personal_data
from observatory.schemas import duckdb_columns, field_names
from observatory.sources.csvfile import LINE_NUMBER, read_csv_table, require_columns
from observatory.sources.field_types import implausible_date, type_frame
from observatory.warehouse_tables import write_table

OPSN_TABLE = table_catalog.DECLARED_OPSN
MEMBERS_TABLE = table_catalog.DECLARED_MEMBERS
SERVICES_TABLE = table_catalog.DECLARED_SERVICES


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


def siren_valid(value: str) -> bool:
    """Nine digits whose Luhn sum is a multiple of 10 (INSEE's check digit)."""
    if not (len(value) == 9 and value.isdigit()):
        return False
    digits = [int(c) * (2 if i % 2 else 1) for i, c in enumerate(value)]
    return sum(d // 10 + d % 10 for d in digits) % 10 == 0


def _read_strings(path: Path, schema: str, label: str) -> tuple[pd.DataFrame, list[SourceError]]:
    frame, errors = read_csv_table(path, label=label)
    columns = field_names(schema)
    require_columns(label, frame, columns)
    return frame[[LINE_NUMBER, *columns]], errors


def _label(path: Path, origin: str | Path | None) -> str:
    return str(origin or path)


def read_opsn_csv(path: Path, *, origin: str | Path | None = None) -> pd.DataFrame:
    """The OPSN identity file; every defect is blocking (it names every OPSN of the run)."""
    label = _label(path, origin)
    frame, errors = _read_strings(path, "declaration/opsn", label)
    if frame.empty and not errors:
        errors.append(SourceError(label, "aucun OPSN déclaré (en-tête seul)", row=2))
    for line, siren in zip(frame[LINE_NUMBER], frame["siren"], strict=True):
        if len(siren) == 9 and siren.isdigit() and not siren_valid(siren):
            errors.append(SourceError(label, f"SIREN {siren} : clé de contrôle fausse", row=int(line), field="siren"))
    first_line: dict[str, int] = {}
    for line, siren in zip(frame[LINE_NUMBER], frame["siren"], strict=True):
        if siren in first_line:
            errors.append(
                SourceError(
                    label, f"SIREN {siren} déjà déclaré ligne {first_line[siren]}", row=int(line), field="siren"
                )
            )
        elif siren:
            first_line[siren] = int(line)
    for name in ("nom", "site_web"):
        for line, value in zip(frame[LINE_NUMBER], frame[name], strict=True):
            if found := personal_data(value):
                errors.append(
                    SourceError(label, f"donnée personnelle à retirer : {found[0]}", row=int(line), field=name)
                )
    return type_frame(label, frame, "declaration/opsn", strict=True, errors=errors)


# Anomalies of reading, recorded on the declared row and published with the reconciliation's.
DATE_REFORMATTED = "date_adhesion_reformatee"
DATE_UNREADABLE = "date_adhesion_illisible"
DATE_IMPLAUSIBLE = "date_adhesion_invraisemblable"
PERSONAL_DATA_REMOVED = "donnee_personnelle_retiree"
# Described, for stewards, with the reconciliation's anomalies (reconcile/vocabulary.py).
READING_ANOMALIES = (DATE_REFORMATTED, DATE_UNREADABLE, DATE_IMPLAUSIBLE, PERSONAL_DATA_REMOVED)


def _repair_date(value: str) -> tuple[str, str | None]:
    """(ISO date or '', anomaly or None) for a declared membership date."""
    if not value:
        return "", None
    for fmt, anomaly in (("%Y-%m-%d", None), ("%d/%m/%Y", DATE_REFORMATTED)):
        try:
            parsed = datetime.strptime(value, fmt).date()
        except ValueError:
            continue
        if implausible_date(parsed):
            return "", DATE_IMPLAUSIBLE
        return parsed.isoformat(), anomaly
    return "", DATE_UNREADABLE


def _repair_members(frame: pd.DataFrame) -> pd.DataFrame:
    """Dates read in every form seen in the wild; personal contacts out of names; each repair an anomaly."""
    repaired = frame.copy()
    anomalies: list[list[str]] = [[] for _ in range(len(frame))]
    dates = []
    for i, value in enumerate(frame["date_adhesion"]):
        iso, anomaly = _repair_date(value)
        dates.append(iso)
        if anomaly:
            anomalies[i].append(anomaly)
    repaired["date_adhesion"] = dates
    names = []
    for i, value in enumerate(frame["nom_adherent"]):
        if personal_data(value):
            value = without_personal_data(value)
            anomalies[i].append(PERSONAL_DATA_REMOVED)
        names.append(value)
    repaired["nom_adherent"] = names
    repaired[READING_ANOMALIES_COLUMN] = ["|".join(a) if a else "" for a in anomalies]
    return repaired


READING_ANOMALIES_COLUMN = "anomalies_lecture"


def read_adherents_csv(
    path: Path, known_opsn: set[str] | None = None, *, origin: str | Path | None = None
) -> pd.DataFrame:
    """Declared members with `id_adhesion`, `numero_ligne` and `anomalies_lecture`.

    Identification fields stay as declared (the reconciliation records their defects); dates
    and names are repaired on the record; a row that names no valid, declared OPSN is an error."""
    label = _label(path, origin)
    raw, errors = _read_strings(path, "declaration/adherents", label)
    declared = field_names("declaration/adherents")
    # The fingerprint is taken on the text as declared, before anything touches it.
    ids = _with_membership_ids(raw, declared)
    if raw.empty and not errors:
        errors.append(SourceError(label, "aucun adhérent déclaré (en-tête seul)", row=2))
    for line, siren in zip(raw[LINE_NUMBER], raw["siren_opsn"], strict=True):
        if not (len(siren) == 9 and siren.isdigit()):
            continue  # the schema's pattern reports it
        if known_opsn is not None and siren not in known_opsn:
            message = f"OPSN {siren} absent de la déclaration d'identité (opsn.csv)"
        elif not siren_valid(siren):
            message = f"SIREN d'OPSN {siren} : clé de contrôle fausse"
        else:
            continue
        errors.append(SourceError(label, message, row=int(line), field="siren_opsn"))
    frame = type_frame(label, _repair_members(raw), "declaration/adherents", errors=errors)
    frame.insert(0, "id_adhesion", ids)
    return frame.rename(columns={LINE_NUMBER: "numero_ligne"})


def read_services_csv(path: Path, known_opsn: set[str], *, origin: str | Path | None = None) -> pd.DataFrame:
    label = _label(path, origin)
    frame, errors = _read_strings(path, "declaration/services", label)
    errors += [
        SourceError(label, f"OPSN {siren} absent de opsn.csv", row=int(line), field="siren_opsn")
        for line, siren in zip(frame[LINE_NUMBER], frame["siren_opsn"], strict=True)
        if siren and siren not in known_opsn
    ]
    frame = type_frame(label, frame, "declaration/services", strict=True, errors=errors)
    return frame.drop_duplicates(subset=["siren_opsn", "code_service"])


def load_opsn(con: duckdb.DuckDBPyConnection, path: Path, *, origin: str | Path | None = None) -> pd.DataFrame:
    frame = read_opsn_csv(path, origin=origin)
    write_table(con, OPSN_TABLE, duckdb_columns("declaration/opsn"), frame)
    return frame


def write_members(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame) -> int:
    """The members table with its warehouse columns (reading repairs included), whoever read the rows:
    the pipeline, `observatory reconcile` and the verifier give the engine the same input."""
    return write_table(con, MEMBERS_TABLE, duckdb_columns(f"entrepot/{MEMBERS_TABLE}"), frame)


def load_members(
    con: duckdb.DuckDBPyConnection, path: Path, known_opsn: set[str], *, origin: str | Path | None = None
) -> int:
    columns = duckdb_columns(f"entrepot/{MEMBERS_TABLE}")
    # A clean file goes through DuckDB (no pandas frame of 400,000 rows); it imports this module.
    from observatory.declarations_duckdb import load_members_with_duckdb

    loaded = load_members_with_duckdb(con, path, known_opsn, columns)
    if loaded is not None:
        return loaded
    return write_members(con, read_adherents_csv(path, known_opsn, origin=origin))


def load_services(
    con: duckdb.DuckDBPyConnection, path: Path, known_opsn: set[str], *, origin: str | Path | None = None
) -> int:
    frame = read_services_csv(path, known_opsn, origin=origin)
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
