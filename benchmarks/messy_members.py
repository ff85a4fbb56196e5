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
from observatory.reconcile.normalize import LITTLE_WORDS, normalize_name, short_key, strip_accents
from observatory.reconcile.referential_index import OLD_NAME_CUTOFF_YEAR
from observatory.schemas import field_names
from tools.demo_sources.messes import FAKE_SUFFIXES, FIRST_NAMES, abbreviate_saint, move_article

# The identification fields of a declared member, from the declaration schema (not the OPSN nor the date).
FIELDS = tuple(name for name in field_names("declaration/adherents") if name not in ("siren_opsn", "date_adhesion"))


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
        return name[:index] + name[index + 1] + name[index] + name[index + 2 :]
    if slip == "double":
        return name[:index] + name[index] + name[index:]
    if slip == "replace":
        return name[:index] + rng.choice([c for c in "aeioulnrst" if c != name[index].lower()]) + name[index + 1 :]
    return name[:index] + name[index + 1 :]


def _broken_siren(siren: str, rng: random.Random) -> str:
    return siren[:-1] + rng.choice([d for d in "0123456789" if d != siren[-1]])


def _upper_plain(name: str) -> str:
    return strip_accents(name).upper().replace("Œ", "OE")


class Generator:
    """`kind -> row` generators; each returns (row, expected type or status, expected code)."""

    def __init__(self, ref: Referential, seed: int) -> None:
        self.ref = ref
        self.seed = seed
        self.rng = random.Random(seed)
        self.saints = [c for c in ref.communes if re.search(r"\bSainte?\b", c.nom)]
        self.articles = [c for c in ref.communes if move_article(c.nom)]
        self.sur = [c for c in ref.communes if "-sur-" in c.nom]
        self.hyphens = [c for c in ref.communes if "-" in c.nom or "'" in c.nom]
        self.zero = [c for c in ref.communes if c.code.startswith("0")]
        self.corse = [c for c in ref.communes if c.dept in ("2A", "2B")]
        # Homonyms by the names in use: a name another commune bore long ago does not count.
        self.homonyms = [
            c
            for c in ref.communes
            if len([code for code in ref.targets[normalize_name(c.nom)] if (normalize_name(c.nom), code) in ref.in_use])
            > 1
        ]
        self.unique = [c for c in ref.communes if len(ref.targets[normalize_name(c.nom)]) == 1]
        self.olds = [
            o for o in ref.old_names if o[0] != o[3] and normalize_name(o[1]) != normalize_name(ref.by_code[o[3]].nom)
        ]
        self.old_codes = [o for o in ref.old_names if o[0] not in ref.by_code]
        self.with_postal = [c for c in ref.communes if c.postal]
        self.known_keys = set(ref.targets) | set(ref.epci_keys)
        self._init_real_spellings()
        self.kinds = {name[len("kind_") :]: getattr(self, name) for name in dir(self) if name.startswith("kind_")}

    def pick(self, population: list):
        return self.rng.choice(population)

    def commune(self) -> Commune:
        return self.pick(self.ref.communes)

    # Clean identifiers -------------------------------------------------------------
    def kind_propre_complet(self):
        c = self.commune()
        return (
            _row(
                nom_adherent=c.nom,
                siren_adherent=c.siren,
                code_insee_adherent=c.code,
                code_postal=c.postal[0] if c.postal else "",
                code_departement=c.dept,
            ),
            "commune",
            c.code,
        )

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
            if normalize_name(name) != normalize_name(c.nom) and truth_by_name(self.ref, name, dept=c.dept)[1] not in (
                "",
                c.code,
            ):
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
            name = (
                self.pick(("Saint-", "Sainte-", "Villers-", "Mont-", "Bourg-", ""))
                + self.pick(FIRST_NAMES)
                + self.pick(FAKE_SUFFIXES)
            )
            if normalize_name(name) not in self.known_keys:
                dept = self.commune().dept if self.rng.random() < 0.5 else ""
                return _row(nom_adherent=name, code_departement=dept), "non_trouve", ""

    # EPCI and départements -----------------------------------------------------
    def kind_epci_sigle(self):
        siren, nom, depts = self.pick([e for e in self.ref.epcis if e[1][:3] in ("CC ", "CA ", "CU ")])
        words = {"CC ": "Communauté de communes ", "CA ": "Communauté d'agglomération ", "CU ": "Communauté urbaine "}[
            nom[:3]
        ]
        name = words + nom[3:] if self.rng.random() < 0.7 else nom.upper()
        dept = self.pick(depts) if self.rng.random() < 0.5 else ""
        same = [
            s
            for s in self.ref.epci_keys[normalize_name(nom)]
            if not dept or dept in dict((e[0], e[2]) for e in self.ref.epcis)[s]
        ]
        row = _row(nom_adherent=name, type_adherent="epci", code_departement=dept)
        return (row, "epci", siren) if len(same) == 1 else (row, "ambigu", "")

    def kind_epci_siren(self):
        siren, nom, _ = self.pick(self.ref.epcis)
        return _row(nom_adherent=nom, type_adherent="epci", siren_adherent=siren), "epci", siren

    def kind_departement(self):
        code, nom = self.pick(self.ref.departements)
        name = self.pick(("Département {}", "Conseil départemental {}", "{} (Département)", "CD{code}"))
        row = _row(
            nom_adherent=name.format(nom, code=code),
            type_adherent="departement",
            code_insee_adherent=code if self.rng.random() < 0.5 else "",
        )
        return row, "departement", code

    # Real-world spellings (issue 15) ----------------------------------------------
    def _init_real_spellings(self) -> None:
        # Their own random stream: the rows of the older families stay those measured before.
        self.spelling_rng = random.Random(f"{self.seed}-orthographes")
        ref = self.ref
        self.by_dept: dict[str, list[Commune]] = {}
        for commune in ref.communes:
            self.by_dept.setdefault(commune.dept, []).append(commune)
        # Second keys of the names in use (current names, old names ended since the cut-off).
        self.short_targets: dict[str, set[str]] = {}
        for key, code in ref.in_use:
            self.short_targets.setdefault(short_key(key), set()).add(code)
        little = "|".join(LITTLE_WORDS)
        self.with_little_words = [
            c for c in ref.communes if re.search(rf"[- ]({little})[- ']", c.nom, flags=re.IGNORECASE)
        ]
        self.former_with_et = [o for o in ref.old_name_years if "-et-" in o[1] and o[4] is None]
        self.long_names = [c for c in self.with_postal if len(c.nom) >= 24]
        self.with_article = [c for c in ref.communes if re.match(r"(Le|La|Les) |L'", c.nom)]
        self.without_article = [c for c in ref.communes if not re.match(r"(Le|La|Les) |L'", c.nom)]
        self.abbreviable = [c for c in ref.communes if re.search(r"Notre-Dame|-devant-|-sur-|-sous-", c.nom)]
        # Tails of real names, to lengthen a name as postal labels do ("-des-Bois", "-sur-Loire").
        self.tails = sorted(
            {
                m.group(0)
                for c in ref.communes
                for m in [re.search(r"-(sur|sous|en|des|les|lès|de|du)-[A-Z][^-]+$", c.nom)]
                if m
            }
        )
        # Current names that another commune bore before the cut-off.
        current = {normalize_name(c.nom) for c in ref.communes}
        self.old_homonyms = [
            o
            for o in ref.old_name_years
            if o[4] is not None and o[4] < OLD_NAME_CUTOFF_YEAR and normalize_name(o[1]) in current
        ]
        # Départements La Poste or an EPCI joins (the engine reads the same facts: rc_neighbour).
        self.neighbours: dict[str, set[str]] = {}
        for commune in ref.communes:
            for postal in commune.postal:
                other = postal[:3] if postal.startswith("97") else postal[:2]
                if other not in (commune.dept, "20"):
                    self.neighbours.setdefault(commune.dept, set()).add(other)
                    self.neighbours.setdefault(other, set()).add(commune.dept)
        for _, _, depts in ref.epcis:
            for dept in depts:
                self.neighbours.setdefault(dept, set()).update(d for d in depts if d != dept)

    def _pick(self, population: list):
        return self.spelling_rng.choice(population)

    def _context_communes(self, commune: Commune, postal: str) -> list[Commune]:
        if postal:
            return [self.ref.by_code[code] for code in self.ref.postal_to_communes.get(postal, ())]
        return self.by_dept[commune.dept]

    def _exists(self, name: str) -> bool:
        key = normalize_name(name)
        return key in self.ref.targets or short_key(key) in self.short_targets

    def _postal_or_dept(self, c: Commune, postal_share: float) -> dict:
        if c.postal and self.spelling_rng.random() < postal_share:
            return {"code_postal": self._pick(c.postal)}
        return {"code_departement": c.dept}

    def kind_nom_tronque(self):
        """Cut at a field width (20 to 32 characters) as in an address file: upper case, no accent,
        spaces for hyphens; redrawn when another commune of the context starts the same way."""
        while True:
            c = self._pick(self.long_names)
            plain = _upper_plain(c.nom).replace("-", " ").replace("'", " ")
            widths = [w for w in (20, 24, 26, 30, 32) if w < len(plain) - 2]
            if not widths:
                continue
            name = plain[: self._pick(widths)].rstrip()
            context = self._postal_or_dept(c, 0.7)
            declared = short_key(normalize_name(name))
            others = [
                o
                for o in self._context_communes(c, context.get("code_postal", ""))
                if o.code != c.code and short_key(normalize_name(o.nom)).startswith(declared)
            ]
            if others or self._exists(name):
                self.ref.discarded_spellings += 1
                continue
            return _row(nom_adherent=name, **context), "commune", c.code

    def kind_nom_allonge(self):
        """A name lengthened by the tail of another real name ("Saint-Lambert" -> "Saint-Lambert-des-Bois"),
        with its postal code; redrawn when the longer name exists or fits another commune of the postal code."""
        while True:
            c = self._pick(self.with_postal)
            name = c.nom + self._pick(self.tails)
            postal = self._pick(c.postal)
            words = short_key(normalize_name(name)).split()
            others = [
                o
                for o in self._context_communes(c, postal)
                if o.code != c.code and set(short_key(normalize_name(o.nom)).split()) <= set(words)
            ]
            if others or self._exists(name):
                self.ref.discarded_spellings += 1
                continue
            if self.spelling_rng.random() < 0.5:
                name = _upper_plain(name)
            return _row(nom_adherent=name, code_postal=postal), "commune", c.code

    def _without_little_words(self, name: str) -> str:
        little = "|".join(LITTLE_WORDS)
        dropped = re.sub(rf"(?i)(?<=[- ])({little})[- ']", "", name)
        return _upper_plain(dropped) if self.spelling_rng.random() < 0.5 else dropped

    def _by_second_key(self, name: str, c: Commune, context: dict) -> tuple[str, str] | None:
        """Truth by the second key in the row's context; None when the name is another commune's exactly."""
        if normalize_name(name) in self.ref.targets:
            return None
        fits = self.short_targets.get(short_key(normalize_name(name)), set())
        postal = context.get("code_postal", "")
        found = sorted(
            code
            for code in fits
            if (postal in self.ref.by_code[code].postal if postal else self.ref.by_code[code].dept == c.dept)
        )
        if not found:
            return None
        return ("commune", found[0]) if len(found) == 1 else ("ambigu", "")

    def kind_mots_outils_omis(self):
        """Little words (de, la, et, les, sur…) dropped, from a current name or a commune déléguée's
        ("Suc-et-Sentenac" -> "SUC SENTENAC"); with the département or the postal code."""
        while True:
            if self.spelling_rng.random() < 0.2:
                _, nom, dept, target, _ = self._pick(self.former_with_et)
                c = self.ref.by_code[target]
                name, context = self._without_little_words(nom), {"code_departement": dept}
                expected = ("commune", target) if dept == c.dept else None
            else:
                c = self._pick(self.with_little_words)
                name, context = self._without_little_words(c.nom), self._postal_or_dept(c, 0.4)
                expected = self._by_second_key(name, c, context)
            if (
                expected is None
                or normalize_name(name) == normalize_name(c.nom)
                or (expected[0] == "commune" and expected[1] != c.code)
            ):
                self.ref.discarded_spellings += 1
                continue
            return _row(nom_adherent=name, **context), *expected

    def kind_article_ajoute_retire(self):
        """An article removed ("TRINITE" for La Trinité) or added ("LE LAUSSOU" for Laussou)."""
        while True:
            if self.spelling_rng.random() < 0.5:
                c = self._pick(self.with_article)
                name = re.sub(r"^(Le|La|Les) |^L'", "", c.nom)
            else:
                c = self._pick(self.without_article)
                name = self._pick(("Le ", "La ", "Les ", "L'")) + c.nom
            name = _upper_plain(name) if self.spelling_rng.random() < 0.5 else name
            context = {"code_departement": c.dept}
            expected = self._by_second_key(name, c, context)
            if expected is None or (expected[0] == "commune" and expected[1] != c.code):
                self.ref.discarded_spellings += 1
                continue
            return _row(nom_adherent=name, **context), *expected

    def kind_arrondissement_numero(self):
        """Paris, Lyon, Marseille with an arrondissement number ("MARSEILLE 15EME", "PARIS 16", "LYON 3E",
        "PARIS CEDEX 08"), with the postal code, the département or nothing."""
        city, code, dept, count, postal_base = self._pick(
            (
                ("Paris", "75056", "75", 20, 75000),
                ("Lyon", "69123", "69", 9, 69000),
                ("Marseille", "13055", "13", 16, 13000),
            )
        )
        number = self.spelling_rng.randint(1, count)
        suffix = "er" if number == 1 else "e"
        form = self._pick(
            (
                "{c} {n}",
                "{c} {n}{s}",
                "{c} {n}EME",
                "{c} {n:02d}",
                "{c} CEDEX {n:02d}",
                "{c} {n}{s} arrondissement",
                "{c} {n}ème",
            )
        )
        name = form.format(c=city, n=number, s=suffix.upper())
        name = name.upper() if self.spelling_rng.random() < 0.5 else name
        where = self.spelling_rng.random()
        context = (
            {"code_postal": str(postal_base + number)}
            if where < 0.5
            else {"code_departement": dept}
            if where < 0.75
            else {}
        )
        return _row(nom_adherent=name, **context), "commune", code

    def kind_abreviations(self):
        """Abbreviations of address files: "N D" for Notre-Dame, "DT" for devant, "S/" for sur,
        "SS/" for sous, "ST" for Saint, upper case without accents."""
        c = self._pick(self.abbreviable)
        name = _upper_plain(c.nom)
        name = re.sub("NOTRE-DAME", self._pick(("N D", "N.D.", "N-D")), name)
        name = name.replace("-DEVANT-", " DT ").replace("-SUR-", self._pick((" S/ ", " S/", "-S/-")))
        name = name.replace("-SOUS-", " SS/ ")
        name = re.sub(r"\bSAINT(E?)\b", r"ST\1", name)
        return self._named(c, name)

    def kind_nom_actuel_ancien(self):
        """A current name that another commune bore before the cut-off year ("BEAUMONT" in the
        Puy-de-Dôme): today's commune, with the département or alone."""
        _, nom, dept, _, _ = self._pick(self.old_homonyms)
        name = _upper_plain(nom) if self.spelling_rng.random() < 0.5 else nom
        context = {"code_departement": dept} if self.spelling_rng.random() < 0.7 else {}
        row = _row(nom_adherent=name, **context)
        return row, *truth_by_name(self.ref, nom, dept=dept if context else "")

    def kind_code_postal_voisin(self):
        """A name borne by one commune in France, with a postal code of a neighbouring département
        (a La Poste office, or a shared EPCI, joins them)."""
        while True:
            c = self._pick(self.unique)
            near = sorted(self.neighbours.get(c.dept, ()))
            if not near:
                continue
            other = self._pick(near)
            postal_codes = sorted(
                {p for o in self.by_dept.get(other, ()) for p in o.postal if p not in c.postal and p.startswith(other)}
            )
            if not postal_codes:
                continue
            return _row(nom_adherent=c.nom, code_postal=self._pick(postal_codes)), "commune", c.code

    def generate(self, kinds: dict[str, int]) -> list[tuple[str, dict, str, str]]:
        """(kind, row, expected, code) for `count` rows of each kind, shuffled."""
        rows = [(kind, *self.kinds[kind]()) for kind, count in kinds.items() for _ in range(count)]
        self.rng.shuffle(rows)
        return rows


def valid_siren(rng: random.Random) -> str:
    body = "".join(rng.choice("0123456789") for _ in range(8))
    return body + luhn.calc_check_digit(body)
