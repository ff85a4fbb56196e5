"""`historique_indicateurs`: every indicator of every version, carried from release to release.

Each release holds its predecessor's history plus its own indicators, so the newest release
alone gives the whole series (a predecessor published before this table existed contributes
its own `indicateurs`).
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

TABLE = "publish__historique_indicateurs"
_COLUMNS = "code_indicateur, niveau, code_territoire, libelle_territoire, modalite, valeur, unite"


def previous_date(previous_dir: Path) -> str | None:
    descriptor = json.loads((previous_dir / "datapackage.json").read_text(encoding="utf-8"))
    return descriptor.get("created")


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def build_history(
    con: duckdb.DuckDBPyConnection,
    *,
    version: str,
    data_date: str,
    indicators_table: str,
    previous_dir: Path | None,
) -> str:
    """Creates the temporary table `TABLE` on `con` and returns its name."""
    parts = [
        f"SELECT {_literal(version)} AS version, DATE {_literal(data_date)} AS date_donnees, {_COLUMNS} "
        f"FROM {indicators_table}"
    ]
    if previous_dir is not None:
        history = previous_dir / "historique_indicateurs.parquet"
        indicators = previous_dir / "indicateurs.parquet"
        if history.is_file():
            parts.append(
                f"SELECT version, CAST(date_donnees AS DATE), {_COLUMNS} FROM read_parquet({_literal(str(history))}) "
                f"WHERE version <> {_literal(version)}"
            )
        elif indicators.is_file():
            date = previous_date(previous_dir) or "1970-01-01"
            parts.append(
                f"SELECT {_literal(previous_dir.name)}, DATE {_literal(date[:10])}, {_COLUMNS} "
                f"FROM read_parquet({_literal(str(indicators))})"
            )
    con.execute(f"CREATE OR REPLACE TEMP TABLE {TABLE} AS " + " UNION ALL ".join(parts))
    return TABLE
