"""The defects real member declarations carry, as small pure transforms.

Each transform returns the altered value, or None when it does not apply to that value
(a name without "Saint", an INSEE code without a leading zero…), so that the caller
records a kind of mess only when it really changed the row.
"""

from __future__ import annotations

import random
import re

from observatory.reconcile.normalize import strip_accents
from tools.demo_sources.common import break_check_digit

# Kinds of mess recorded in verite_terrain/adherents.csv (column `desordres`).
KINDS = (
    "codes_manquants",  # name only: no SIREN, INSEE, postal code nor département
    "majuscules_sans_accents",
    "st_abrege",
    "article_deplace",
    "faute_frappe",
    "prefixe_mairie",  # "Mairie de …", "Commune de …"
    "ancien_nom",  # name of a former or délégué/associé commune
    "ancien_code",  # INSEE code of that former commune
    "zero_initial_perdu",
    "siren_cle_invalide",
    "code_postal_pour_insee",
    "homonyme",  # a name several communes bear, with no département nor postal code
    "sigle_epci",  # "Communauté de communes …" written out instead of "CC …"
    "type_inconnu",
    "rien_a_rapprocher",
    "nom_inexistant",
    "hors_territoire",  # not a defect of the row: the member lies outside the OPSN's départements
)

UNKNOWN_TYPES = {
    "commune": ("mairie", "Commune", "commune nouvelle", "COM"),
    "epci": ("communauté de communes", "CC", "interco"),
    "departement": ("conseil départemental", "CD"),
    "region": ("conseil régional",),
    "syndicat": ("syndicat intercommunal", "SIVU"),
    "autre": ("ccas", "établissement public"),
}
# Probability of each defect among the rows it can apply to.
RATES = {
    "homonyme": 0.25,
    "majuscules_sans_accents": 0.07,
    "st_abrege": 0.35,
    "article_deplace": 0.30,
    "faute_frappe": 0.03,
    "prefixe_mairie": 0.03,
    "ancien_nom": 0.40,
    "ancien_code": 0.25,
    "zero_initial_perdu": 0.40,
    "siren_cle_invalide": 0.04,
    "code_postal_pour_insee": 0.04,
    "sigle_epci": 0.25,
    "type_inconnu": 0.012,
    "date_absente": 0.12,
}
_ARTICLE = re.compile(r"^(Les|Le|La|L')( |(?<=')|-)?(.+)$")
_EPCI_SIGLES = {
    "CC ": "Communauté de communes ",
    "CA ": "Communauté d'agglomération ",
    "CU ": "Communauté urbaine ",
}


def capitals_without_accents(name: str) -> str | None:
    result = strip_accents(name).upper().replace("Œ", "OE").replace("Æ", "AE")
    return result if result != name else None


def abbreviate_saint(name: str) -> str | None:
    result = re.sub(r"\bSainte\b", "Ste", name)
    result = re.sub(r"\bSaint\b", "St", result)
    return result if result != name else None


def move_article(name: str) -> str | None:
    """ "La Rochelle" -> "Rochelle (La)", as alphabetical lists print it."""
    match = _ARTICLE.match(name)
    if not match or not match.group(3)[:1].isupper():
        return None
    return f"{match.group(3)} ({match.group(1)})"


def typo(name: str, rng: random.Random) -> str | None:
    """Swap two neighbouring letters or drop one letter."""
    letters = [i for i, char in enumerate(name) if char.isalpha()]
    if len(letters) < 4:
        return None
    for _ in range(10):
        index = rng.choice(letters[1:-1])
        if rng.random() < 0.5 and index + 1 < len(name) and name[index + 1].isalpha():
            result = name[:index] + name[index + 1] + name[index] + name[index + 2 :]
        else:
            result = name[:index] + name[index + 1 :]
        if result != name:
            return result
    return None


def mairie_prefix(name: str, rng: random.Random) -> str:
    pattern = rng.choice(("Mairie de {}", "Commune de {}", "Ville de {}", "MAIRIE DE {}"))
    return pattern.format(name.upper() if pattern.isupper() else name)


def drop_leading_zero(code: str) -> str | None:
    return code[1:] if code.startswith("0") else None


def wrong_check_digit(siren: str, rng: random.Random) -> str | None:
    return break_check_digit(siren, rng) if siren else None


def expand_epci_sigle(name: str) -> str | None:
    for sigle, words in _EPCI_SIGLES.items():
        if name.startswith(sigle):
            return words + name[len(sigle) :]
    return None


def unknown_type(kind: str, rng: random.Random) -> str:
    return rng.choice(UNKNOWN_TYPES[kind])


FIRST_NAMES = (
    "Aurélien",
    "Bastien",
    "Clothilde",
    "Désiré",
    "Eulalie",
    "Fulbert",
    "Gaspard",
    "Hermance",
    "Isidore",
    "Joséphin",
    "Léocadie",
    "Maclou",
    "Norbert",
    "Odilon",
    "Prudence",
    "Rosalinde",
)
FAKE_SUFFIXES = (
    "-sur-Brévenne",
    "-les-Tilleuls",
    "-en-Val-Doré",
    "-de-la-Combe-Noire",
    "-sous-Roche-Grise",
    "-des-Prés-Hauts",
    "-la-Forêt-Bleue",
    "-le-Moutier-Vieux",
)


def invented_name(rng: random.Random, known: set[str], normalize) -> str:
    """A commune-like name that no current or former commune bears."""
    while True:
        prefix = rng.choice(("Saint-", "Sainte-", "Villers-", "Mont-", "Bourg-"))
        name = prefix + rng.choice(FIRST_NAMES) + rng.choice(FAKE_SUFFIXES)
        if normalize(name) not in known:
            return name


def name_messes(rng: random.Random, name: str, kinds: list[str], allow_prefix: bool) -> str:
    """Apply the name defects, each with its own probability, in the order people make them."""
    for kind, transform in (("st_abrege", abbreviate_saint), ("article_deplace", move_article)):
        if rng.random() < RATES[kind] and (result := transform(name)):
            name = result
            kinds.append(kind)
    if rng.random() < RATES["faute_frappe"] and (result := typo(name, rng)):
        name = result
        kinds.append("faute_frappe")
    if allow_prefix and rng.random() < RATES["prefixe_mairie"]:
        name = mairie_prefix(name, rng)
        kinds.append("prefixe_mairie")
    if rng.random() < RATES["majuscules_sans_accents"] and (result := capitals_without_accents(name)):
        name = result
        kinds.append("majuscules_sans_accents")
    return name
