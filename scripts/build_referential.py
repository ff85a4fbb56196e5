"""Rebuild the vendored official referential in data/referentiel/ (see its README) from the npm package
@etalab/decoupage-administratif (6.0.0 = COG 2026; 0.7.0 = COG 2019 and the INSEE commune history) and
the ANCT "Suite territoriale" sample dump. Rows are sorted and nothing records a time, so identical
inputs give byte-identical files, provenance.json included."""

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from observatory.paths import REFERENTIAL_DIR, REPO_ROOT  # noqa: E402
from observatory.schemas import arrow_schema, primary_key  # noqa: E402

PACKAGE = "@etalab/decoupage-administratif"
CURRENT, HISTORY = "6.0.0", "0.7.0"
FILES = {
    CURRENT: ("COG 2026", ["communes", "epci", "departements", "regions"]),
    HISTORY: ("COG 2019 et historique des communes", ["communes", "historique-communes"]),
}
# Pinned so that both input modes describe, and yield, exactly the same thing.
TARBALLS = {
    CURRENT: {"sha256": "c189ffd5b33fe40c2f19e1a923ce557f190622f39228745d3195d746dfe00c4a", "bytes": 1603831},
    HISTORY: {"sha256": "4643f584e1502d38a9baefe6e5b478aa8d5077bcd7e8972461dbbaceb66559f0", "bytes": 2017359},
}
COG_PRODUCER = "INSEE (COG, populations légales), DGCL (EPCI), mis en forme par Etalab"
SHARED_REFERENCE = REPO_ROOT.parent / "shared" / "reference"
ANCT_SOURCE = {
    "source": "ANCT Suite territoriale (échantillon du 2026-03-23)",
    "repository": "https://github.com/suitenumerique/st-home",
    "commit": "52679aaebd2875540f0a212ede3f73ee1a157006",
    "licence": "MIT",
    "producer": "ANCT",
}
ANCT_FILES = {
    "operateurs-echantillon.json": "data/dumps-sample/operators.json",
    "services-echantillon.json": "data/dumps-sample/services.json",
}
# Provenance names the published location, whatever directory a build writes to (tests use tmp dirs).
PUBLISHED_DIR = Path("data/referentiel")
# When sources agree on (old code, old name, target), the most direct and recent one names the row.
ORIGIN_PRIORITY = [
    "commune_deleguee_2026",
    "commune_associee_2026",
    "anciens_codes_2026",
    "ancien_nom",
    "commune_2019",
    "historique_2019",
]
UNKNOWN_END = "?"
DROP_REASONS = ["target_not_current", "no_name", "current_code_to_other_commune", "trivial"]


def digest(path: Path) -> dict:
    return {"sha256": hashlib.sha256(data := path.read_bytes()).hexdigest(), "bytes": len(data)}


def npm_pack(version: str, workdir: Path) -> Path:
    (target := workdir / version).mkdir()
    command = ["npm", "pack", "--loglevel=error", f"{PACKAGE}@{version}"]
    subprocess.run(command, cwd=target, check=True, stdout=subprocess.DEVNULL)  # errors stay on stderr
    (tarball,) = target.glob("*.tgz")
    if digest(tarball) != TARBALLS[version]:
        raise ValueError(f"{tarball.name}: empreinte inattendue {digest(tarball)}")
    with tarfile.open(tarball) as archive:
        archive.extractall(target, filter="data")
    return target / "package" / "data"


def gather_inputs(source: str, workdir: Path) -> tuple[dict[str, Path], Path | None, list[dict]]:
    """Data directory per version, ANCT directory (None: keep the vendored copy), input records."""
    dirs, inputs = {}, []
    for version, (edition, names) in FILES.items():
        dirs[version] = (
            npm_pack(version, workdir) if source == "npm" else Path(source) / "decoupage-administratif" / version
        )
        files = [{"file": f"package/data/{name}.json", **digest(dirs[version] / f"{name}.json")} for name in names]
        inputs.append(
            {
                "source": f"{PACKAGE} {version} ({edition})",
                "npm_package": PACKAGE,
                "version": version,
                "file": f"etalab-decoupage-administratif-{version}.tgz",
                "licence": "Licence Ouverte / Open Licence 2.0",
                "producer": COG_PRODUCER,
                **TARBALLS[version],
                "files": files,
            }
        )
    anct = (SHARED_REFERENCE if source == "npm" else Path(source)) / "anct-suite-territoriale"
    return dirs, anct if anct.is_dir() else None, inputs


def load(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))


class History:
    """Leads any old commune (INSEE history up to COG 2019, then COG 2026) to a 2026 commune_actuelle."""

    def __init__(self, communes_2026: list[dict], communes_2019: list[dict], history: list[dict]):
        self.communes_2026, self.communes_2019, self.history = communes_2026, communes_2019, history
        self.current = {c["code"]: c["nom"] for c in communes_2026 if c["type"] == "commune-actuelle"}
        self.old_code = {old: c["code"] for c in communes_2026 for old in c.get("anciensCodes", [])}
        self.attached = {c["code"]: c["chefLieu"] for c in communes_2026 if "chefLieu" in c}
        self.by_id = {entity["id"]: entity for entity in history}

    def to_2026(self, code: str) -> str | None:
        # A déléguée/associée status is today's fact; anciensCodes may keep a commune it has since left.
        return code if code in self.current else self.attached.get(code) or self.old_code.get(code)

    def resolve(self, entity: dict) -> str | None:
        """Follow successors to the entity alive in 2019, then its pole, then port the code to 2026."""
        for _ in range(len(self.by_id)):  # bounded: a cycle in the data ends as "unresolved"
            if "successeur" in entity:
                entity = self.by_id[entity["successeur"]]
            elif "dateFin" in entity:
                # A dissolved fusion has no successor: its code lives on in the member that kept it.
                kept = [m for m in entity.get("membres", []) if self.by_id[m]["code"] == entity["code"]]
                if entity.get("raisonFin") != "dé-fusion" or not kept:
                    return None  # "suppression": the territory went to no single commune
                entity = self.by_id[kept[0]]
            elif entity["code"] in self.current or "pole" not in entity:
                # Alive in 2019; a déléguée whose code is current again was restored after 2019.
                return self.to_2026(entity["code"])
            else:
                # 2019 poles may be stale (a COMP whose commune later ended), hence the loop.
                entity = self.by_id[entity["pole"]]
        return None

    def candidates(self):
        """(old code, old name, target, origine, end: ISO date, None if alive in 2019, or UNKNOWN_END)."""
        for entity in self.history:
            # A COMP (part of a fused commune) repeats the code and name of its predecessor and often
            # never ends in the data, which would hide the real end date.
            if entity["type"] != "COMP":
                end = entity.get("dateFin")
                yield entity["code"], entity["nom"], self.resolve(entity), "historique_2019", end
        for c in self.communes_2019:
            if c["type"] != "arrondissement-municipal":
                target = self.to_2026(c["code"]) or self.to_2026(c.get("chefLieu", ""))
                renamed = c["type"] == "commune-actuelle" and c["code"] in self.current
                yield c["code"], c["nom"], target, "ancien_nom" if renamed else "commune_2019", None
        # anciensCodes reach back before 2019: every name such a code has carried leads to the commune.
        names: dict[str, set[str]] = {}
        for entity in [*self.history, *self.communes_2019, *self.communes_2026]:
            names.setdefault(entity["code"], set()).add(entity["nom"])
        for c in self.communes_2026:
            for old in c.get("anciensCodes", []):
                for name in sorted(names.get(old, {None})):
                    yield old, name, c["code"], "anciens_codes_2026", UNKNOWN_END
            if "chefLieu" in c:
                yield c["code"], c["nom"], c["chefLieu"], c["type"].replace("-", "_") + "_2026", None

    def rows(self) -> tuple[list[dict], dict[str, int]]:
        dropped = dict.fromkeys(DROP_REASONS, 0)
        found: dict[tuple, tuple[str, set]] = {}
        for code, name, target, origin, end in self.candidates():
            # A code with a status in 2026 (actuelle, déléguée, associée) leads only where that status says.
            owner = self.to_2026(code) if code in self.current or code in self.attached else target
            reason = (
                "target_not_current"
                if target not in self.current
                else "no_name"
                if name is None
                else "current_code_to_other_commune"
                if target != owner
                else "trivial"
                if code == target and name == self.current[code]
                else None
            )
            if reason:
                dropped[reason] += 1
                continue
            best, ends = found.get((code, name, target), (origin, set()))
            found[(code, name, target)] = (min(best, origin, key=ORIGIN_PRIORITY.index), ends | {end})
        rows = []
        for (code, name, target), (origin, ends) in sorted(found.items()):
            # Alive in 2019 (None) beats any earlier end; UNKNOWN_END says nothing either way.
            known = sorted(ends - {None, UNKNOWN_END})
            end = None if None in ends or not known else date.fromisoformat(known[-1])
            department = code[:3] if code[:2] in ("97", "98") else code[:2]
            rows.append(
                {
                    "code_ancien": code,
                    "nom_ancien": name,
                    "code_departement_ancien": department,
                    "code_insee_actuel": target,
                    "origine": origin,
                    "date_fin": end,
                }
            )
        return rows, dropped


def build_tables(dirs: dict[str, Path]) -> tuple[dict[str, list[dict]], dict[str, int]]:
    current, old = dirs[CURRENT], dirs[HISTORY]
    communes, epci = load(current / "communes.json"), load(current / "epci.json")
    history = History(communes, load(old / "communes.json"), load(old / "historique-communes.json"))
    historical, dropped = history.rows()
    return {
        "communes": [
            {
                "code_insee": c["code"],
                "type_commune": c["type"].replace("-", "_"),
                "nom": c["nom"],
                "code_departement": c["departement"],
                "code_region": c["region"],
                "zone": c["zone"],
                "siren": c.get("siren"),
                "population": c.get("population"),
                "codes_postaux": "|".join(c.get("codesPostaux", [])) or None,
                "code_commune_parente": c.get("chefLieu") or c.get("commune"),
                "code_arrondissement": c.get("arrondissement") or None,
            }
            for c in communes
        ],
        "epci": [
            {
                "siren": e["code"],
                "nom": e["nom"],
                "type_epci": e["type"],
                "mode_financement": e["modeFinancement"],
                "population": e["populationMunicipale"],
                "population_totale": e["populationTotale"],
            }
            for e in epci
        ],
        "epci_membres": [
            {"siren_epci": e["code"], "code_insee": m["code"], "siren_commune": m["siren"]}
            for e in epci
            for m in e["membres"]
        ],
        "departements": [
            {
                "code_departement": d["code"],
                "nom": d["nom"],
                "code_region": d["region"],
                "zone": d["zone"],
                "code_chef_lieu": d["chefLieu"],
            }
            for d in load(current / "departements.json")
        ],
        "regions": [
            {"code_region": r["code"], "nom": r["nom"], "zone": r["zone"], "code_chef_lieu": r["chefLieu"]}
            for r in load(current / "regions.json")
        ],
        "communes_historiques": historical,
    }, dropped


def write_table(name: str, rows: list[dict], output: Path) -> dict:
    schema, key = arrow_schema(f"referentiel/{name}"), primary_key(f"referentiel/{name}")
    # from_pylist would silently drop unknown keys and null missing ones: rows must match the schema.
    if any(set(row) != set(schema.names) for row in rows):
        raise ValueError(f"{name}: colonnes différentes du Table Schema {schema.names}")
    rows = sorted(rows, key=lambda row: tuple(row[k] for k in key))
    if len({tuple(row[k] for k in key) for row in rows}) != len(rows):
        raise ValueError(f"{name}: clé primaire {key} non unique")
    pq.write_table(
        pa.Table.from_pylist(rows, schema=schema),
        path := output / f"{name}.parquet",
        compression="zstd",
        compression_level=19,
    )
    return {"path": str(PUBLISHED_DIR / path.name), **digest(path), "rows": len(rows)}


def vendor_anct(anct: Path | None, output: Path) -> tuple[list[dict], list[dict]]:
    """Copy the ANCT dump as-is; with no shared folder (npm mode elsewhere), keep the vendored copy."""
    (output / "anct").mkdir(parents=True, exist_ok=True)
    inputs, outputs = [], []
    for name, upstream in ANCT_FILES.items():
        origin, target = (anct or REFERENTIAL_DIR / "anct") / name, output / "anct" / name
        if origin.resolve() != target.resolve():
            shutil.copyfile(origin, target)
        inputs.append({**ANCT_SOURCE, "file": upstream, **digest(target)})
        outputs.append({"path": f"{PUBLISHED_DIR}/anct/{name}", **digest(target), "rows": len(load(target))})
    return inputs, outputs


def build(source: str, output: Path) -> dict:
    output.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as workdir:
        dirs, anct, inputs = gather_inputs(source, Path(workdir))
        tables, dropped = build_tables(dirs)
    outputs = [write_table(name, rows, output) for name, rows in tables.items()]
    anct_inputs, anct_outputs = vendor_anct(anct, output)
    by_origin = Counter(row["origine"] for row in tables["communes_historiques"])
    history = {"rows_by_origin": dict(sorted(by_origin.items())), "dropped": dropped}
    provenance = {
        "description": "Référentiel officiel vendorisé : COG 2026, historique des communes, ANCT.",
        "generator": "scripts/build_referential.py",
        "inputs": inputs + anct_inputs,
        "outputs": outputs + anct_outputs,
        "communes_historiques": history,
    }
    text = json.dumps(provenance, ensure_ascii=False, indent=2) + "\n"
    (output / "provenance.json").write_text(text, encoding="utf-8")
    return provenance


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=" ".join(__doc__.split()))
    default = str(SHARED_REFERENCE) if SHARED_REFERENCE.is_dir() else "npm"
    parser.add_argument(
        "--from",
        dest="source",
        default=default,
        help="'npm' (npm pack) or a folder holding decoupage-administratif/<version>/",
    )
    parser.add_argument("--output", type=Path, default=REFERENTIAL_DIR, help="default: data/referentiel")
    provenance = build(**vars(parser.parse_args(argv)))
    print("\n".join(f"{e['path']}: {e['rows']} lignes, {e['bytes']} octets" for e in provenance["outputs"]))
    print("communes_historiques:", json.dumps(provenance["communes_historiques"], ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
