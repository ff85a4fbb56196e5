"""Rows of declarations/*.csv and the ground truth of every adherents row.

Identity fields are filled in the varied ways real files use (SIREN only, INSEE only,
name + département, name + postal code, name alone), then each row may receive a few
defects from `messes`. The ground truth says what a perfect matcher should find.
"""

from __future__ import annotations

import datetime as dt

from observatory.schemas import field_names
from tools.demo_sources import messes, truth
from tools.demo_sources.common import random_date, substream, weighted_choice
from tools.demo_sources.members import MAX_MEMBERS, Member
from tools.demo_sources.operators import Operator
from tools.demo_sources.referential import Referential, name_key

# How a commune's identity is written (weights), before any defect.
COMMUNE_VARIANTS = {"complet": 22, "siren": 15, "insee": 25, "nom_dept": 16, "nom_cp": 15, "nom_seul": 7}
EPCI_VARIANTS = {"siren": 55, "siren_dept": 10, "nom_dept": 20, "nom_seul": 15}
# Extra rows per OPSN, as a share of its members (at least one each for lists over 100).
EXTRA_ROWS = {"nom_inexistant": 0.004, "rien_a_rapprocher": 0.003}
NOTHING_NAMES = ("", "NC", "-", "A COMPLETER")


class RowBuilder:
    def __init__(self, ref: Referential, operator: Operator, depts: list[str], seed: int) -> None:
        self.ref = ref
        self.operator = operator
        self.depts = depts
        self.rng = substream(seed, f"lignes/{operator.siren}")
        self.founded = dt.date(self.rng.randint(1985, 2012), 1, 1)
        self.columns = field_names("declaration/adherents")  # once: each call copies the schema
        self.epci_names = {}
        for epci in ref.epcis:
            self.epci_names.setdefault(name_key(epci.nom), []).append(epci)

    def _row(self, **values: str) -> dict:
        row = dict.fromkeys(self.columns, "")
        row["siren_opsn"] = self.operator.siren
        date = (
            "" if self.rng.random() < messes.RATES["date_absente"] else random_date(self.rng, self.founded).isoformat()
        )
        row["date_adhesion"] = date
        row.update(values)
        return row

    def _chance(self, kind: str) -> bool:
        return self.rng.random() < messes.RATES[kind]

    def commune(self, member: Member) -> tuple[dict, str, str, list[str]]:
        rng, ref = self.rng, self.ref
        commune = ref.by_code[member.code]
        kinds: list[str] = []
        same_name = ref.name_index[name_key(commune.nom)]
        homonym = len(same_name) > 1
        # Homonyms inside the OPSN's own territory are the interesting (ambiguous) case.
        local_homonym = sum(1 for code in same_name if ref.by_code[code].dept in self.depts) > 1
        old_names = ref.old_names.get(commune.code, [])
        variants = dict(COMMUNE_VARIANTS)
        if member.hors_territoire:
            # Out of territory, a name alone would be hopeless: such rows always carry a code.
            variants = {k: v for k, v in variants.items() if k in ("complet", "siren", "insee")}
            kinds.append("hors_territoire")
        variant = weighted_choice(rng, variants)
        if (
            homonym
            and not member.hors_territoire
            and (self._chance("homonyme") or (local_homonym and self._chance("homonyme")))
        ):
            variant = "nom_seul"
        name = commune.nom
        old = None
        if old_names and not member.hors_territoire and self._chance("ancien_nom"):
            old = rng.choice(old_names)
            name = old.nom
            kinds.append("ancien_nom")
            variant = rng.choice(("nom_dept", "nom_dept", "nom_cp", "ancien_code"))
        siren = insee = postal = dept = ""
        if variant in ("complet", "siren"):
            siren = commune.siren
        if variant in ("complet", "insee"):
            insee = commune.code
        if variant == "ancien_code":
            if old.code and old.code != commune.code:
                insee = old.code
                kinds.append("ancien_code")
            else:
                dept = commune.dept
        if variant in ("complet", "nom_cp") or (variant == "insee" and rng.random() < 0.4):
            postal = member.postal_code
        if variant in ("complet", "nom_dept") or (variant == "insee" and rng.random() < 0.3):
            dept = commune.dept
        if variant == "nom_seul":
            kinds.append("codes_manquants")
            if homonym:
                kinds.append("homonyme")
        name = messes.name_messes(self.rng, name, kinds, allow_prefix=True)
        if siren and self._chance("siren_cle_invalide"):
            siren = messes.wrong_check_digit(siren, rng)
            kinds.append("siren_cle_invalide")
        if insee and "ancien_code" not in kinds:
            if self._chance("zero_initial_perdu") and (result := messes.drop_leading_zero(insee)):
                insee = result
                kinds.append("zero_initial_perdu")
            elif self._chance("code_postal_pour_insee") and member.postal_code not in ("", insee):
                insee = member.postal_code
                kinds.append("code_postal_pour_insee")
        type_adherent = "commune"
        if self._chance("type_inconnu"):
            type_adherent = messes.unknown_type("commune", rng)
            kinds.append("type_inconnu")
        row = self._row(
            nom_adherent=name,
            type_adherent=type_adherent,
            siren_adherent=siren,
            code_insee_adherent=insee,
            code_postal=postal,
            code_departement=dept,
        )
        expected, code = truth.expected_for_type(
            type_adherent, truth.expected_commune(ref, commune.code, old.nom if old else commune.nom, kinds, row)
        )
        return row, expected, code, kinds

    def epci(self, member: Member) -> tuple[dict, str, str, list[str]]:
        rng = self.rng
        kinds: list[str] = []
        variant = weighted_choice(rng, EPCI_VARIANTS)
        name = member.nom
        if self._chance("sigle_epci") and (result := messes.expand_epci_sigle(name)):
            name = result
            kinds.append("sigle_epci")
        name = messes.name_messes(self.rng, name, kinds, allow_prefix=False)
        siren = member.siren if variant.startswith("siren") else ""
        dept = member.dept if variant.endswith("dept") else ""
        if variant == "nom_seul":
            kinds.append("codes_manquants")
        if siren and self._chance("siren_cle_invalide"):
            siren = messes.wrong_check_digit(siren, rng)
            kinds.append("siren_cle_invalide")
        type_adherent = "epci"
        if self._chance("type_inconnu"):
            type_adherent = messes.unknown_type("epci", rng)
            kinds.append("type_inconnu")
        row = self._row(nom_adherent=name, type_adherent=type_adherent, siren_adherent=siren, code_departement=dept)
        expected, code = truth.expected_for_type(
            type_adherent, truth.expected_epci(self.epci_names, member, kinds, row)
        )
        return row, expected, code, kinds

    def departement_or_region(self, member: Member) -> tuple[dict, str, str, list[str]]:
        rng = self.rng
        kinds: list[str] = []
        if member.kind == "departement":
            pattern = rng.choice(
                ("Département {nom}", "Conseil départemental {nom}", "CD{code}", "{nom} (Département)")
            )
            name = pattern.format(nom=member.nom, code=member.code)
            insee = member.code if rng.random() < 0.5 else ""
            dept = member.code if rng.random() < 0.7 else ""
        else:
            name = rng.choice(("Région {nom}", "Conseil régional {nom}")).format(nom=member.nom)
            insee = member.code if rng.random() < 0.3 else ""
            dept = ""
        name = messes.name_messes(self.rng, name, kinds, allow_prefix=False)
        row = self._row(nom_adherent=name, type_adherent=member.kind, code_insee_adherent=insee, code_departement=dept)
        return row, member.kind, member.code, kinds

    def other_body(self, member: Member) -> tuple[dict, str, str, list[str]]:
        rng = self.rng
        kinds: list[str] = []
        name = messes.name_messes(self.rng, member.nom, kinds, allow_prefix=False)
        type_adherent = member.kind
        if self._chance("type_inconnu"):
            type_adherent = messes.unknown_type(member.kind, rng)
            kinds.append("type_inconnu")
        row = self._row(
            nom_adherent=name,
            type_adherent=type_adherent,
            siren_adherent=member.siren if rng.random() < 0.4 else "",
            code_postal=member.postal_code if rng.random() < 0.5 else "",
            code_departement=member.dept if rng.random() < 0.5 else "",
        )
        return (row, *truth.expected_for_type(type_adherent, ("hors_referentiel", "")), kinds)

    def invented(self) -> tuple[dict, str, str, list[str]]:
        known = set(self.ref.name_index) | set(self.ref.old_name_index)
        name = messes.invented_name(self.rng, known, name_key)
        dept = self.rng.choice(self.depts) if self.rng.random() < 0.5 else ""
        row = self._row(nom_adherent=name, type_adherent="commune", code_departement=dept)
        return row, "non_trouve", "", ["nom_inexistant"]

    def nothing(self) -> tuple[dict, str, str, list[str]]:
        row = self._row(nom_adherent=self.rng.choice(NOTHING_NAMES), type_adherent=self.rng.choice(("commune", "")))
        return row, "invalide", "", ["rien_a_rapprocher"]

    def build(self, member: Member) -> tuple[dict, str, str, list[str]]:
        if member.kind == "commune":
            return self.commune(member)
        if member.kind == "epci":
            return self.epci(member)
        if member.kind in ("departement", "region"):
            return self.departement_or_region(member)
        return self.other_body(member)


def adherent_rows(
    operators: list[Operator],
    members: dict[str, list[Member]],
    territories: dict[str, list[str]],
    ref: Referential,
    seed: int,
) -> tuple[list[dict], list[dict]]:
    """adherents.csv rows and their ground truth, OPSN after OPSN in opsn.csv order."""
    rows, ground_truth = [], []
    for operator in operators:
        builder = RowBuilder(ref, operator, territories[operator.siren], seed)
        built = [builder.build(member) for member in members[operator.siren]]
        extras = []
        for kind, share in EXTRA_ROWS.items():
            count = round(len(built) * share) + (1 if len(built) > 100 else 0)
            extras += [builder.invented() if kind == "nom_inexistant" else builder.nothing() for _ in range(count)]
        for extra in extras:
            built.insert(builder.rng.randint(0, len(built)), extra)
        assert len(built) <= MAX_MEMBERS, f"{operator.nom}: {len(built)} lignes"
        for row, expected, code, kinds in built:
            rows.append(row)
            ground_truth.append(
                {
                    "siren_opsn": operator.siren,
                    "numero_ligne": str(len(rows) + 1),  # the header is line 1
                    "type_attendu": expected,
                    "code_attendu": code,
                    "desordres": "|".join(kinds),
                }
            )
    return rows, ground_truth
