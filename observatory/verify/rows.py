"""One result line per declared row: its format problems, its match and who else declares it."""

from __future__ import annotations

import duckdb
import pandas as pd

from observatory.schemas import field_names
from observatory.sources.csvfile import LINE_NUMBER
from observatory.verify.matching import Referential
from observatory.verify.schema_check import Problem

# Plain words for the statuses of schemas/adhesions.json, as the report and the CSV say them.
OUTCOMES = {
    "rapproche": "rapprochée",
    "ambigu": "à choisir",
    "non_trouve": "introuvable",
    "invalide": "invalide",
    "hors_referentiel": "hors référentiel",
}
REJECTED = "refusée (format)"
RESULT_COLUMNS = (
    "resultat",
    "erreurs_format",
    "bloquant",
    "statut_rapprochement",
    "methode_rapprochement",
    "confiance",
    "type_collectivite",
    "code_collectivite",
    "nom_officiel",
    "departement_officiel",
    "population",
    "candidats",
    "noms_proches",
    "aussi_declare_par",
    "anomalies",
    "id_adhesion",
)


def describe(item: dict) -> str:
    """`71494 La Salle (71, 1 234 hab.)`: enough to choose between homonyms."""
    details = [
        part
        for part in (
            item.get("code_departement"),
            f"{item['population']:,} hab.".replace(",", " ") if item.get("population") else None,
        )
        if part
    ]
    return f"{item['code']} {item['nom']}" + (f" ({', '.join(details)})" if details else "")


def _problems_by_line(problems: list[Problem]) -> dict[int, list[Problem]]:
    grouped: dict[int, list[Problem]] = {}
    for problem in problems:
        grouped.setdefault(problem.line, []).append(problem)
    return grouped


def _declarants(others: pd.DataFrame, matched: pd.DataFrame) -> dict[tuple[str, str], str]:
    """(type, code) of this file's matches -> "Name (SIREN) | …" of the other OPSN declaring it."""
    if others.empty or matched.empty:
        return {}
    mine = matched.loc[matched["statut_rapprochement"] == "rapproche", ["type_collectivite", "code_collectivite"]]
    shared = others.merge(mine.drop_duplicates(), on=["type_collectivite", "code_collectivite"])
    if shared.empty:
        return {}
    shared = shared.assign(label=shared["nom_opsn"].fillna("?") + " (" + shared["siren_opsn"] + ")")
    joined = shared.groupby(["type_collectivite", "code_collectivite"])["label"].agg(" | ".join)
    return joined.to_dict()


def build_rows(
    con: duckdb.DuckDBPyConnection,
    raw: pd.DataFrame,
    matched: pd.DataFrame,
    problems: list[Problem],
    others: pd.DataFrame,
    territory: list[str],
) -> tuple[pd.DataFrame, dict[int, dict]]:
    """(the per-row table, per line: candidates and nearest names as dicts for the report)."""
    declared = field_names("declaration/adherents")
    by_line = _problems_by_line(problems)
    results = {int(r["numero_ligne"]): r for r in matched.to_dict("records")} if not matched.empty else {}
    declared_by = _declarants(others, matched)
    referential = Referential(con)
    choices: dict[int, dict] = {}
    records = []
    for row in raw.to_dict("records"):
        line = int(row[LINE_NUMBER])
        record = {LINE_NUMBER: line, **{name: row[name] for name in declared}}
        mine = by_line.get(line, [])
        record["erreurs_format"] = " ; ".join(f"{p.field} : {p.message} → {p.fix}" for p in mine)
        record["bloquant"] = any(p.blocking for p in mine)
        if line not in results:
            record["resultat"] = REJECTED
            records.append(record)
            continue
        result = results[line]
        status = result["statut_rapprochement"]
        key = (result["type_collectivite"], result["code_collectivite"])
        official = referential.describe(*key) if status == "rapproche" else {}
        candidates = referential.candidates(result["candidats"]) if status == "ambigu" else []
        near = []
        if status == "non_trouve":
            departements = [record["code_departement"]] if record["code_departement"] else territory
            near = referential.nearest(record["nom_adherent"], record["type_adherent"] or None, departements)
        choices[line] = {"candidats": candidates, "noms_proches": near}
        record.update(
            {
                "resultat": OUTCOMES.get(status, status),
                "statut_rapprochement": status,
                "methode_rapprochement": result["methode_rapprochement"],
                "confiance": None if pd.isna(result["score"]) else float(result["score"]),
                "type_collectivite": result["type_collectivite"],
                "code_collectivite": result["code_collectivite"],
                "nom_officiel": result["nom_officiel"],
                "departement_officiel": official.get("code_departement"),
                "population": official.get("population"),
                "candidats": " | ".join(describe(c) for c in candidates),
                "noms_proches": " | ".join(describe(n) for n in near),
                "aussi_declare_par": declared_by.get(key, "") if status == "rapproche" else "",
                "anomalies": result["anomalies"],
                "id_adhesion": result["id_adhesion"],
            }
        )
        records.append(record)
    frame = pd.DataFrame.from_records(records, columns=[LINE_NUMBER, *declared, *RESULT_COLUMNS])
    return frame, choices
