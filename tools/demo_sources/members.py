"""Who each OPSN declares: real collectivités of its territory, plus a few bodies outside the COG.

Sizes follow the 2020 Déclic study (7 to 2,000 members, median about 430, about half of
the OPSN between 200 and 500): most of the communes of the OPSN's départements, some of
their EPCI, sometimes the départements themselves, and syndicats/CCAS that no referential
lists. A few members lie outside the territory, some of them members of a neighbouring OPSN.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

from tools.demo_sources.common import luhn_siren, substream
from tools.demo_sources.operators import Operator
from tools.demo_sources.referential import Commune, Referential

MAX_MEMBERS = 2000
# Trimming target, leaving room for out-of-territory members and defective rows added later.
TRIM_TO = 1950
NO_TERRITORY_RANGE = (7, 60)
# Operators whose members are mostly EPCI and départements (fibre networks).
INFRASTRUCTURE_WORDS = ("Fibre",)
# Share of syndicats/CCAS/offices among the members, by legal form: associations and
# centres de gestion serve many small public bodies besides the communes.
OTHER_BODIES_SHARE = {
    "association": (0.20, 0.30),
    "centre_de_gestion": (0.15, 0.25),
    "agence_technique_departementale": (0.08, 0.15),
}
DEFAULT_OTHER_SHARE = (0.04, 0.10)
SYNDICAT_PATTERNS = (
    "SIVOM de {}",
    "SIVU scolaire de {}",
    "Syndicat des eaux de {}",
    "SIAEP de la région de {}",
    "Syndicat intercommunal d'électricité de {}",
    "SIRP de {}",
)
OTHER_PATTERNS = (
    "CCAS de {}",
    "Office de tourisme de {}",
    "EHPAD de {}",
    "Caisse des écoles de {}",
    "Régie des eaux de {}",
    "Association foncière de {}",
)


@dataclass(frozen=True)
class Member:
    kind: str  # commune | epci | departement | region | syndicat | autre
    code: str  # INSEE, EPCI SIREN, département or région code; "" outside the referential
    nom: str
    siren: str
    dept: str
    postal_code: str
    hors_territoire: bool = False


def commune_member(commune: Commune, outside: bool = False) -> Member:
    postal = commune.postal_codes[0] if commune.postal_codes else ""
    return Member("commune", commune.code, commune.nom, commune.siren, commune.dept, postal, outside)


def territory(operator: Operator, ref: Referential, seed: int) -> list[str]:
    """The OPSN's départements; one seeded metropolitan département when it declares none."""
    if operator.departements:
        return list(operator.departements)
    rng = substream(seed, f"territoire/{operator.siren}")
    metro = [code for code, row in ref.departements.items() if row["zone"] == "metro"]
    return [rng.choice(metro)]


def _other_bodies(rng: random.Random, communes: list[Commune], count: int, taken: set[str]) -> list[Member]:
    bodies, names = [], set()
    for _ in range(count * 3):
        if len(bodies) >= count:
            break
        commune = rng.choice(communes)
        kind = "syndicat" if rng.random() < 0.5 else "autre"
        nom = rng.choice(SYNDICAT_PATTERNS if kind == "syndicat" else OTHER_PATTERNS).format(commune.nom)
        if nom in names:
            continue
        names.add(nom)
        siren = luhn_siren("25" if kind == "syndicat" else "26", rng, taken)
        postal = commune.postal_codes[0] if commune.postal_codes else ""
        bodies.append(Member(kind, "", nom, siren, commune.dept, postal))
    return bodies


def _collectivites(operator: Operator, ref: Referential, depts: list[str], rng: random.Random) -> list[Member]:
    communes = ref.member_communes(depts)
    epcis = [e for dept in depts for e in ref.epci_by_dept.get(dept, [])]
    if not operator.departements:
        size = rng.randint(*NO_TERRITORY_RANGE)
        epci_count = min(len(epcis), size // 5)
        picked = rng.sample(communes, size - epci_count)
        return [commune_member(c) for c in sorted(picked, key=lambda c: c.code)] + [
            Member("epci", e.siren, e.nom, e.siren, e.dept, "") for e in rng.sample(epcis, epci_count)
        ]
    infrastructure = any(word in operator.nom for word in INFRASTRUCTURE_WORDS)
    # Multi-département OPSN (Mégalis, e-Collectivités, Recia…) are the largest in the study.
    coverage = (
        rng.uniform(0.01, 0.05) if infrastructure else rng.uniform(*(0.75, 0.97) if len(depts) > 1 else (0.6, 0.97))
    )
    epci_share = rng.uniform(0.8, 1.0) if infrastructure else rng.uniform(0.4, 0.95)
    picked_communes = rng.sample(communes, round(coverage * len(communes)))
    picked_epcis = rng.sample(epcis, round(epci_share * len(epcis)))
    dept_rate = 0.9 if infrastructure or operator.forme_juridique == "agence_technique_departementale" else 0.35
    members = [commune_member(c) for c in sorted(picked_communes, key=lambda c: c.code)]
    members += [
        Member("epci", e.siren, e.nom, e.siren, e.dept, "") for e in sorted(picked_epcis, key=lambda e: e.siren)
    ]
    for dept in depts:
        if operator.forme_juridique != "centre_de_gestion" and rng.random() < dept_rate:
            members.append(Member("departement", dept, ref.departements[dept]["nom"], "", dept, ""))
    regions = sorted({ref.departements[d]["code_region"] for d in depts})
    if len(depts) >= 4 and rng.random() < 0.75:
        region = regions[0]
        members.append(Member("region", region, ref.regions[region]["nom"], "", "", ""))
    return members


def _outside(
    operator: Operator,
    ref: Referential,
    depts: list[str],
    picked: list[Member],
    neighbours: list[Member],
    rng: random.Random,
) -> list[Member]:
    """Out-of-territory communes: half taken among the members of OPSN of the same région."""
    count = max(1, round(len(picked) * rng.uniform(0.005, 0.015)))
    regions = {ref.departements[d]["code_region"] for d in depts}
    nearby = [c for c in ref.communes if c.region in regions and c.dept not in depts and c.zone != "com"]
    if not nearby:
        # A territory covering its whole région (Bretagne): fall back on départements
        # with close numbers, a rough stand-in for adjacency that needs no geometry.
        numbers = {int(d) for d in depts if d.isdigit()}
        nearby = [
            c
            for c in ref.communes
            if c.dept.isdigit()
            and c.dept not in depts
            and c.zone == "metro"
            and any(abs(int(c.dept) - n) <= 2 for n in numbers)
        ]
    already = {m.code for m in picked}
    chosen: dict[str, Member] = {}
    for index in range(count * 4):
        if len(chosen) >= count:
            break
        if neighbours and index % 2 == 0:
            member = rng.choice(neighbours)
            if member.dept in depts:
                continue
            candidate = replace(member, hors_territoire=True)
        elif nearby:
            candidate = commune_member(rng.choice(nearby), outside=True)
        else:
            continue
        if candidate.code not in already and candidate.code not in chosen:
            chosen[candidate.code] = candidate
    return [chosen[code] for code in sorted(chosen)]


def _trim(members: list[Member], rng: random.Random) -> list[Member]:
    """At most TRIM_TO: drop communes only, so a big OPSN keeps its EPCI and départements."""
    excess = len(members) - TRIM_TO
    if excess <= 0:
        return members
    dropped = set(rng.sample([m.code for m in members if m.kind == "commune"], excess))
    return [m for m in members if not (m.kind == "commune" and m.code in dropped)]


def choose_members(operators: list[Operator], ref: Referential, seed: int) -> dict[str, list[Member]]:
    """Clean members of every OPSN, keyed by OPSN SIREN, in a seeded order."""
    taken = {c.siren for c in ref.communes} | {e.siren for e in ref.epcis} | {o.siren for o in operators}
    chosen: dict[str, list[Member]] = {}
    territories = {o.siren: territory(o, ref, seed) for o in operators}
    for operator in operators:
        rng = substream(seed, f"adherents/{operator.siren}")
        depts = territories[operator.siren]
        members = _collectivites(operator, ref, depts, rng)
        share = OTHER_BODIES_SHARE.get(operator.forme_juridique, DEFAULT_OTHER_SHARE)
        if operator.departements:
            communes = ref.member_communes(depts)
            members += _other_bodies(rng, communes, round(len(members) * rng.uniform(*share)), taken)
        chosen[operator.siren] = _trim(members, rng)
    for operator in operators:
        if not operator.departements:
            continue
        rng = substream(seed, f"hors-territoire/{operator.siren}")
        depts = territories[operator.siren]
        regions = {ref.departements[d]["code_region"] for d in depts}
        neighbours = [
            m
            for other in operators
            if other.siren != operator.siren
            for m in chosen[other.siren]
            if m.kind == "commune" and not m.hors_territoire and ref.by_code[m.code].region in regions
        ]
        members = chosen[operator.siren]
        members += _outside(operator, ref, depts, members, neighbours, rng)
    for operator in operators:
        substream(seed, f"ordre/{operator.siren}").shuffle(chosen[operator.siren])
    return chosen
