"""The verifier's files: per-row CSV, reviewed-decisions stub, HTML report."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from observatory.schemas import field_names
from observatory.verify import report_html
from observatory.verify.rows import describe

if TYPE_CHECKING:
    from observatory.verify.verify import VerificationResult

# Where a reviewed decision may take its `code_declare` from (schemas/mappings/rapprochements.json).
_CODE_FIELDS = ("siren_adherent", "code_insee_adherent", "code_postal", "code_departement")
STUB_MOTIF = "À CHOISIR, puis remplacer par la raison du choix. Candidats : "


def decisions_stub(result: VerificationResult) -> pd.DataFrame:
    """One line per ambiguous row; a person writes the chosen code, their name, the date and why."""
    columns = field_names("mappings/rapprochements")
    lines = []
    for row in result.rows[result.rows["statut_rapprochement"] == "ambigu"].itertuples(index=False):
        candidates = result.choices.get(row.numero_ligne, {}).get("candidats", [])
        lines.append(
            {
                "siren_opsn": row.siren_opsn,
                "nom_adherent": row.nom_adherent,
                "code_declare": next((getattr(row, name) for name in _CODE_FIELDS if getattr(row, name)), ""),
                "type_collectivite": candidates[0]["type_collectivite"] if candidates else "",
                "code_collectivite": "",
                "revu_par": "",
                "date_revue": "",
                "motif": STUB_MOTIF + " ; ".join(describe(c) for c in candidates),
            }
        )
    return pd.DataFrame(lines, columns=columns)


def write_all(result: VerificationResult) -> None:
    rows = result.rows.copy()
    if "bloquant" in rows:
        rows["bloquant"] = rows["bloquant"].map({True: "true", False: "false"})
    rows["population"] = rows["population"].astype("Int64")
    rows.to_csv(result.rows_csv, index=False, encoding="utf-8")
    decisions_stub(result).to_csv(result.stub_csv, index=False, encoding="utf-8")
    result.report.write_text(report_html.render(result), encoding="utf-8")
