"""What a perfect matcher should find for one adherents row (verite_terrain/adherents.csv).

A row is resolvable when it keeps a usable code (a SIREN passing Luhn, an INSEE code, even
without its leading zero, or a former INSEE code). Otherwise only the name is left, and it
is `ambigu` when several communes bear it within the département or postal code given, or,
with neither, anywhere in France: the OPSN's territory never decides, since OPSN have members
outside it. A `type_adherent` outside the vocabulary (once case and spaces are set aside)
makes the row `invalide`, whatever else it holds.

The truth also yields the demonstration's reviewed decisions (`decisions/rapprochements.csv`):
a steward settles an `ambigu` row with a line in `mappings/rapprochements.csv`; the demo shows
that path with a decision of its own, kept in its own tree beside the rows it designates and read
only for a tree whose manifest says "demonstration" (`SourceTree.reviewed_mappings`), so that it
can never resolve a real row.
"""

from __future__ import annotations

from tools.demo_sources.members import Member
from tools.demo_sources.referential import Referential, name_key

DECISIONS_FILE = "decisions/rapprochements.csv"
DECISIONS_SCHEMA = "mappings/rapprochements"
DECISIONS = (
    {
        "siren_opsn": "130004930",
        "nom_adherent": "Salle (La)",
        "code_declare": "",
        "type_collectivite": "commune",
        "code_collectivite": "71494",
        "revu_par": "Données de démonstration (vérité terrain)",
        "date_revue": "2026-03-23",
        "motif": "exemple : homonyme sans département (71494, 05161, 88438) ; "
        "la vérité terrain des sources de démonstration désigne La Salle (71)",
    },
)
TRUTH_FIELDS = ("siren_opsn", "numero_ligne", "type_attendu", "code_attendu", "desordres")
EXPECTED_TYPES = (
    "commune",
    "epci",
    "departement",
    "region",
    "hors_referentiel",
    "invalide",
    "non_trouve",
    "ambigu",
)


VOCABULARY = ("commune", "epci", "departement", "region", "syndicat", "autre")


def expected_for_type(type_adherent: str, expected: tuple[str, str]) -> tuple[str, str]:
    """The issue's rule: a type outside the vocabulary is `invalide`, never guessed."""
    return expected if type_adherent.strip().lower() in VOCABULARY else ("invalide", "")


def expected_commune(ref: Referential, code: str, intended: str, kinds: list[str], row: dict) -> tuple[str, str]:
    """A perfect matcher finds the commune unless only an ambiguous name is left."""
    if row["siren_adherent"] and "siren_cle_invalide" not in kinds:
        return "commune", code
    if row["code_insee_adherent"] and "code_postal_pour_insee" not in kinds:
        return "commune", code
    key = name_key(intended)
    candidates = set(ref.name_index.get(key, []))
    if "ancien_nom" in kinds:
        candidates |= ref.old_name_index.get(key, set())
    communes = [ref.by_code[c] for c in sorted(candidates) if c in ref.by_code]
    postal = row["code_postal"] or (row["code_insee_adherent"] if "code_postal_pour_insee" in kinds else "")
    if row["code_departement"]:
        communes = [c for c in communes if c.dept == row["code_departement"]]
    elif postal:
        communes = [c for c in communes if postal in c.postal_codes]
    return ("ambigu", "") if len(communes) > 1 else ("commune", code)


def expected_epci(epci_names: dict, member: Member, kinds: list[str], row: dict) -> tuple[str, str]:
    if row["siren_adherent"] and "siren_cle_invalide" not in kinds:
        return "epci", member.code
    same_name = epci_names.get(name_key(member.nom), [])
    if row["code_departement"]:
        same_name = [e for e in same_name if e.dept == row["code_departement"]]
    return ("ambigu", "") if len(same_name) > 1 else ("epci", member.code)


def decision_rows(adherents: list[dict], truth: list[dict]) -> list[dict]:
    """The decisions that designate an `ambigu` row of these adherents: all of them for seed 2026,
    perhaps none for another seed (a decision designating nothing would only raise a warning)."""
    ambiguous = {
        (row["siren_opsn"], row["nom_adherent"])
        for row, expected in zip(adherents, truth, strict=True)
        if expected["type_attendu"] == "ambigu"
    }
    return [d for d in DECISIONS if (d["siren_opsn"], d["nom_adherent"]) in ambiguous]
