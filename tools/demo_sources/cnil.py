"""Rows of the demo CNIL file "organismes ayant désigné un(e) DPD", in the published layout.

About half of the communes designate a DPD (more often the members of an OPSN offering
`dpd_mutualise`, and the large communes), most EPCI, generated public bodies and firms.
The DPD is internal (designated-body columns empty) or external: the commune's OPSN, a
centre de gestion, a consultancy, the commune's EPCI, or a body named without a SIREN.
Some bodies were designated again later, a few twice the same day.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

from tools.demo_sources import cnil_bodies as bodies
from tools.demo_sources.cnil_bodies import Body
from tools.demo_sources.common import END_DATE, RGPD_DATE, luhn_siren, random_date, substream, weighted_choice
from tools.demo_sources.members import Member
from tools.demo_sources.operators import Operator
from tools.demo_sources.referential import Referential

N_FIRMS = 44_000
N_CONSULTANCIES = 300
PUBLIC_COUNTS = {
    "ehpad": 2500,
    "ccas": 4000,
    "college": 4000,
    "lycee": 1500,
    "syndicat": 1200,
    "sivom": 800,
    "tourisme": 500,
}
REDESIGNATION, THIRD_DESIGNATION, SAME_DAY = 0.12, 0.15, 0.002
NAF_BY_FORM = {"association": ("S", "9499Z"), "spl": ("J", "6202A")}
NAME_ONLY = (
    "DPD MUTUALISE DU {}",
    "DELEGUE MUTUALISE {}",
    "CABINET {}",
    "M. LE DELEGUE A LA PROTECTION DES DONNEES",
)
CONTACT_EMAILS = (
    "dpo@exemple-demo.fr",
    "rgpd@exemple-demo.fr",
    "dpd@exemple-demo.fr",
    "contact-dpo@exemple-demo.fr",
)


@dataclass(frozen=True)
class Designee:
    type_dpo: str
    body: Body | None = None
    name_only: str = ""


INTERNAL = Designee("Personne physique")


class CnilGenerator:
    def __init__(self, ref: Referential, operators: list[Operator], members: dict[str, list[Member]], seed: int):
        self.ref = ref
        self.rng = substream(seed, "cnil")
        self.taken = {c.siren for c in ref.communes} | {e.siren for e in ref.epcis} | {o.siren for o in operators}
        self.taken |= {m.siren for ms in members.values() for m in ms if m.siren}
        self.towns = [c for c in ref.communes if c.postal_codes]
        self.cum_weights = list(itertools.accumulate(max(c.population, 1) for c in self.towns))
        self.opsn = {o.siren: self._opsn_body(o) for o in operators}
        self.dpd_of: dict[str, Body] = {}  # commune code or EPCI SIREN -> OPSN offering a DPD
        for operator in operators:
            if operator.offers_dpd:
                for member in (m for m in members[operator.siren] if m.code):
                    self.dpd_of.setdefault(member.code, self.opsn[operator.siren])
        self.dpd_by_dept = {d: self.opsn[o.siren] for o in operators if o.offers_dpd for d in o.departements}
        self.cdg = self._centres_de_gestion(operators)
        self.consultancies = [bodies.consultancy(self.rng, self._town(), self.taken) for _ in range(N_CONSULTANCIES)]
        self.epci_body = {
            e.siren: Body(
                e.siren,
                bodies.upper_plain(e.nom),
                "O",
                "8411Z",
                *bodies.address(self.rng, self._chef_lieu(e.dept)),
            )
            for e in ref.epcis
        }

    def _town(self):
        # Precomputed cumulative weights: `choices(weights=...)` would re-add 35,000 weights per call.
        return self.rng.choices(self.towns, cum_weights=self.cum_weights)[0]

    def _chef_lieu(self, dept: str):
        code = self.ref.departements.get(dept, {}).get("code_chef_lieu")
        return self.ref.by_code.get(code) or self.ref.by_dept[dept][0]

    def _opsn_body(self, operator: Operator) -> Body:
        section, naf = NAF_BY_FORM.get(operator.forme_juridique, ("O", "8411Z"))
        town = self._chef_lieu(operator.departements[0]) if operator.departements else self._town()
        return Body(operator.siren, bodies.upper_plain(operator.nom), section, naf, *bodies.address(self.rng, town))

    def _centres_de_gestion(self, operators: list[Operator]) -> dict[str, Body]:
        real = {
            o.departements[0]: self.opsn[o.siren]
            for o in operators
            if o.forme_juridique == "centre_de_gestion" and len(o.departements) == 1
        }
        result = {}
        for dept, row in self.ref.departements.items():
            if row["zone"] == "com" or dept not in self.ref.by_dept:
                continue
            result[dept] = real.get(dept) or Body(
                luhn_siren("28", self.rng, self.taken),
                f"CENTRE DE GESTION DE LA FONCTION PUBLIQUE TERRITORIALE - {bodies.upper_plain(row['nom'])}",
                "O",
                "8411Z",
                *bodies.address(self.rng, self._chef_lieu(dept)),
            )
        return result

    def _designee(self, choice: str, dept: str, key: str = "") -> Designee:
        rng = self.rng
        moral = "Personne morale" if rng.random() < 0.75 else "Personne physique"
        if choice == "opsn" and (key in self.dpd_of or dept in self.dpd_by_dept):
            return Designee(moral, self.dpd_of.get(key) or self.dpd_by_dept[dept])
        if choice == "cdg" and dept in self.cdg:
            return Designee(moral, self.cdg[dept])
        if choice == "epci" and self.ref.epci_of_commune.get(key) in self.epci_body:
            return Designee(moral, self.epci_body[self.ref.epci_of_commune[key]])
        if choice == "conseil":
            return Designee(moral, rng.choice(self.consultancies))
        if choice == "nom_seul":
            place = bodies.upper_plain(self.ref.departements.get(dept, {}).get("nom", "TERRITOIRE"))
            return Designee(
                moral,
                name_only=rng.choice(NAME_ONLY).format(rng.choice((place, rng.choice(bodies.SURNAMES)))),
            )
        return INTERNAL

    def _commune_choice(self, population: int, member_of_dpd: bool) -> str:
        if member_of_dpd and self.rng.random() < 0.8:
            return "opsn"
        if population >= 10_000:
            return weighted_choice(self.rng, {"interne": 65, "conseil": 25, "cdg": 5, "epci": 5})
        return weighted_choice(
            self.rng, {"interne": 25, "cdg": 35, "conseil": 15, "epci": 15, "nom_seul": 5, "opsn": 5}
        )

    def _dates(self) -> list[dt.date]:
        """Dates of one body's designations: many on 25/05/2018, some re-designated later."""
        rng = self.rng
        roll = rng.random()
        if roll < 0.38:
            first = RGPD_DATE
        elif roll < 0.41:
            first = RGPD_DATE - dt.timedelta(days=rng.randint(1, 140))
        else:
            first = RGPD_DATE + dt.timedelta(days=int((END_DATE - RGPD_DATE).days * rng.random() ** 1.7))
        dates = [first]
        if rng.random() < SAME_DAY:
            dates.append(first)
        elif rng.random() < REDESIGNATION:
            # Later designations fall anywhere before END_DATE; capping a random delay at
            # END_DATE would pile them all up on that one day.
            for _ in range(2 if rng.random() < THIRD_DESIGNATION else 1):
                earliest = dates[-1] + dt.timedelta(days=30)
                if earliest < END_DATE:
                    dates.append(random_date(rng, earliest))
        return dates

    def _designations(self, body: Body, dept: str, final: Designee, alternatives: dict[str, float], key: str = ""):
        dates = self._dates()
        for index, date in enumerate(dates):
            last = index == len(dates) - 1
            designee = final if last else self._designee(weighted_choice(self.rng, alternatives), dept, key)
            yield body, date, designee

    def designations(self):
        rng, ref = self.rng, self.ref
        early = {"interne": 50, "cdg": 30, "conseil": 20}
        for commune in ref.communes:
            member = commune.code in self.dpd_of
            chance = 0.75 if member else 0.36
            chance += 0.2 if commune.population >= 3500 else 0.0
            if commune.population >= 10_000:
                chance = max(chance, 0.93)
            if rng.random() < chance:
                final = self._designee(self._commune_choice(commune.population, member), commune.dept, commune.code)
                yield from self._designations(
                    bodies.commune_body(rng, commune), commune.dept, final, early, commune.code
                )
        for epci in ref.epcis:
            if rng.random() < 0.88:
                choice = weighted_choice(rng, {"interne": 50, "opsn": 20, "cdg": 15, "conseil": 15})
                designee = self._designee(choice, epci.dept, epci.siren)
                yield from self._designations(self.epci_body[epci.siren], epci.dept, designee, early)
        for body in [
            *self.opsn.values(),
            *{b.siren: b for b in self.cdg.values()}.values(),
            *self.consultancies,
        ]:
            yield from self._designations(body, "", INTERNAL, {"interne": 1})
        yield from self._public_bodies(early)
        for _ in range(N_FIRMS):
            town = self._town()
            body = bodies.firm(rng, town, self.taken)
            choice = weighted_choice(rng, {"interne": 55, "conseil": 38, "nom_seul": 4})
            yield from self._designations(
                body, town.dept, self._designee(choice, town.dept), {"interne": 1, "conseil": 1}
            )

    def _public_bodies(self, early: dict[str, float]):
        rng = self.rng
        plans = [("hopital", c) for c in self.towns if c.population >= 9000]
        for kind, count in PUBLIC_COUNTS.items():
            plans += [(kind, self._town()) for _ in range(count)]
        for dept in sorted(self.cdg):
            town = self._chef_lieu(dept)
            name = bodies.upper_plain(self.ref.departements[dept]["nom"])
            for prefix, label in (
                ("28", "SERVICE DEPARTEMENTAL D'INCENDIE ET DE SECOURS - {}"),
                ("22", "DEPARTEMENT - {}"),
            ):
                plans.append(
                    (
                        Body(
                            luhn_siren(prefix, rng, self.taken),
                            label.format(name),
                            "O",
                            "8425Z" if prefix == "28" else "8411Z",
                            *bodies.address(rng, town),
                        ),
                        town,
                    )
                )
        for kind, town in plans:
            if rng.random() >= 0.85:
                continue
            body = kind if isinstance(kind, Body) else bodies.public_body(rng, kind, town, self.taken)
            choice = weighted_choice(rng, {"interne": 45, "cdg": 20, "conseil": 20, "opsn": 15})
            yield from self._designations(body, town.dept, self._designee(choice, town.dept), early)
