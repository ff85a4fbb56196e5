"""Published values of the reconciliation: statuses, methods and anomalies, with what they mean.

The descriptions are French because stewards and OPSN read them (mappings/README.md and
the documentation quote them); the order of ANOMALIES is the order they are listed in a row.
"""

from __future__ import annotations

# Declared `type_adherent` vocabulary (schemas/declaration/adherents.json).
COLLECTIVITE_TYPES = ("commune", "epci", "departement", "region")
OUTSIDE_TYPES = ("syndicat", "autre")
DECLARED_TYPES = COLLECTIVITE_TYPES + OUTSIDE_TYPES

MATCHED = "rapproche"
AMBIGUOUS = "ambigu"
NOT_FOUND = "non_trouve"
INVALID = "invalide"
OUTSIDE = "hors_referentiel"

# methode_rapprochement, in the order the paths are tried (engine.PATHS).
METHODS = {
    "decision_revue": "décision revue par une personne (mappings/rapprochements.csv)",
    "exclusion": "ligne écartée par une personne (mappings/exclusions.csv)",
    "type_adherent": "type déclaré hors vocabulaire (invalide) ou syndicat/autre (hors référentiel)",
    "rien_a_rapprocher": "ni nom ni code utilisable",
    "siren": "SIREN (clé de Luhn valide) d'une commune ou d'un EPCI",
    "code_insee": "code INSEE, actuel ou ancien (commune déléguée, associée, fusionnée), ou d'arrondissement",
    "code": "code de département ou de région",
    "nom_departement": "nom exact dans le département déclaré",
    "code_postal_nom": "nom exact parmi les communes du code postal déclaré",
    "nom_seul": "nom exact porté par une seule collectivité, sans département ni code postal",
    "ancien_nom": "ancien nom (commune déléguée, associée ou fusionnée) menant à une seule commune actuelle",
    "nom_epci": "nom d'EPCI (sigle CC/CA/CU écrit en toutes lettres ou non)",
    "nom": "nom de département ou de région",
    "nom_sans_mots_outils": "nom exact une fois retirés articles et petits mots (le, la, de, et, sur…), "
                            "dans le département ou le code postal déclaré",
    "nom_partiel": "nom tronqué, allongé ou incomplet : début ou mots du nom d'une seule commune "
                   "du code postal déclaré (ou du département, pour un nom coupé ou des mots manquants)",
    "nom_flou": "nom approché (similarité au-dessus du seuil, nette avance sur le suivant) dans le département",
    "nom_epci_flou": "nom d'EPCI approché",
    "conflit": "codes et nom désignent des collectivités différentes",
}

ANOMALIES = {
    "type_adherent_absent": "type d'adhérent non renseigné : toutes les familles sont essayées",
    "type_adherent_non_normalise": "type d'adhérent hors vocabulaire à la casse ou aux accents près (« Commune »)",
    "type_adherent_inconnu": "type d'adhérent hors vocabulaire (« mairie », « CC »…)",
    "type_adherent_incoherent": "la collectivité trouvée n'est pas du type déclaré",
    "siret_pour_siren": "SIRET (14 chiffres) déclaré à la place du SIREN : ses 9 premiers chiffres sont utilisés",
    "siren_invalide": "SIREN dont la clé de Luhn est fausse (ou qui n'a pas 9 chiffres) : ignoré",
    "siren_inconnu": "SIREN valide qui n'est ni celui d'une commune ni celui d'un EPCI",
    "siren_non_verifie": "SIREN d'un département ou d'une région : le COG n'en donne pas, gardé tel que déclaré",
    "code_insee_sans_zero": "code INSEE sans son zéro initial (1001 pour 01001)",
    "code_insee_invalide": "code INSEE illisible",
    "code_insee_inconnu": "code INSEE qui n'est celui d'aucune commune, actuelle ou ancienne",
    "code_postal_pour_insee": "code postal déclaré à la place du code INSEE",
    "ancien_code": "code d'une commune déléguée, associée ou fusionnée : rattaché à la commune actuelle",
    "ancien_nom": "ancien nom d'une commune déléguée, associée ou fusionnée : rattaché à la commune actuelle",
    "arrondissement_municipal": "arrondissement municipal de Paris, Lyon ou Marseille : rattaché à la commune",
    "nom_inexact": "nom approché (faute de frappe probable)",
    "nom_partiel": "nom tronqué, allongé ou auquel il manque des mots : reconnu par ses mots",
    "code_departement_sans_zero": "département sans son zéro initial",
    "code_departement_invalide": "département illisible",
    "code_postal_sans_zero": "code postal sans son zéro initial",
    "code_postal_invalide": "code postal illisible",
    "code_postal_incoherent": "le code postal n'est pas celui de la commune trouvée",
    "conflit_departement": "le département déclaré n'est pas celui de la collectivité trouvée ou du nom déclaré",
    "conflit_code_nom": "le code (SIREN ou INSEE) désigne une collectivité dont le nom ne correspond pas",
    "conflit_siren_code": "le SIREN et le code INSEE désignent deux communes différentes",
    # Repairs made while reading the file (observatory/declarations.py READING_ANOMALIES).
    "date_adhesion_reformatee": "date d'adhésion écrite JJ/MM/AAAA : lue comme telle et publiée AAAA-MM-JJ",
    "date_adhesion_illisible": "date d'adhésion illisible (nombre Excel, texte…) : non publiée",
    "date_adhesion_invraisemblable": "date d'adhésion avant 1950 ou après l'an prochain : non publiée",
    "donnee_personnelle_retiree": "adresse e-mail ou numéro de téléphone retiré du nom déclaré",
}
