"""Consolidate the OPSN declarations found on data.gouv.fr into the layout's three files.

Each resource is read with the loaders local mode uses (observatory/declarations.py). One
that fails is left out whole, each of its defects listed (dataset, resource, OPSN, row,
field, reason), and the other OPSN go on: one producer's mistake never hides the others.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from observatory import table_catalog
from observatory.declarations import read_adherents_csv, read_opsn_csv, read_services_csv
from observatory.errors import SourceError, SourceErrors
from observatory.schemas import duckdb_columns, field_names
from observatory.sources.csvfile import LINE_NUMBER, read_csv_strings, require_columns
from observatory.warehouse_tables import write_table

# kind of declaration resource -> its Table Schema, in the order they must be read
# (members and services name an OPSN that an identity file must declare).
KINDS = {"opsn": "declaration/opsn", "adherents": "declaration/adherents", "services": "declaration/services"}
EXCLUDED_COLUMNS = field_names("declarations_exclues")


@dataclass(frozen=True)
class DeclarationResource:
    kind: str
    dataset_id: str
    resource_id: str
    path: Path
    organisation_siren: str | None = None  # from the publishing organisation's business_number_id


@dataclass
class Consolidation:
    frames: dict[str, list[pd.DataFrame]] = field(default_factory=lambda: {kind: [] for kind in KINDS})
    excluded: list[dict] = field(default_factory=list)
    flags: list[dict] = field(default_factory=list)
    kept: list[DeclarationResource] = field(default_factory=list)

    def table(self, kind: str) -> pd.DataFrame:
        columns = field_names(KINDS[kind])
        frames = self.frames[kind]
        return pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)


def _defects(error: Exception) -> list[SourceError]:
    if isinstance(error, SourceErrors):
        return error.errors
    if isinstance(error, SourceError):
        return [error]
    return [SourceError("", f"illisible : {error}")]


def _row_opsn(raw: pd.DataFrame | None, line: int | None, column: str) -> str | None:
    if raw is None or line is None or column not in raw.columns:
        return None
    match = raw.loc[raw[LINE_NUMBER] == line, column]
    return match.iloc[0] or None if not match.empty else None


def _exclude(result: Consolidation, resource: DeclarationResource, error: Exception, opsn: str | None) -> None:
    try:
        raw = read_csv_strings(resource.path)
    except SourceError:
        raw = None
    column = "siren" if resource.kind == "opsn" else "siren_opsn"
    for defect in _defects(error):
        result.excluded.append(
            {
                "jeu_de_donnees": resource.dataset_id,
                "ressource": resource.resource_id,
                "siren_opsn": _row_opsn(raw, defect.row, column) or opsn or resource.organisation_siren,
                "ligne": defect.row,
                "champ": defect.field,
                "motif": defect.reason,
            }
        )


def _declared(path: Path, schema: str) -> pd.DataFrame:
    """The declared text of a valid resource, schema columns only, for the consolidated file."""
    return read_csv_strings(path)[field_names(schema)]


def consolidate(resources: list[DeclarationResource]) -> Consolidation:
    result = Consolidation()
    ordered = sorted(resources, key=lambda r: (list(KINDS).index(r.kind), r.dataset_id, r.resource_id))
    declared_by: dict[str, str] = {}  # OPSN SIREN -> dataset whose identity file declares it
    dataset_opsn: dict[str, str] = {}
    for resource in ordered:
        opsn = dataset_opsn.get(resource.dataset_id)
        try:
            if resource.kind == "opsn":
                frame = read_opsn_csv(resource.path)
                for line, siren in zip(frame[LINE_NUMBER], frame["siren"], strict=True):
                    if siren in declared_by and declared_by[siren] != resource.dataset_id:
                        raise SourceError(
                            resource.path,
                            f"OPSN {siren} déjà déclaré par le jeu {declared_by[siren]}",
                            row=int(line),
                            field="siren",
                        )
                for siren in frame["siren"]:
                    declared_by[siren] = resource.dataset_id
                dataset_opsn[resource.dataset_id] = "|".join(frame["siren"])
                _flag_organisation(result, resource, list(frame["siren"]))
            elif resource.kind == "adherents":
                read_adherents_csv(resource.path, set(declared_by))
            else:
                read_services_csv(resource.path, set(declared_by))
        except (SourceError, SourceErrors, ValueError) as error:
            _exclude(result, resource, error, opsn)
            continue
        result.frames[resource.kind].append(_declared(resource.path, KINDS[resource.kind]))
        result.kept.append(resource)
    return result


def _flag_organisation(result: Consolidation, resource: DeclarationResource, sirens: list[str]) -> None:
    """A dataset published by another organisation than the OPSN it declares is kept, but said."""
    if resource.organisation_siren and resource.organisation_siren not in sirens:
        result.flags.append(
            {
                "jeu_de_donnees": resource.dataset_id,
                "ressource": resource.resource_id,
                "siren_opsn": "|".join(sirens),
                "siren_organisation": resource.organisation_siren,
                "alerte": "l'organisation qui publie le jeu n'est pas l'OPSN déclaré (conservé, à vérifier)",
            }
        )


def write_consolidation(result: Consolidation, directory: Path) -> None:
    """declarations/{opsn,adherents,services,exclues}.csv under `directory`."""
    target = directory / "declarations"
    target.mkdir(parents=True, exist_ok=True)
    for kind in KINDS:
        result.table(kind).to_csv(target / f"{kind}.csv", index=False, encoding="utf-8")
    excluded = pd.DataFrame(result.excluded, columns=EXCLUDED_COLUMNS)
    excluded["ligne"] = excluded["ligne"].astype("Int64")
    excluded.to_csv(target / "exclues.csv", index=False, encoding="utf-8")


EXCLUDED_TABLE = table_catalog.EXCLUDED_DECLARATIONS


def load_excluded(con, path: Path) -> int:
    """declarations/exclues.csv (header only outside live mode) into the warehouse."""
    frame = read_csv_strings(path)
    require_columns(path, frame, EXCLUDED_COLUMNS)
    frame = frame[EXCLUDED_COLUMNS].copy()
    frame["ligne"] = pd.to_numeric(frame["ligne"], errors="coerce").astype("Int64")
    return write_table(con, EXCLUDED_TABLE, duckdb_columns("declarations_exclues"), frame)
