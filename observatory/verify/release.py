"""What a published release says about the other OPSN: who they are and whom they declare.

The verifier reads the Parquet tables of one release folder (exports/<version>/), named
by `--release` or by exports/LATEST. Without a release it still checks the file; it just
cannot tell overlaps, and the report says so.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from observatory.declarations import OPSN_TABLE
from observatory.paths import DEFAULT_EXPORTS_DIR
from observatory.schemas import duckdb_columns, field_names
from observatory.warehouse_tables import write_table


@dataclass
class ReleaseView:
    """The parts of a release the verifier uses."""

    directory: Path
    version: str
    demonstration: bool
    opsn: pd.DataFrame  # published `opsn` table
    memberships: pd.DataFrame = field(default_factory=pd.DataFrame)  # matched rows of `adhesions`


def find_release(release_dir: Path | None, exports_dir: Path = DEFAULT_EXPORTS_DIR) -> Path | None:
    """`release_dir` if given (must hold adhesions.parquet), else the version named by exports/LATEST."""
    if release_dir is not None:
        release_dir = Path(release_dir)
        if not (release_dir / "adhesions.parquet").exists():
            raise FileNotFoundError(f"{release_dir} : pas de adhesions.parquet, ce n'est pas une version publiée")
        return release_dir
    latest = exports_dir / "LATEST"
    if not latest.exists():
        return None
    candidate = exports_dir / latest.read_text(encoding="utf-8").strip()
    return candidate if (candidate / "adhesions.parquet").exists() else None


def _sql_path(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def read_release(con: duckdb.DuckDBPyConnection, directory: Path) -> ReleaseView:
    package = directory / "datapackage.json"
    demonstration = (
        bool(json.loads(package.read_text(encoding="utf-8")).get("demonstration")) if package.exists() else False
    )
    opsn = con.execute(f"SELECT * FROM read_parquet({_sql_path(directory / 'opsn.parquet')})").df()
    memberships = con.execute(f"""
        SELECT siren_opsn, type_collectivite, code_collectivite, count(*) AS lignes
        FROM read_parquet({_sql_path(directory / "adhesions.parquet")})
        WHERE statut_rapprochement = 'rapproche'
        GROUP BY ALL
    """).df()
    return ReleaseView(directory, directory.name, demonstration, opsn, memberships)


def load_opsn_identity(con: duckdb.DuckDBPyConnection, view: ReleaseView | None, siren_opsn: str) -> dict | None:
    """The OPSN's published identity, also loaded as the pipeline's opsn table so that the
    engine ranks candidates of its départements first, as in a consolidation."""
    if view is None or view.opsn.empty:
        return None
    mine = view.opsn[view.opsn["siren"] == siren_opsn]
    if mine.empty:
        return None
    declared = mine[field_names("declaration/opsn")].astype(object).where(mine.notna(), None)
    write_table(con, OPSN_TABLE, duckdb_columns("declaration/opsn"), declared)
    return mine.iloc[0].to_dict()


def other_declarants(view: ReleaseView | None, siren_opsn: str) -> pd.DataFrame:
    """(type_collectivite, code_collectivite, siren_opsn, nom_opsn) declared by another OPSN."""
    columns = ["type_collectivite", "code_collectivite", "siren_opsn", "nom_opsn"]
    if view is None or view.memberships.empty:
        return pd.DataFrame(columns=columns)
    others = view.memberships[view.memberships["siren_opsn"] != siren_opsn]
    names = view.opsn[["siren", "nom"]].rename(columns={"siren": "siren_opsn", "nom": "nom_opsn"})
    return others.merge(names, on="siren_opsn", how="left")[columns].drop_duplicates()
