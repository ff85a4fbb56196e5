"""Reviewed decisions of the demonstration tree (`decisions/rapprochements.csv`, données de démonstration).

A steward settles an `ambigu` row with a line in `mappings/rapprochements.csv`. The demonstration
shows that path with a decision of its own, taken from its ground truth: it lives in the demo
tree, beside the rows it designates, and the pipeline reads it only for a tree whose manifest
says "demonstration" (`SourceTree.reviewed_mappings`), so it can never resolve a real row.
"""

from __future__ import annotations

from observatory.schemas import field_names

SCHEMA = "mappings/rapprochements"
FILE = "decisions/rapprochements.csv"
REVIEWER = "Données de démonstration (vérité terrain)"
DECISIONS = (
    {
        "siren_opsn": "130004930",
        "nom_adherent": "Salle (La)",
        "code_declare": "",
        "type_collectivite": "commune",
        "code_collectivite": "71494",
        "revu_par": REVIEWER,
        "date_revue": "2026-03-23",
        "motif": "exemple : homonyme sans département (71494, 05161, 88438) ; "
        "la vérité terrain des sources de démonstration désigne La Salle (71)",
    },
)


def decision_rows(adherents: list[dict], truth: list[dict]) -> list[dict]:
    """The decisions that designate an `ambigu` row of these adherents: all of them for seed 2026,
    perhaps none for another seed (a decision designating nothing would only raise a warning)."""
    ambiguous = {
        (row["siren_opsn"], row["nom_adherent"])
        for row, expected in zip(adherents, truth, strict=True)
        if expected["type_attendu"] == "ambigu"
    }
    return [d for d in DECISIONS if (d["siren_opsn"], d["nom_adherent"]) in ambiguous]


def columns() -> list[str]:
    return field_names(SCHEMA)
