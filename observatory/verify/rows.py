"""One result line per declared row: its format problems, its match and who else declares it."""

from __future__ import annotations

import duckdb
import pandas as pd

from observatory.schemas import field_names
from observatory.sources.csvfile import LINE_NUMBER
from observatory.verify.matching import NearestNames, candidate_list, describe_codes
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
RESULT_COLUMNS = ("resultat", "erreurs_format", "bloquant", "statut_rapprochement", "methode_rapprochement",
                  "confiance", "type_collectivite", "code_collectivite", "nom_officiel", "departement_officiel",
                  "population", "candidats", "noms_proches", "aussi_declare_par", "anomalies", "id_adhesion")


def describe(item: dict) -> str:
    """`71494 La Salle (71, 1 234 hab.)`: enough to choose between homonyms."""
    details = [part for part in (item.get("code_departement"),
                                 f"{item['population']:,} hab.".replace(",", " ") if item.get("population") else None)
               if part]
    return f"{item['code']} {item['nom']}" + (f" ({', '.join(details)})" if details else "")


def _problems_by_line(problems: list[Problem]) -> dict[int, list[Problem]]:
    grouped: dict[int, list[Problem]] = {}
    for problem in problems:
        grouped.setdefault(problem.line, []).append(problem)
    return grouped


def build_rows(con: duckdb.DuckDBPyConnection, raw: pd.DataFrame, matched: pd.DataFrame, problems: list[Problem],
               others: pd.DataFrame, territory: list[str]) -> tuple[pd.DataFrame, dict[int, dict]]:
    """(the per-row table, per line: candidates and nearest names as dicts for the report)."""
    declared = field_names("declaration/adherents")
    by_line = _problems_by_line(problems)
    results = matched.set_index("numero_ligne") if not matched.empty else pd.DataFrame()
    officials = describe_codes(con, [(r.type_collectivite, r.code_collectivite)
                                     for r in matched.itertuples() if r.statut_rapprochement == "rapproche"])
    declared_by = {}
    for key, group in others.groupby(["type_collectivite", "code_collectivite"]):
        declared_by[key] = " | ".join(f"{n if isinstance(n, str) else '?'} ({s})"
                                      for s, n in zip(group["siren_opsn"], group["nom_opsn"], strict=True))
    nearest = NearestNames(con)
    choices: dict[int, dict] = {}
    records = []
    for row in raw.itertuples(index=False):
        line = int(getattr(row, LINE_NUMBER))
        record = {LINE_NUMBER: line, **{name: getattr(row, name) for name in declared}}
        mine = by_line.get(line, [])
        record["erreurs_format"] = " ; ".join(f"{p.field} : {p.message} → {p.fix}" for p in mine)
        record["bloquant"] = any(p.blocking for p in mine)
        if line not in results.index:
            record["resultat"] = REJECTED
            records.append(record)
            continue
        result = results.loc[line]
        status = result["statut_rapprochement"]
        key = (result["type_collectivite"], result["code_collectivite"])
        official = officials.get(key, {})
        candidates = candidate_list(con, result["candidats"]) if status == "ambigu" else []
        near = []
        if status == "non_trouve":
            departements = [record["code_departement"]] if record["code_departement"] else territory
            kind = record["type_adherent"] if record["type_adherent"] in ("commune", "epci") else None
            near = nearest.find(record["nom_adherent"], kind, departements)
        choices[line] = {"candidats": candidates, "noms_proches": near}
        record.update({
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
        })
        records.append(record)
    frame = pd.DataFrame.from_records(records, columns=[LINE_NUMBER, *declared, *RESULT_COLUMNS])
    return frame, choices
