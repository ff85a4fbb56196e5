"""The real referential as the messy-declaration generator reads it, and what a name designates.

A name's truth is taken from its normalised key (observatory.reconcile.normalize), current and
former names together, in the context a row gives: its département, its postal code, or none.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

import duckdb

from observatory.reconcile.normalize import normalize_name
from observatory.reconcile.referential_index import OLD_NAME_CUTOFF_YEAR


@dataclass
class Commune:
    code: str
    nom: str
    dept: str
    siren: str
    postal: list[str]


@dataclass
class Referential:
    communes: list[Commune]
    by_code: dict[str, Commune]
    # name key -> {target code: set of départements the name is read in}
    targets: dict[str, dict[str, set[str]]]
    old_names: list[tuple[str, str, str, str]]  # (old code, old name, old département, target)
    epcis: list[tuple[str, str, list[str]]]  # (siren, name, départements)
    epci_keys: dict[str, list[str]]
    departements: list[tuple[str, str]]
    arrondissements: list[tuple[str, str, str]]  # (code, name, parent)
    discarded_typos: int = 0
    discarded_spellings: int = 0
    postal_to_communes: dict[str, set[str]] = field(default_factory=dict)
    # (name key, code) pairs by a name in use: current, or old but ended since OLD_NAME_CUTOFF_YEAR.
    in_use: set[tuple[str, str]] = field(default_factory=set)
    # (old code, old name, old département, target, year the name ended or None)
    old_name_years: list[tuple[str, str, str, str, int | None]] = field(default_factory=list)


def load_referential_data(con: duckdb.DuckDBPyConnection) -> Referential:
    rows = con.execute("""SELECT code_insee, nom, code_departement, coalesce(siren, ''), coalesce(codes_postaux, '')
                          FROM core_cog__communes WHERE type_commune = 'commune_actuelle' AND zone <> 'com'
                          ORDER BY code_insee""").fetchall()
    communes = [Commune(c, n, d, s, [p for p in cps.split("|") if p]) for c, n, d, s, cps in rows]
    by_code = {c.code: c for c in communes}
    targets: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    in_use = set()
    for commune in communes:
        targets[normalize_name(commune.nom)][commune.code].add(commune.dept)
        in_use.add((normalize_name(commune.nom), commune.code))
        if "(" in commune.nom:
            short = normalize_name(re.sub(r"\s*\([^)]*\)", "", commune.nom))
            targets[short][commune.code].add(commune.dept)
            in_use.add((short, commune.code))
    old_names, old_name_years = [], []
    for code, nom, dept, target, year in con.execute("""
            SELECT code_ancien, nom_ancien, code_departement_ancien, code_insee_actuel, year(date_fin)
            FROM core_cog__communes_historiques
            UNION
            SELECT code_insee, nom, code_departement, code_commune_parente, NULL FROM core_cog__communes
            WHERE type_commune IN ('commune_deleguee', 'commune_associee')""").fetchall():
        if target in by_code:
            targets[normalize_name(nom)][target].update({dept, by_code[target].dept})
            old_names.append((code, nom, dept, target))
            old_name_years.append((code, nom, dept, target, year))
            if year is None or year >= OLD_NAME_CUTOFF_YEAR:
                in_use.add((normalize_name(nom), target))
    arrondissements = con.execute("""SELECT code_insee, nom, code_commune_parente FROM core_cog__communes
                                     WHERE type_commune = 'arrondissement_municipal'""").fetchall()
    for _, nom, parent in arrondissements:
        targets[normalize_name(nom)][parent].add(by_code[parent].dept)
        in_use.add((normalize_name(nom), parent))
    epcis = [
        (s, n, list(d))
        for s, n, d in con.execute("""
        SELECT e.siren, e.nom, list(DISTINCT c.code_departement ORDER BY c.code_departement)
        FROM core_cog__epci e JOIN core_cog__epci_membres m ON m.siren_epci = e.siren
        JOIN core_cog__communes c ON c.code_insee = m.code_insee AND c.type_commune = 'commune_actuelle'
        GROUP BY ALL ORDER BY e.siren""").fetchall()
    ]
    epci_keys = defaultdict(list)
    for siren, nom, _ in epcis:
        epci_keys[normalize_name(nom)].append(siren)
    postal = defaultdict(set)
    for commune in communes:
        for code in commune.postal:
            postal[code].add(commune.code)
    departements = con.execute(
        "SELECT code_departement, nom FROM core_cog__departements WHERE zone <> 'com'"
    ).fetchall()
    return Referential(
        communes,
        by_code,
        targets,
        old_names,
        epcis,
        epci_keys,
        departements,
        arrondissements,
        postal_to_communes=postal,
        in_use=in_use,
        old_name_years=old_name_years,
    )


def truth_by_name(ref: Referential, name: str, dept: str = "", postal: str = "") -> tuple[str, str]:
    """What the name alone designates in its context: ('commune', code) or ('ambigu', '') / ('non_trouve', '').

    Where some commune of the context bears the name today (or bore it since
    OLD_NAME_CUTOFF_YEAR), the communes that bore it long ago are not candidates."""
    key = normalize_name(name)
    candidates = ref.targets.get(key, {})
    if dept:
        found = [code for code, depts in candidates.items() if dept in depts]
    elif postal:
        found = [code for code in candidates if postal in ref.by_code[code].postal]
    else:
        found = list(candidates)
    if not found:
        return "non_trouve", ""
    found = [code for code in found if (key, code) in ref.in_use] or found
    return ("commune", found[0]) if len(found) == 1 else ("ambigu", "")
