"""A seeded, messy member declaration built from the real referential, with its ground truth.

Each kind of mess real declarations carry gets its own generator; a row's truth is what a
perfect matcher can know from the row alone: the commune (or EPCI…) when the row
identifies it, `ambigu` when the name it leaves is borne by several collectivités in the
context the row gives (département, postal code, or none), `non_trouve` for a name that
no collectivité bears. Typos that happen to spell another commune of the context are
redrawn (no matcher could tell), and counted.
"""

from __future__ import annotations

import random
import re

from stdnum import luhn

from benchmarks.messy_referential import Commune, Referential, truth_by_name
from observatory.demo.messes import FAKE_SUFFIXES, FIRST_NAMES, abbreviate_saint, move_article
from observatory.reconcile.normalize import normalize_name, strip_accents

FIELDS = ("nom_adherent", "type_adherent", "siren_adherent", "code_insee_adherent", "code_postal", "code_departement")


def _row(**values: str) -> dict:
    row = dict.fromkeys(FIELDS, "")
    row["type_adherent"] = "commune"
    row.update(values)
    return row


def typo(name: str, rng: random.Random) -> str | None:
    """One keyboard slip on a letter (never the first): swapped, dropped, doubled or replaced."""
    letters = [i for i, char in enumerate(name) if char.isalpha()][1:]
    if len(letters) < 3:
        return None
    index = rng.choice(letters)
    slip = rng.choice(("swap", "drop", "double", "replace"))
    if slip == "swap" and index + 1 < len(name) and name[index + 1].isalpha() and name[index + 1] != name[index]:
        return name[:index] + name[index + 1] + name[index] + name[index + 2:]
    if slip == "double":
        return name[:index] + name[index] + name[index:]
    if slip == "replace":
        return name[:index] + rng.choice([c for c in "aeioulnrst" if c != name[index].lower()]) + name[index + 1:]
    return name[:index] + name[index + 1:]


def _broken_siren(siren: str, rng: random.Random) -> str:
    return siren[:-1] + rng.choice([d for d in "0123456789" if d != siren[-1]])


def _upper_plain(name: str) -> str:
    return strip_accents(name).upper().replace("Œ", "OE")


class Generator:
    """`kind -> row` generators; each returns (row, expected type or status, expected code)."""

    def __init__(self, ref: Referential, seed: int) -> None:
        self.ref = ref
        self.rng = random.Random(seed)
        self.saints = [c for c in ref.communes if re.search(r"\bSainte?\b", c.nom)]
        self.articles = [c for c in ref.communes if move_article(c.nom)]
        self.sur = [c for c in ref.communes if "-sur-" in c.nom]
        self.hyphens = [c for c in ref.communes if "-" in c.nom or "'" in c.nom]
        self.zero = [c for c in ref.communes if c.code.startswith("0")]
        self.corse = [c for c in ref.communes if c.dept in ("2A", "2B")]
        self.homonyms = [c for c in ref.communes if len(ref.targets[normalize_name(c.nom)]) > 1]
        self.unique = [c for c in ref.communes if len(ref.targets[normalize_name(c.nom)]) == 1]
        self.olds = [o for o in ref.old_names
                     if o[0] != o[3] and normalize_name(o[1]) != normalize_name(ref.by_code[o[3]].nom)]
        self.old_codes = [o for o in ref.old_names if o[0] not in ref.by_code]
        self.with_postal = [c for c in ref.communes if c.postal]
        self.known_keys = set(ref.targets) | set(ref.epci_keys)
        self.kinds = {name[len("kind_"):]: getattr(self, name) for name in dir(self) if name.startswith("kind_")}

    def pick(self, population: list):
        return self.rng.choice(population)

    def commune(self) -> Commune:
        return self.pick(self.ref.communes)

    # Clean identifiers -------------------------------------------------------------
    def kind_propre_complet(self):
        c = self.commune()
        return _row(nom_adherent=c.nom, siren_adherent=c.siren, code_insee_adherent=c.code,
                    code_postal=c.postal[0] if c.postal else "", code_departement=c.dept), "commune", c.code

    def kind_siren(self):
        c = self.commune()
        return _row(nom_adherent=c.nom, siren_adherent=c.siren), "commune", c.code

    def kind_code_insee(self):
        c = self.commune()
        return _row(nom_adherent=c.nom, code_insee_adherent=c.code), "commune", c.code

    def kind_corse_2a_2b(self):
        c = self.pick(self.corse)
        code = c.code if self.rng.random() < 0.5 else c.code.lower()
        return _row(nom_adherent=c.nom, code_insee_adherent=code), "commune", c.code

    def kind_nom_departement(self):
        c = self.commune()
        return (_row(nom_adherent=c.nom, code_departement=c.dept), *truth_by_name(self.ref, c.nom, dept=c.dept))

    def kind_homonyme_avec_departement(self):
        c = self.pick(self.homonyms)
        return (_row(nom_adherent=c.nom, code_departement=c.dept), *truth_by_name(self.ref, c.nom, dept=c.dept))

    def kind_code_postal_nom(self):
        c = self.pick(self.with_postal)
        postal = self.pick(c.postal)
        return _row(nom_adherent=c.nom, code_postal=postal), *truth_by_name(self.ref, c.nom, postal=postal)

    def kind_nom_seul_unique(self):
        c = self.pick(self.unique)
        return _row(nom_adherent=c.nom), "commune", c.code

    # Messy codes -------------------------------------------------------------------
    def kind_zero_initial_perdu(self):
        c = self.pick(self.zero)
        return _row(nom_adherent=c.nom, code_insee_adherent=c.code[1:]), "commune", c.code

    def kind_siren_cle_invalide(self):
        c = self.commune()
        row = _row(nom_adherent=c.nom, siren_adherent=_broken_siren(c.siren, self.rng), code_departement=c.dept)
        return row, *truth_by_name(self.ref, c.nom, dept=c.dept)

    def kind_code_postal_pour_insee(self):
        c = self.pick([x for x in self.with_postal if x.code not in x.postal] or self.with_postal)
        postal = self.pick(c.postal)
        row = _row(nom_adherent=c.nom, code_insee_adherent=postal)
        return row, *truth_by_name(self.ref, c.nom, postal=postal)

    def kind_ancien_code(self):
        code, nom, _, target = self.pick(self.old_codes)
        return _row(nom_adherent=nom, code_insee_adherent=code), "commune", target

    def kind_arrondissement(self):
        code, nom, parent = self.pick(self.ref.arrondissements)
        name = nom if self.rng.random() < 0.5 else self.ref.by_code[parent].nom
        return _row(nom_adherent=name, code_insee_adherent=code), "commune", parent

    # Messy names, with their département ------------------------------------------
    def _named(self, commune: Commune, name: str, **extra: str):
        row = _row(nom_adherent=name, code_departement=commune.dept, **extra)
        return row, *truth_by_name(self.ref, commune.nom, dept=commune.dept)

    def kind_majuscules_sans_accents(self):
        c = self.commune()
        return self._named(c, _upper_plain(c.nom))

    def kind_st_abrege(self):
        c = self.pick(self.saints)
        name = abbreviate_saint(c.nom)
        return self._named(c, name.replace("St-", "St ") if self.rng.random() < 0.3 else name)

    def kind_article_deplace(self):
        c = self.pick(self.articles)
        return self._named(c, move_article(c.nom))

    def kind_tirets_apostrophes_espaces(self):
        c = self.pick(self.hyphens)
        name = c.nom.replace("-", self.rng.choice((" ", "  ", " - "))).replace("'", "’")
        return self._named(c, f" {name} ")

    def kind_sur_abrege(self):
        c = self.pick(self.sur)
        return self._named(c, c.nom.replace("-sur-", self.rng.choice((" s/ ", "-s/-", " S/"))))

    def kind_cedex(self):
        c = self.pick(self.with_postal)
        postal = self.pick(c.postal)
        row = _row(nom_adherent=f"{_upper_plain(c.nom)} CEDEX {self.rng.randint(1, 9):02d}", code_postal=postal)
        return row, *truth_by_name(self.ref, c.nom, postal=postal)

    def kind_prefixe_mairie(self):
        c = self.commune()
        return self._named(c, self.pick(("Mairie de {}", "Commune de {}", "MAIRIE DE {}")).format(c.nom))

    def kind_ancien_nom(self):
        code, nom, dept, target = self.pick(self.olds)
        row = _row(nom_adherent=nom, code_departement=dept)
        return row, *truth_by_name(self.ref, nom, dept=dept)

    def kind_faute_frappe(self):
        while True:
            c = self.commune()
            name = typo(c.nom, self.rng)
            if not name:
                continue
            if truth_by_name(self.ref, name, dept=c.dept)[0] != "non_trouve":
                self.ref.discarded_typos += 1  # spells another commune of the département
                continue
            return _row(nom_adherent=name, code_departement=c.dept), "commune", c.code

    def kind_desordres_combines(self):
        """Two to four defects on one name, as real lists pile them up."""
        while True:
            c = self.pick(self.saints + self.articles)
            name = c.nom
            # In the order people make them: a slip on the name itself, then the habits of the list.
            order = ("typo", "st", "article", "mairie", "hyphens", "upper")
            chosen = set(self.rng.sample(order, self.rng.randint(2, 4)))
            for mess in [m for m in order if m in chosen]:
                if mess == "st":
                    name = abbreviate_saint(name) or name
                elif mess == "article":
                    name = move_article(name) or name
                elif mess == "upper":
                    name = _upper_plain(name)
                elif mess == "mairie":
                    name = "Mairie de " + name
                elif mess == "hyphens":
                    name = name.replace("-", " ")
                else:
                    name = typo(name, self.rng) or name
            if normalize_name(name) != normalize_name(c.nom) and truth_by_name(
                    self.ref, name, dept=c.dept)[1] not in ("", c.code):
                self.ref.discarded_typos += 1
                continue
            return self._named(c, name)

    # Codes and names that contradict each other: no matcher can tell which is right.
    def kind_conflit_code_nom(self):
        a, b = self.commune(), self.commune()
        return _row(nom_adherent=a.nom, code_insee_adherent=b.code, code_departement=a.dept), "ambigu", ""

    def kind_conflit_siren_nom(self):
        a = self.pick(self.unique)
        b = self.commune()
        return _row(nom_adherent=a.nom, siren_adherent=b.siren), "ambigu", ""

    # Names that cannot be decided -------------------------------------------------
    def kind_homonyme_sans_departement(self):
        c = self.pick(self.homonyms)
        return _row(nom_adherent=c.nom), "ambigu", ""

    def kind_nom_inexistant(self):
        while True:
            name = (self.pick(("Saint-", "Sainte-", "Villers-", "Mont-", "Bourg-", "")) + self.pick(FIRST_NAMES)
                    + self.pick(FAKE_SUFFIXES))
            if normalize_name(name) not in self.known_keys:
                dept = self.commune().dept if self.rng.random() < 0.5 else ""
                return _row(nom_adherent=name, code_departement=dept), "non_trouve", ""

    # EPCI and départements -----------------------------------------------------
    def kind_epci_sigle(self):
        siren, nom, depts = self.pick([e for e in self.ref.epcis if e[1][:3] in ("CC ", "CA ", "CU ")])
        words = {"CC ": "Communauté de communes ", "CA ": "Communauté d'agglomération ",
                 "CU ": "Communauté urbaine "}[nom[:3]]
        name = words + nom[3:] if self.rng.random() < 0.7 else nom.upper()
        dept = self.pick(depts) if self.rng.random() < 0.5 else ""
        same = [s for s in self.ref.epci_keys[normalize_name(nom)]
                if not dept or dept in dict((e[0], e[2]) for e in self.ref.epcis)[s]]
        row = _row(nom_adherent=name, type_adherent="epci", code_departement=dept)
        return (row, "epci", siren) if len(same) == 1 else (row, "ambigu", "")

    def kind_epci_siren(self):
        siren, nom, _ = self.pick(self.ref.epcis)
        return _row(nom_adherent=nom, type_adherent="epci", siren_adherent=siren), "epci", siren

    def kind_departement(self):
        code, nom = self.pick(self.ref.departements)
        name = self.pick(("Département {}", "Conseil départemental {}", "{} (Département)", "CD{code}"))
        row = _row(nom_adherent=name.format(nom, code=code), type_adherent="departement",
                   code_insee_adherent=code if self.rng.random() < 0.5 else "")
        return row, "departement", code

    def generate(self, kinds: dict[str, int]) -> list[tuple[str, dict, str, str]]:
        """(kind, row, expected, code) for `count` rows of each kind, shuffled."""
        rows = [(kind, *self.kinds[kind]()) for kind, count in kinds.items() for _ in range(count)]
        self.rng.shuffle(rows)
        return rows


def valid_siren(rng: random.Random) -> str:
    body = "".join(rng.choice("0123456789") for _ in range(8))
    return body + luhn.calc_check_digit(body)
