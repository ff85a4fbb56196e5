"""Bodies that appear in the demo CNIL file: real collectivités and OPSN, generated others.

Real SIRENs are used for communes, EPCI and OPSN; every other body (hospitals, schools,
CCAS, centres de gestion outside the two real ones, firms, consultancies) gets a generated
SIREN that passes Luhn: public bodies start with 1 or 2, firms with 3 to 9.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from observatory.reconcile.normalize import strip_accents
from tools.demo_sources.common import luhn_siren
from tools.demo_sources.referential import Commune

STREETS = (
    "RUE DE LA REPUBLIQUE",
    "GRANDE RUE",
    "RUE DE L'EGLISE",
    "AVENUE DU GENERAL DE GAULLE",
    "RUE DU MOULIN",
    "PLACE DU MARCHE",
    "RUE VICTOR HUGO",
    "RUE DES ECOLES",
    "ROUTE NATIONALE",
    "RUE PASTEUR",
    "RUE DE LA GARE",
    "AVENUE JEAN JAURES",
    "ZONE ARTISANALE",
    "RUE DU STADE",
    "CHEMIN DES VIGNES",
    "BOULEVARD GAMBETTA",
)
SURNAMES = (
    "MARTIN",
    "BERNARD",
    "THOMAS",
    "PETIT",
    "ROBERT",
    "RICHARD",
    "DURAND",
    "DUBOIS",
    "MOREAU",
    "LAURENT",
    "SIMON",
    "MICHEL",
    "LEFEBVRE",
    "LEROY",
    "ROUX",
    "DAVID",
    "BERTRAND",
    "MOREL",
    "FOURNIER",
    "GIRARD",
    "BONNET",
    "DUPONT",
    "LAMBERT",
    "FONTAINE",
    "ROUSSEAU",
    "VINCENT",
    "MULLER",
    "LEFEVRE",
    "FAURE",
    "ANDRE",
    "MERCIER",
    "BLANC",
    "GUERIN",
    "BOYER",
    "GARNIER",
    "CHEVALIER",
    "FRANCOIS",
    "LEGRAND",
    "GAUTHIER",
    "GARCIA",
    "PERRIN",
    "ROBIN",
    "CLEMENT",
    "MORIN",
    "NICOLAS",
    "HENRY",
    "ROUSSEL",
    "MATHIEU",
    "GAUTIER",
    "MASSON",
    "MARCHAND",
    "DUVAL",
    "DENIS",
    "DUMONT",
    "MARIE",
    "LEMAIRE",
    "NOEL",
    "MEYER",
    "DUFOUR",
    "MEUNIER",
    "BRUN",
    "BLANCHARD",
    "GIRAUD",
    "JOLY",
    "RIVIERE",
    "LUCAS",
    "BRUNET",
    "GAILLARD",
    "BARBIER",
    "ARNAUD",
)
WORDS = (
    "ALPHA",
    "AXIOME",
    "VECTEUR",
    "HORIZON",
    "ATLAS",
    "NOVA",
    "PRISME",
    "ZENITH",
    "ORBITE",
    "QUARTZ",
    "SOLSTICE",
    "BOREAL",
    "CAP",
    "AZUR",
    "OPALE",
    "ARGOS",
    "DELTA",
    "SIRIUS",
    "TERRA",
    "LUMEN",
)
# Firms: (NAF section, NAF code without the dot, words of the name). Section O is absent on purpose.
FIRM_ACTIVITIES = (
    ("A", "0111Z", "EARL"),
    ("A", "0150Z", "GAEC"),
    ("C", "1071C", "BOULANGERIE"),
    ("C", "2511Z", "METALLERIE"),
    ("C", "1013A", "CHARCUTERIE"),
    ("D", "3514Z", "ENERGIES"),
    ("E", "3811Z", "ENVIRONNEMENT"),
    ("F", "4120A", "CONSTRUCTIONS"),
    ("F", "4321A", "ELECTRICITE"),
    ("F", "4322A", "PLOMBERIE"),
    ("G", "4711D", "SUPERMARCHE"),
    ("G", "4520A", "GARAGE"),
    ("G", "4773Z", "PHARMACIE"),
    ("G", "4778C", "OPTIQUE"),
    ("H", "4941A", "TRANSPORTS"),
    ("H", "4932Z", "TAXIS"),
    ("I", "5610A", "RESTAURANT"),
    ("I", "5510Z", "HOTEL"),
    ("J", "6201Z", "INFORMATIQUE"),
    ("J", "5829C", "LOGICIELS"),
    ("K", "6419Z", "BANQUE"),
    ("K", "6622Z", "ASSURANCES"),
    ("L", "6831Z", "IMMOBILIER"),
    ("L", "6820B", "SCI"),
    ("M", "6910Z", "AVOCATS"),
    ("M", "6920Z", "EXPERTISE COMPTABLE"),
    ("M", "7112B", "INGENIERIE"),
    ("M", "7311Z", "COMMUNICATION"),
    ("N", "7820Z", "INTERIM"),
    ("N", "8121Z", "NETTOYAGE"),
    ("P", "8559A", "FORMATION"),
    ("P", "8553Z", "AUTO-ECOLE"),
    ("Q", "8621Z", "CABINET MEDICAL"),
    ("Q", "8690D", "INFIRMIERS"),
    ("Q", "8623Z", "CABINET DENTAIRE"),
    ("R", "9312Z", "CLUB SPORTIF"),
    ("R", "9329Z", "LOISIRS"),
    ("S", "9499Z", "ASSOCIATION"),
    ("S", "9602A", "COIFFURE"),
)
FIRM_PATTERNS = (
    "{act} {name}",
    "SARL {name} ET FILS",
    "SAS {name} {act}",
    "{name} {act}",
    "{act} {word}",
    "{word} {act}",
)
# Consultancies that act as external DPO: section M, NAF 6920Z or 7022Z.
CONSULTANCY_PATTERNS = (
    "{name} CONSEIL",
    "RGPD {word}",
    "{word} CONFORMITE",
    "CABINET {name} ET ASSOCIES",
    "DPO {word}",
)
# Generated public bodies: (kind, SIREN prefix, section, NAF, name pattern).
PUBLIC_KINDS = {
    "hopital": ("26", "Q", "8610Z", "CENTRE HOSPITALIER DE {}"),
    "ehpad": ("26", "Q", "8710A", "EHPAD PUBLIC DE {}"),
    "ccas": ("26", "Q", "8899B", "CCAS DE {}"),
    "college": ("19", "P", "8531Z", "COLLEGE {}"),
    "lycee": ("19", "P", "8532Z", "LYCEE {}"),
    "syndicat": ("25", "E", "3600Z", "SYNDICAT DES EAUX DE {}"),
    "sivom": ("25", "O", "8411Z", "SIVOM DE {}"),
    "tourisme": ("21", "N", "7990Z", "OFFICE DE TOURISME DE {}"),
}


@dataclass(frozen=True)
class Body:
    siren: str
    nom: str
    section: str
    naf: str
    adresse: str
    code_postal: str
    ville: str


def upper_plain(text: str) -> str:
    return strip_accents(text).upper().replace("Œ", "OE")


def address(rng: random.Random, commune: Commune, town_hall: bool = False) -> tuple[str, str, str]:
    street = "PLACE DE LA MAIRIE" if town_hall else rng.choice(STREETS)
    postal = commune.postal_codes[0] if commune.postal_codes else ""
    return f"{rng.randint(1, 120)} {street}", postal, upper_plain(commune.nom)


def commune_body(rng: random.Random, commune: Commune) -> Body:
    pattern = rng.choices(("COMMUNE DE {}", "MAIRIE DE {}", "{}", "Commune de {}"), weights=(50, 20, 15, 15))[0]
    name = pattern.format(commune.nom if pattern.startswith("Commune") else upper_plain(commune.nom))
    return Body(commune.siren, name, "O", "8411Z", *address(rng, commune, town_hall=True))


def public_body(rng: random.Random, kind: str, commune: Commune, taken: set[str]) -> Body:
    prefix, section, naf, pattern = PUBLIC_KINDS[kind]
    subject = rng.choice(SURNAMES) if kind in ("college", "lycee") else upper_plain(commune.nom)
    if kind in ("college", "lycee") and rng.random() < 0.5:
        subject = f"{rng.choice(('JEAN', 'MARIE', 'PAUL', 'LOUISE', 'JULES'))} {subject}"
    return Body(luhn_siren(prefix, rng, taken), pattern.format(subject), section, naf, *address(rng, commune))


def firm(rng: random.Random, commune: Commune, taken: set[str]) -> Body:
    section, naf, activity = rng.choice(FIRM_ACTIVITIES)
    name = rng.choice(FIRM_PATTERNS).format(act=activity, name=rng.choice(SURNAMES), word=rng.choice(WORDS))
    siren = luhn_siren(rng.choice("3456789"), rng, taken)
    return Body(siren, name, section, naf, *address(rng, commune))


def consultancy(rng: random.Random, commune: Commune, taken: set[str]) -> Body:
    name = rng.choice(CONSULTANCY_PATTERNS).format(name=rng.choice(SURNAMES), word=rng.choice(WORDS))
    siren = luhn_siren(rng.choice("3456789"), rng, taken)
    return Body(siren, name, "M", rng.choice(("6920Z", "7022Z")), *address(rng, commune))
