"""The vendored referential as plain Python objects, in a stable (sorted) order.

Read through the library's own loader (`observatory.referential.load_referential`) into an
in-memory DuckDB, so the demo sees exactly the tables and types the pipeline sees; names are
compared with the library's name key (`observatory.reconcile.normalize`), the one the
reconciliation uses to call a name ambiguous.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from observatory import referential as cog
from observatory.reconcile.normalize import normalize_name

# The library's name key, remembered: the demo keys the same 40,000 names over and over.
name_key = functools.cache(normalize_name)

ANCT_FILE = "anct/operateurs-echantillon.json"
RECENT_SINCE = dt.date(2000, 1, 1)


@dataclass(frozen=True)
class Commune:
    code: str
    nom: str
    dept: str
    region: str
    zone: str
    siren: str
    population: int
    postal_codes: tuple[str, ...]


@dataclass(frozen=True)
class Epci:
    siren: str
    nom: str
    type_epci: str
    population: int
    dept: str


@dataclass(frozen=True)
class OldName:
    nom: str
    dept: str
    code: str


@dataclass
class Referential:
    communes: list[Commune]  # commune_actuelle with a SIREN, every zone, sorted by code
    epcis: list[Epci]
    departements: dict[str, dict]
    regions: dict[str, dict]
    old_names: dict[str, list[OldName]]  # current code -> former names
    epci_of_commune: dict[str, str]
    operators: list[dict]
    inputs: list[tuple[str, str]]  # (path relative to the referential dir, sha256)
    by_code: dict[str, Commune] = field(init=False)
    by_dept: dict[str, list[Commune]] = field(init=False)
    epci_by_dept: dict[str, list[Epci]] = field(init=False)
    name_index: dict[str, list[str]] = field(init=False)
    old_name_index: dict[str, set[str]] = field(init=False)

    def __post_init__(self) -> None:
        self.by_code = {c.code: c for c in self.communes}
        self.by_dept = defaultdict(list)
        self.name_index = defaultdict(list)
        for commune in self.communes:
            if commune.zone in ("metro", "drom"):
                self.by_dept[commune.dept].append(commune)
                self.name_index[name_key(commune.nom)].append(commune.code)
        self.epci_by_dept = defaultdict(list)
        for epci in self.epcis:
            self.epci_by_dept[epci.dept].append(epci)
        self.old_name_index = defaultdict(set)
        for code, names in self.old_names.items():
            for old in names:
                self.old_name_index[name_key(old.nom)].add(code)

    def member_communes(self, depts: list[str]) -> list[Commune]:
        """Communes an OPSN may declare: current communes of metro/DROM in its départements."""
        return [c for dept in depts for c in self.by_dept.get(dept, [])]

    @property
    def digest(self) -> str:
        """One SHA-256 over the inputs, like a SHA256SUMS file would list them."""
        lines = "".join(f"{digest}  {path}\n" for path, digest in self.inputs)
        return hashlib.sha256(lines.encode("utf-8")).hexdigest()


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _rows(con: duckdb.DuckDBPyConnection, name: str) -> list[dict]:
    """A referential table's rows in the order of its Parquet file (insertion order)."""
    cursor = con.execute(f"SELECT * FROM {cog.TABLES[name]} ORDER BY rowid")
    columns = [column[0] for column in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def _text(value) -> str:
    return "" if value is None else str(value)


def load_referential(directory: Path) -> Referential:
    if not (directory / ANCT_FILE).exists():
        raise FileNotFoundError(f"référentiel incomplet dans {directory}: {ANCT_FILE}")
    with duckdb.connect() as con:
        cog.load_referential(con, directory)
        tables = {name: _rows(con, name) for name in cog.TABLES}
    files = sorted((*(f"{name}.parquet" for name in cog.TABLES), ANCT_FILE))
    inputs = [(name, _sha256(directory / name)) for name in files]

    communes = []
    for row in tables["communes"]:
        if row["type_commune"] != "commune_actuelle" or not row["siren"]:
            continue
        postal = tuple(p for p in _text(row["codes_postaux"]).split("|") if p)
        communes.append(
            Commune(
                code=row["code_insee"],
                nom=row["nom"],
                dept=row["code_departement"],
                region=_text(row["code_region"]),
                zone=row["zone"],
                siren=row["siren"],
                population=int(row["population"] or 0),
                postal_codes=postal,
            )
        )
    communes.sort(key=lambda c: c.code)
    dept_of = {c.code: c.dept for c in communes}

    # An EPCI has no département of its own in the COG: take the one of most of its members.
    members_by_epci: dict[str, Counter] = defaultdict(Counter)
    epci_of_commune = {}
    for row in tables["epci_membres"]:
        if row["code_insee"] in dept_of:
            members_by_epci[row["siren_epci"]][dept_of[row["code_insee"]]] += 1
            epci_of_commune[row["code_insee"]] = row["siren_epci"]
    epcis = []
    for row in tables["epci"]:
        counts = members_by_epci.get(row["siren"])
        if not counts:
            continue
        dept = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[0][0]
        population = row.get("population_totale") or row.get("population") or 0
        epcis.append(Epci(row["siren"], row["nom"], _text(row["type_epci"]), int(population), dept))
    epcis.sort(key=lambda e: e.siren)

    departements = {
        row["code_departement"]: row for row in sorted(tables["departements"], key=lambda r: r["code_departement"])
    }
    regions = {row["code_region"]: row for row in sorted(tables["regions"], key=lambda r: r["code_region"])}

    old_names: dict[str, list[OldName]] = defaultdict(list)
    current_names = {c.code: name_key(c.nom) for c in communes}
    for row in tables["communes_historiques"]:
        code = row["code_insee_actuel"]
        if code not in current_names or not row["nom_ancien"]:
            continue
        if name_key(row["nom_ancien"]) == current_names[code]:
            continue
        # Declarations carry names people still use: délégué/associé communes and names
        # that ended recently, not a village merged in 1955.
        recent = row["date_fin"] is None or row["date_fin"] >= RECENT_SINCE
        if not (recent or row["origine"] in ("commune_deleguee_2026", "commune_associee_2026")):
            continue
        old = OldName(row["nom_ancien"], _text(row["code_departement_ancien"]), _text(row["code_ancien"]))
        if old not in old_names[code]:
            old_names[code].append(old)
    for names in old_names.values():
        names.sort(key=lambda o: (o.nom, o.code))

    with (directory / ANCT_FILE).open(encoding="utf-8") as handle:
        operators = json.load(handle)

    return Referential(
        communes=communes,
        epcis=epcis,
        departements=departements,
        regions=regions,
        old_names=dict(sorted(old_names.items())),
        epci_of_commune=epci_of_commune,
        operators=operators,
        inputs=inputs,
    )
