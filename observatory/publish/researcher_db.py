"""The researchers' DuckDB file: the published tables, typed, keyed, commented, with views.

It is built beside the CSV/Parquet in the release's staging folder and moves with it, so a
researcher holding a release open never blocks a refresh (the next release is a new file).
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from observatory.publish.catalog import DEMO_LABEL
from observatory.schemas import duckdb_columns, primary_key, read_descriptor
from observatory.warehouse_memory import limit_memory, threads_for_files

FILE_NAME = "observatoire.duckdb"

_STRATA = """CASE WHEN population < 500 THEN '0-499' WHEN population < 2000 THEN '500-1999'
    WHEN population < 3500 THEN '2000-3499' WHEN population < 10000 THEN '3500-9999' ELSE '10000+' END"""

# name -> (comment, SQL). Each answers a question researchers ask of every release.
VIEWS: dict[str, tuple[str, str]] = {
    "couverture_par_departement": (
        "Par département : communes, communes adhérentes directement, communes couvertes (directement, "
        "par leur EPCI, leur département ou leur région) et population couverte.",
        """SELECT code_departement, count(*) AS nb_communes,
               count(*) FILTER (WHERE nb_opsn > 0) AS nb_communes_adherentes,
               count(*) FILTER (WHERE couverture <> 'aucune') AS nb_communes_couvertes,
               round(100.0 * count(*) FILTER (WHERE couverture <> 'aucune') / count(*), 2) AS part_communes_couvertes,
               sum(population) AS population,
               coalesce(sum(population) FILTER (WHERE couverture <> 'aucune'), 0) AS population_couverte
           FROM collectivites WHERE type_collectivite = 'commune'
           GROUP BY code_departement ORDER BY code_departement""",
    ),
    "dpd_par_strate": (
        "Communes par strate de population et selon qu'elles adhèrent directement à un OPSN : "
        "nombre, communes ayant désigné un DPD, taux en pourcentage.",
        f"""SELECT {_STRATA} AS strate_population, nb_opsn > 0 AS adherente,
               count(*) AS nb_communes, count(*) FILTER (WHERE a_designe_dpd) AS nb_communes_dpd,
               round(100.0 * count(*) FILTER (WHERE a_designe_dpd) / count(*), 4) AS part_communes_dpd
           FROM collectivites WHERE type_collectivite = 'commune' AND population IS NOT NULL
           GROUP BY ALL ORDER BY min(population), adherente""",
    ),
    "chevauchement_opsn": (
        "Paires d'OPSN déclarant les mêmes collectivités (rapprochées) : nombre d'adhérents communs.",
        """WITH members AS (
               SELECT DISTINCT siren_opsn, type_collectivite, code_collectivite FROM adhesions
               WHERE statut_rapprochement = 'rapproche')
           SELECT a.siren_opsn AS siren_opsn_a, oa.nom AS nom_opsn_a, b.siren_opsn AS siren_opsn_b,
                  ob.nom AS nom_opsn_b, count(*) AS nb_adherents_communs
           FROM members a JOIN members b USING (type_collectivite, code_collectivite)
           JOIN opsn oa ON oa.siren = a.siren_opsn JOIN opsn ob ON ob.siren = b.siren_opsn
           WHERE a.siren_opsn < b.siren_opsn
           GROUP BY ALL ORDER BY nb_adherents_communs DESC, siren_opsn_a, siren_opsn_b""",
    ),
}


def _text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def repr_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class ResearcherDatabase:
    """Filled table by table as the release writes its Parquet files (`add`), then given its
    metadata and views (`finish`): one transaction per table, so each is written while the
    next is being produced, and COMMENTs never cost a commit each."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.tables: list[str] = []
        self._con: duckdb.DuckDBPyConnection | None = None

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        """Opened by the first call that needs it, on the thread that builds the file."""
        if self._con is None:
            self._con = duckdb.connect(str(self.directory / FILE_NAME))
            limit_memory(self._con)  # a second database in the run's process: bounded like the warehouse
        return self._con

    def add(self, table: str) -> None:
        con, parquet = self.con, self.directory / f"{table}.parquet"
        threads_for_files(con, [parquet])
        key = primary_key(table)
        constraint = f", PRIMARY KEY ({', '.join(repr_ident(k) for k in key)})" if key else ""
        descriptor = read_descriptor(table)
        con.execute("BEGIN TRANSACTION")
        con.execute(f"CREATE TABLE {table} ({duckdb_columns(table)}{constraint})")
        con.execute(f"INSERT INTO {table} SELECT * FROM read_parquet({_text(str(parquet))})")
        con.execute(f"COMMENT ON TABLE {table} IS {_text(descriptor['title'] + ' — ' + descriptor['description'])}")
        for field in descriptor["fields"]:
            con.execute(f'COMMENT ON COLUMN {table}."{field["name"]}" IS {_text(field.get("description", ""))}')
        con.execute("COMMIT")
        self.tables.append(table)

    def finish(self, metadata: dict) -> Path:
        """`metadata`: version, empreinte, date_donnees, version_precedente, demonstration, sources."""
        con = self.con
        con.execute("BEGIN TRANSACTION")
        con.execute("CREATE TABLE metadonnees (cle VARCHAR PRIMARY KEY, valeur VARCHAR)")
        rows = {
            **{
                k: v if isinstance(v, str) or v is None else json.dumps(v, ensure_ascii=False)
                for k, v in metadata.items()
            },
            "avertissement": DEMO_LABEL if metadata.get("demonstration") else None,
        }
        con.executemany("INSERT INTO metadonnees VALUES (?, ?)", sorted(rows.items()))
        con.execute(
            "COMMENT ON TABLE metadonnees IS 'Identité de la publication : version, empreinte, date des données, "
            "version précédente, drapeau de démonstration (demonstration = true : données de démonstration), sources.'"
        )
        if all(t in self.tables for t in ("collectivites", "adhesions", "opsn")):
            for name, (comment, sql) in VIEWS.items():
                con.execute(f"CREATE VIEW {name} AS {sql}")
                con.execute(f"COMMENT ON VIEW {name} IS {_text(comment)}")
        con.execute("COMMIT")
        con.execute("CHECKPOINT")
        self.close()
        return self.directory / FILE_NAME

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None
