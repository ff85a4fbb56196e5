"""The figures an OPSN cares about, and the verdict on its file."""

from __future__ import annotations

import duckdb
import pandas as pd

from observatory.verify.rows import REJECTED
from observatory.verify.schema_check import Problem

CONFORME = "conforme"
A_REVOIR = "à revoir"
REFUSEE = "refusée"


def territory_of(identity: dict | None, rows: pd.DataFrame) -> tuple[list[str], str]:
    """The OPSN's départements as it declared them, else where its matched communes are."""
    declared = (identity or {}).get("departements")
    if isinstance(declared, str) and declared:
        return declared.split("|"), "départements déclarés par l'OPSN (opsn.csv de la version utilisée)"
    found = rows.loc[rows["type_collectivite"] == "commune", "departement_officiel"].dropna().unique()
    return sorted(found), "départements où se trouvent les communes rapprochées (identité de l'OPSN inconnue)"


def counts(con: duckdb.DuckDBPyConnection, rows: pd.DataFrame, territory: list[str]) -> dict:
    matched = rows[rows["statut_rapprochement"] == "rapproche"]
    communes = matched[matched["type_collectivite"] == "commune"].drop_duplicates("code_collectivite")
    in_territory = communes[communes["departement_officiel"].isin(territory)]
    total = (
        con.execute(
            "SELECT count(*) FROM core_cog__communes WHERE type_commune = 'commune_actuelle' "
            "AND list_contains(?, code_departement)",
            [territory],
        ).fetchall()[0][0]
        if territory
        else 0
    )
    outcome = rows["resultat"].value_counts()
    return {
        "lignes": len(rows),
        "rapprochees": int(outcome.get("rapprochée", 0)),
        "a_choisir": int(outcome.get("à choisir", 0)),
        "introuvables": int(outcome.get("introuvable", 0)),
        "invalides": int(outcome.get("invalide", 0)),
        "hors_referentiel": int(outcome.get("hors référentiel", 0)),
        "refusees": int(outcome.get(REJECTED, 0)),
        "lignes_avec_erreurs": int((rows["erreurs_format"] != "").sum()),
        "adherents": int(matched.drop_duplicates(["type_collectivite", "code_collectivite"]).shape[0]),
        "communes": len(communes),
        "epci": int(matched[matched["type_collectivite"] == "epci"]["code_collectivite"].nunique()),
        "population_communes": int(communes["population"].fillna(0).sum()),
        "communes_du_territoire": int(total),
        "communes_adherentes_du_territoire": len(in_territory),
        "part_communes_territoire": round(len(in_territory) / total, 4) if total else None,
        "aussi_declares_ailleurs": int((matched["aussi_declare_par"] != "").sum()),
    }


def verdict(fatal: str | None, problems: list[Problem], figures: dict, foreign_rows: int) -> tuple[str, str]:
    """(verdict, one sentence saying why), in the words the CLI's last line and the report use."""
    if fatal:
        return REFUSEE, f"fichier illisible par l'observatoire : {fatal}"
    blocking = sorted({p.line for p in problems if p.blocking})
    if blocking:
        return REFUSEE, (
            f"{len(blocking)} ligne(s) avec une erreur bloquante : l'observatoire refuserait le "
            "fichier entier tant qu'elles ne sont pas corrigées"
        )
    if not figures["lignes"]:
        return A_REVOIR, "le fichier ne déclare aucun adhérent (en-tête seul)"
    to_review = figures["a_choisir"] + figures["introuvables"] + figures["invalides"]
    warnings = figures["lignes_avec_erreurs"]
    if to_review or warnings or foreign_rows:
        parts = [
            f"{n} {label}"
            for n, label in (
                (to_review, "ligne(s) non rapprochée(s) à revoir"),
                (warnings, "ligne(s) avec un champ mal écrit"),
                (foreign_rows, "ligne(s) d'un autre OPSN"),
            )
            if n
        ]
        return A_REVOIR, "fichier accepté, mais " + ", ".join(parts)
    return CONFORME, "chaque ligne est au bon format et rapprochée d'une collectivité ou hors référentiel"
