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

from observatory.declarations import MEMBERS_TABLE, OPSN_TABLE, read_adherents_csv, write_table
from observatory.reconcile import reconcile_members
from observatory.reconcile.normalize import normalize_name
from observatory.schemas import duckdb_columns, field_names
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


def reconcile_rows(con: duckdb.DuckDBPyConnection, source: Path, raw: pd.DataFrame, rejected_lines: set[int], *,
                   with_opsn: bool, mappings: Path | None, exclusions: Path | None) -> tuple[pd.DataFrame, list[str]]:
    """`adhesions` rows (schemas/adhesions.json) for the accepted rows, and the engine's warnings."""
    frame = _declared_frame(source, raw, rejected_lines)
    # Whatever the loader adds beyond the schema (reading anomalies…) goes in, as load_members does.
    known = {"id_adhesion", "numero_ligne", *field_names("declaration/adherents")}
    extra = "".join(f', "{column}" VARCHAR' for column in frame.columns if column not in known)
    write_table(con, MEMBERS_TABLE, f'"id_adhesion" VARCHAR, "numero_ligne" BIGINT, '
                f'{duckdb_columns("declaration/adherents")}{extra}', frame)
    report = reconcile_members(con, members=MEMBERS_TABLE, opsn=OPSN_TABLE if with_opsn else None,
                               mappings=mappings, exclusions=exclusions, output=RESULT_TABLE)
    return con.execute(f"SELECT * FROM {RESULT_TABLE} ORDER BY numero_ligne").df(), report.warnings


def load_collectivites(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(_COLLECTIVITES)


def _kind_of(code: str) -> str:
    return {5: "commune", 9: "epci"}.get(len(code), "departement")


def describe_codes(con: duckdb.DuckDBPyConnection, codes: list[tuple[str, str]]) -> dict[tuple[str, str], dict]:
    """(type, code) -> {nom, code_departement, population} from the referential."""
    if not codes:
        return {}
    wanted = pd.DataFrame(codes, columns=["type_collectivite", "code"]).drop_duplicates()
    con.register("vf_wanted", wanted)
    try:
        rows = con.execute("""SELECT c.* FROM vf_collectivites c
                              JOIN vf_wanted w USING (type_collectivite, code)""").df()
    finally:
        con.unregister("vf_wanted")
    return {(r.type_collectivite, r.code): {"nom": r.nom, "code_departement": r.code_departement,
                                            "population": None if pd.isna(r.population) else int(r.population)}
            for r in rows.itertuples(index=False)}


def candidate_list(con: duckdb.DuckDBPyConnection, candidats: str | None) -> list[dict]:
    """The `|`-separated candidate codes of an ambiguous row, described, in the engine's order."""
    codes = [code for code in (candidats or "").split("|") if code]
    described = describe_codes(con, [(_kind_of(code), code) for code in codes])
    return [{"type_collectivite": _kind_of(code), "code": code,
             **described.get((_kind_of(code), code), {"nom": "?", "code_departement": None, "population": None})}
            for code in codes]


class NearestNames:
    """Closest official names to a name the engine could not place, for the person who fixes the row."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self._table = con.execute("SELECT * FROM vf_collectivites").df()
        self._table["key"] = self._table["nom"].map(normalize_name)

    def find(self, name: str, kind: str | None, departements: list[str]) -> list[dict]:
        if not name:
            return []
        table = self._table
        if kind in ("commune", "epci", "departement", "region"):
            table = table[table["type_collectivite"] == kind]
        local = table[table["code_departement"].isin(departements)] if departements else table
        if not local.empty:
            table = local
        found = process.extract(normalize_name(name), table["key"].tolist(), scorer=fuzz.WRatio,
                                limit=NEAREST_LIMIT, score_cutoff=NEAREST_MIN_SCORE)
        rows = table.iloc[[index for _, _, index in found]]
        return [{"type_collectivite": r.type_collectivite, "code": r.code, "nom": r.nom,
                 "code_departement": r.code_departement,
                 "population": None if pd.isna(r.population) else int(r.population)}
                for r in rows.itertuples(index=False)]
