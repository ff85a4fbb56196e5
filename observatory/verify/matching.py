"""Reconcile the checkable rows of one declaration exactly as the pipeline does.

Rows the pipeline would reject (a blocking field) are left out, so that the others still
get their result in the same pass; everything else goes through the pipeline's own
loader (`read_adherents_csv`) and engine (`reconcile_members`) with the same reviewed
decisions, hence the same `id_adhesion`, statuses and codes as a consolidation would give.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import duckdb
import pandas as pd
from rapidfuzz import fuzz, process

from observatory.declarations import MEMBERS_TABLE, OPSN_TABLE, read_adherents_csv, write_members
from observatory.reconcile import reconcile_members
from observatory.reconcile.normalize import normalize_name
from observatory.schemas import field_names
from observatory.sources.csvfile import LINE_NUMBER

RESULT_TABLE = "vf_adhesions"
NEAREST_LIMIT = 3
NEAREST_MIN_SCORE = 60

# Every collectivité of the referential with what a person needs to pick one.
_COLLECTIVITES = """
CREATE OR REPLACE TEMP TABLE vf_collectivites AS
SELECT 'commune' AS type_collectivite, code_insee AS code, nom, code_departement, population
FROM core_cog__communes WHERE type_commune = 'commune_actuelle'
UNION ALL SELECT 'epci', siren, nom, NULL, population FROM core_cog__epci
UNION ALL SELECT 'departement', code_departement, nom, code_departement, NULL FROM core_cog__departements
UNION ALL SELECT 'region', code_region, nom, NULL, NULL FROM core_cog__regions
"""


def _declared_frame(source: Path, raw: pd.DataFrame, rejected_lines: set[int]) -> pd.DataFrame:
    """The pipeline's typed frame for the accepted rows, with their original line numbers."""
    if not rejected_lines:
        return read_adherents_csv(source)
    declared = field_names("declaration/adherents")
    kept = raw[~raw[LINE_NUMBER].isin(rejected_lines)]
    with tempfile.TemporaryDirectory(prefix="verifier-") as folder:
        partial = Path(folder) / "adherents.csv"
        kept[declared].to_csv(partial, index=False, encoding="utf-8")
        frame = read_adherents_csv(partial)
    frame["numero_ligne"] = kept[LINE_NUMBER].to_numpy()
    return frame


def reconcile_rows(
    con: duckdb.DuckDBPyConnection,
    source: Path,
    raw: pd.DataFrame,
    rejected_lines: set[int],
    *,
    with_opsn: bool,
    mappings: Path | None,
    exclusions: Path | None,
) -> tuple[pd.DataFrame, list[str]]:
    """`adhesions` rows (schemas/adhesions.json) for the accepted rows, and the engine's warnings."""
    frame = _declared_frame(source, raw, rejected_lines)
    write_members(con, frame)
    report = reconcile_members(
        con,
        members=MEMBERS_TABLE,
        opsn=OPSN_TABLE if with_opsn else None,
        mappings=mappings,
        exclusions=exclusions,
        output=RESULT_TABLE,
    )
    return con.execute(f"SELECT * FROM {RESULT_TABLE} ORDER BY numero_ligne").df(), report.warnings


def load_collectivites(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(_COLLECTIVITES)


def _kind_of(code: str) -> str:
    return {5: "commune", 9: "epci"}.get(len(code), "departement")


class Referential:
    """Every collectivité by (type, code), and the closest official names to a name the engine
    could not place, for the person who fixes the row. Read once per verification."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self._table = con.execute("SELECT * FROM vf_collectivites").df()
        columns = {name: self._table[name].tolist() for name in self._table.columns}
        self._by_key = {
            (kind, code): {"nom": nom, "code_departement": departement, "population": population}
            for kind, code, nom, departement, population in zip(
                columns["type_collectivite"],
                columns["code"],
                columns["nom"],
                columns["code_departement"],
                columns["population"],
                strict=True,
            )
        }
        self._keys: dict[tuple, tuple[pd.DataFrame, list[str]]] = {}

    def describe(self, kind: str, code: str) -> dict:
        found = self._by_key.get((kind, code))
        found = found or {"nom": "?", "code_departement": None, "population": None}
        population, departement = found["population"], found["code_departement"]
        return {
            "type_collectivite": kind,
            "code": code,
            "nom": found["nom"],
            "code_departement": None if pd.isna(departement) else departement,
            "population": None if pd.isna(population) else int(population),
        }

    def candidates(self, candidats: str | None) -> list[dict]:
        """The `|`-separated candidate codes of an ambiguous row, described, in the engine's order."""
        return [self.describe(_kind_of(code), code) for code in (candidats or "").split("|") if code]

    def _searched(self, kind: str | None, departements: list[str]) -> tuple[pd.DataFrame, list[str]]:
        # Names are keyed per (type, départements) block on demand: most files need a few blocks.
        block = (kind, tuple(departements))
        if block not in self._keys:
            table = self._table
            if kind is not None:
                table = table[table["type_collectivite"] == kind]
            local = table[table["code_departement"].isin(departements)] if departements else table
            table = local if not local.empty else table
            self._keys[block] = (table, [normalize_name(name) for name in table["nom"]])
        return self._keys[block]

    def nearest(self, name: str, kind: str | None, departements: list[str]) -> list[dict]:
        if not name:
            return []
        table, keys = self._searched(
            kind if kind in ("commune", "epci", "departement", "region") else None, departements
        )
        found = process.extract(
            normalize_name(name), keys, scorer=fuzz.ratio, limit=NEAREST_LIMIT, score_cutoff=NEAREST_MIN_SCORE
        )
        rows = table.iloc[[index for _, _, index in found]]
        return [self.describe(kind_, code) for kind_, code in zip(rows["type_collectivite"], rows["code"], strict=True)]
