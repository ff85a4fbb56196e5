"""The seeded generator of the embedded demonstration sources (scripts/generate_demo_sources.py).

The script runs once, on the real vendored referential, into a tmp dir; every test reads that run.
Reproducibility is checked against the committed `data/sources-demo/` (the same seed, written
elsewhere), and another seed by rebuilding only the member rows in process.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import random
import re
import subprocess
import sys
import tomllib
from collections import Counter
from functools import lru_cache
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import setuptools
from frictionless import Resource
from stdnum.fr import siren as stdnum_siren

from observatory.paths import EMBEDDED_SOURCES_DIR, REFERENTIAL_DIR, REPO_ROOT
from observatory.schemas import enum_values, field_names, load_descriptor, load_schema
from tools.demo_sources import messes
from tools.demo_sources.common import break_check_digit
from tools.demo_sources.declarations import adherent_rows
from tools.demo_sources.members import choose_members, territory
from tools.demo_sources.operators import build_operators, legal_form, opsn_rows
from tools.demo_sources.output import csv_bytes
from tools.demo_sources.referential import load_referential
from tools.demo_sources.truth import EXPECTED_TYPES, TRUTH_FIELDS

SCRIPT = REPO_ROOT / "scripts" / "generate_demo_sources.py"
CNIL = "cnil/opencnil-organismes-avec-dpo.csv.gz"
NOT_RESOLVED = {"hors_referentiel", "invalide", "non_trouve", "ambigu"}


def run_generator(out: Path, seed: int = 2026) -> None:
    subprocess.run(
        [sys.executable, str(SCRIPT), "--seed", str(seed), "--out", str(out)],
        check=True,
        capture_output=True,
        cwd=REPO_ROOT,
    )


def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def sha256_tree(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("demo") / "sources-demo"
    run_generator(target)
    return target


@pytest.fixture(scope="module")
def cnil_text(out) -> str:
    return gzip.decompress((out / CNIL).read_bytes()).decode("utf-8")


@pytest.fixture(scope="module")
def cnil_rows(cnil_text) -> list[list[str]]:
    return list(csv.reader(io.StringIO(cnil_text.removeprefix("\ufeff")), delimiter=";"))[1:]


@pytest.fixture(scope="module")
def declarations(out) -> dict[str, list[dict]]:
    return {name: read_csv(out / "declarations" / f"{name}.csv") for name in ("opsn", "adherents", "services")}


@pytest.fixture(scope="module")
def truth(out) -> list[dict]:
    return read_csv(out / "verite_terrain" / "adherents.csv")


def test_same_seed_gives_byte_identical_files(out):
    # The committed sources are the same seed written into another folder: every byte must match
    # (and a change to the generator must come with regenerated sources).
    assert sha256_tree(out) == sha256_tree(EMBEDDED_SOURCES_DIR)


def test_another_seed_gives_other_members(out):
    # Only what seed 7 changes is rebuilt, in process: operators, members, adherents rows.
    ref = load_referential(REFERENTIAL_DIR)
    operators, _ = build_operators(ref, 7)
    territories = {o.siren: territory(o, ref, 7) for o in operators}
    adherents, _ = adherent_rows(operators, choose_members(operators, ref, 7), territories, ref, 7)
    first = (out / "declarations" / "adherents.csv").read_bytes()
    assert csv_bytes(field_names("declaration/adherents"), adherents) != first
    # Identities are real, not drawn: only membre_declic may differ.
    ids = [(r["siren"], r["nom"], r["departements"]) for r in read_csv(out / "declarations" / "opsn.csv")]
    assert ids == [(r["siren"], r["nom"], r["departements"]) for r in opsn_rows(operators)]


def test_headers_are_the_schemas(out):
    for name in ("opsn", "adherents", "services"):
        with (out / "declarations" / f"{name}.csv").open(encoding="utf-8") as handle:
            assert handle.readline().rstrip("\n").split(",") == field_names(f"declaration/{name}")
    with (out / "verite_terrain" / "adherents.csv").open(encoding="utf-8") as handle:
        assert tuple(handle.readline().rstrip("\n").split(",")) == TRUTH_FIELDS


def test_opsn_identities(declarations):
    opsn = {row["nom"]: row for row in declarations["opsn"]}
    # 30 ANCT rows minus ANCT and TEST; ADM81 is kept on the first 9 digits of its SIRET.
    assert len(opsn) == 28
    assert "ANCT" not in opsn and "TEST" not in opsn
    sirens = {row["siren"] for row in declarations["opsn"]}
    assert "130026032" not in sirens and "215500505" not in sirens
    assert all(stdnum_siren.is_valid(siren) for siren in sirens)
    assert opsn["ADM81"]["siren"] == "378598262"
    assert opsn["Mégalis Bretagne"]["departements"] == "22|29|35|56"
    assert opsn["Mégalis Bretagne"]["site_web"] == "https://www.megalis.bretagne.bzh/"
    assert opsn["ADICA"]["departements"] == ""
    assert {opsn[n]["forme_juridique"] for n in ("CDG09", "CDG48")} == {"centre_de_gestion"}
    assert {opsn[n]["forme_juridique"] for n in ("GIP ARNia", "GIP Recia")} == {"gip"}
    assert {opsn[n]["forme_juridique"] for n in ("Adico", "ADM81")} == {"association"}
    assert {opsn[n]["forme_juridique"] for n in ("ATD24", "AT86", "Alpi")} == {"agence_technique_departementale"}
    assert opsn["SPL-XDEMAT"]["forme_juridique"] == "spl"
    assert opsn["Soluris"]["forme_juridique"] == "syndicat_mixte"
    declic = Counter(row["membre_declic"] for row in declarations["opsn"])
    assert set(declic) <= {"true", "false"} and declic["true"] > declic["false"]


def test_legal_form_fallback_for_unknown_operators():
    assert legal_form("CDG99", "289900007") == "centre_de_gestion"
    assert legal_form("GIP X", "180000000") == "gip"
    assert legal_form("Numérique X", "250000000") == "syndicat_mixte"


def test_adm81_anomaly_is_reported(out):
    manifest = json.loads((out / "MANIFEST.json").read_text(encoding="utf-8"))
    adm81 = [a for a in manifest["anomalies_identites"] if a["operateur"] == "ADM81"]
    assert len(adm81) == 1
    assert adm81[0]["anomalie"] == "siret_malforme"
    assert adm81[0]["valeur"] == "37859826200"
    assert adm81[0]["siren_retenu"] == "378598262"
    assert any(
        a["operateur"] == "ADICA" and a["anomalie"] == "departements_absents" for a in manifest["anomalies_identites"]
    )


def test_member_counts(declarations):
    sizes = Counter(row["siren_opsn"] for row in declarations["adherents"])
    assert set(sizes) == {row["siren"] for row in declarations["opsn"]}
    assert 15_000 <= sum(sizes.values()) <= 25_000
    assert all(7 <= size <= 2000 for size in sizes.values())
    ordered = sorted(sizes.values())
    assert 300 <= ordered[len(ordered) // 2] <= 550
    by_name = {row["nom"]: sizes[row["siren"]] for row in declarations["opsn"]}
    assert by_name["ADICA"] <= 60  # no département in its identity: a small list
    assert by_name["Mégalis Bretagne"] > by_name["CDG48"]


def test_services(declarations):
    codes = set(enum_values("declaration/services", "code_service"))
    per_opsn: dict[str, list[str]] = {}
    for row in declarations["services"]:
        per_opsn.setdefault(row["siren_opsn"], []).append(row["code_service"])
    assert set(per_opsn) == {row["siren"] for row in declarations["opsn"]}
    for offered in per_opsn.values():
        assert 3 <= len(offered) <= 19 and len(set(offered)) == len(offered)
        assert set(offered) <= codes  # never the ANCT catalogue ids (integers)
    dematerialisation = sum("dematerialisation" in offered for offered in per_opsn.values())
    assert dematerialisation >= 0.7 * len(per_opsn)


def _validate(out: Path, name: str):
    resource = Resource(
        path=f"{name}.csv", basepath=str(out / "declarations"), schema=load_schema(f"declaration/{name}")
    )
    return resource.validate(limit_errors=100_000)


def test_opsn_and_services_are_valid(out):
    for name in ("opsn", "services"):
        report = _validate(out, name)
        assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_adherents_break_only_non_blocking_constraints(out, truth):
    errors = _validate(out, "adherents").flatten(["rowNumber", "fieldName", "type"])
    blocking = {f["name"] for f in load_descriptor("declaration/adherents")["fields"] if f.get("x-bloquant")}
    assert blocking == {"siren_opsn", "date_adhesion"}
    assert not [e for e in errors if e[1] in blocking]
    kinds = Counter((e[1], e[2]) for e in errors)
    assert set(kinds) == {("type_adherent", "constraint-error"), ("code_insee_adherent", "constraint-error")}
    by_line = {int(row["numero_ligne"]): row["desordres"].split("|") for row in truth}
    # frictionless counts rows like the file's lines (header = 1), as numero_ligne does.
    for line, field, _ in errors:
        expected = "type_inconnu" if field == "type_adherent" else "zero_initial_perdu"
        assert expected in by_line[line], (line, field, by_line[line])
    assert kinds[("type_adherent", "constraint-error")] == sum("type_inconnu" in k for k in by_line.values())


def test_ground_truth_lines_up_with_adherents(declarations, truth):
    adherents = declarations["adherents"]
    assert len(truth) == len(adherents)
    communes = {c["code_insee"] for c in _communes()}
    for index, (row, expected) in enumerate(zip(adherents, truth, strict=True)):
        assert expected["numero_ligne"] == str(index + 2)
        assert expected["siren_opsn"] == row["siren_opsn"]
        assert expected["type_attendu"] in EXPECTED_TYPES
        assert (expected["code_attendu"] == "") == (expected["type_attendu"] in NOT_RESOLVED)
        if expected["type_attendu"] == "commune":
            assert expected["code_attendu"] in communes
        kinds = [k for k in expected["desordres"].split("|") if k]
        assert set(kinds) <= set(messes.KINDS)
        if not kinds and expected["type_attendu"] == "commune" and row["code_insee_adherent"]:
            assert row["code_insee_adherent"] == expected["code_attendu"]
    seen = Counter(k for row in truth for k in row["desordres"].split("|") if k)
    assert set(seen) == set(messes.KINDS)
    assert {row["type_attendu"] for row in truth} >= {
        "commune",
        "epci",
        "departement",
        "hors_referentiel",
        "invalide",
        "non_trouve",
        "ambigu",
    }


def test_messes_are_a_few_percent(truth):
    total = len(truth)
    seen = Counter(k for row in truth for k in row["desordres"].split("|") if k)
    for kind in ("majuscules_sans_accents", "st_abrege", "faute_frappe", "homonyme", "codes_manquants"):
        assert 0.01 * total <= seen[kind] <= 0.12 * total, (kind, seen[kind])
    assert 10 <= seen["rien_a_rapprocher"] <= 0.01 * total
    assert sum(1 for row in truth if not row["desordres"]) / total > 0.5


def test_members_mostly_in_territory_and_some_shared(declarations, truth):
    depts = {row["siren"]: set(row["departements"].split("|")) - {""} for row in declarations["opsn"]}
    dept_of = {c["code_insee"]: c["code_departement"] for c in _communes()}
    communes = [row for row in truth if row["type_attendu"] == "commune"]
    inside = sum(
        1
        for row in communes
        if not depts[row["siren_opsn"]] or dept_of[row["code_attendu"]] in depts[row["siren_opsn"]]
    )
    assert inside / len(communes) > 0.97
    declared_by = Counter((row["type_attendu"], row["code_attendu"]) for row in communes)
    shared = sum(1 for count in declared_by.values() if count > 1)
    assert 0.005 < shared / len(declared_by) < 0.10


def test_cnil_file_format(out, cnil_text, cnil_rows):
    raw = (out / CNIL).read_bytes()
    assert raw[:2] == b"\x1f\x8b" and raw[4:8] == b"\x00\x00\x00\x00"  # gzip mtime = 0
    assert raw[3] & 0x08 == 0  # no FNAME field
    assert cnil_text.startswith("\ufeff")
    assert "\r" not in cnil_text
    header = cnil_text.removeprefix("\ufeff").split("\n", 1)[0]
    assert header.split(";") == field_names("sources/cnil-organismes-avec-dpo")
    assert 70_000 <= len(cnil_rows) <= 100_000
    assert all(len(row) == 26 for row in cnil_rows)
    assert all(re.fullmatch(r"\d{2}/\d{2}/\d{4}", row[9]) for row in cnil_rows)
    assert {row[8] for row in cnil_rows} == set(enum_values("sources/cnil-organismes-avec-dpo", "Type de DPO"))
    assert sum(row[9] == "25/05/2018" for row in cnil_rows) > 0.2 * len(cnil_rows)
    assert all(re.fullmatch(r"[A-U]", row[2]) and re.fullmatch(r"\d{4}[A-Z]", row[3]) for row in cnil_rows)
    assert {row[7] for row in cnil_rows} >= {"France", "FRANCE"}
    assert any(row[6] == "NULL" for row in cnil_rows)
    assert any(re.fullmatch(r"\d{4}", row[5]) for row in cnil_rows)


def test_cnil_designations(cnil_rows, declarations):
    sirens = Counter(row[0] for row in cnil_rows)
    assert len(sirens) >= 50_000
    assert any(count > 1 for count in sirens.values())  # re-designations
    communes = {c["siren"] for c in _communes() if c["type_commune"] == "commune_actuelle" and c["siren"]}
    assert 0.35 < len(set(sirens) & communes) / len(communes) < 0.65
    opsn = {row["siren"] for row in declarations["opsn"]}
    assert sum(row[10] in opsn for row in cnil_rows) > 1000
    internal = [row for row in cnil_rows if not any(row[10:18])]
    assert 0.3 < len(internal) / len(cnil_rows) < 0.7
    assert any(row[11] and not row[10] for row in cnil_rows)  # designated body named, no SIREN
    # 46 recent communes really have a 93… SIREN, and three OPSN a 3…/7… one: not firms.
    public = communes | opsn
    firms = [r for r in cnil_rows if re.fullmatch(r"[3-9]\d{8}", r[0]) and r[0] not in public]
    assert firms and all(row[2] != "O" for row in firms)
    assert all(stdnum_siren.is_valid(row[0]) for row in cnil_rows if re.fullmatch(r"[12]\d{8}", row[0]))


def test_cnil_contacts_are_fake(cnil_rows):
    for row in cnil_rows:
        email, url, phone, address, postal, town, country, other = row[18:26]
        assert email == "" or email.endswith("@exemple-demo.fr")
        assert url in ("", "https://www.exemple-demo.fr/rgpd")
        assert phone == "" or re.fullmatch(r"0\d 00 00 00 00", phone)
        assert (address, postal, town, country) in {
            ("", "", "", ""),
            ("1 rue de l'Exemple", "00000", "VILLE-DEMO", "France"),
        }
        assert other == "" or "exemple-demo.fr" in other


def test_manifest_and_readme(out):
    manifest = json.loads((out / "MANIFEST.json").read_text(encoding="utf-8"))
    assert manifest["demonstration"] is True
    assert manifest["libelle"] == "données de démonstration"
    assert manifest["generateur"] == "scripts/generate_demo_sources.py"
    assert manifest["graine"] == 2026
    assert re.fullmatch(r"[0-9a-f]{64}", manifest["referentiel"])
    for entry in manifest["entrees_referentiel"]:
        path = REFERENTIAL_DIR / entry["chemin"].removeprefix("data/referentiel/")
        assert hashlib.sha256(path.read_bytes()).hexdigest() == entry["sha256"]
    listed = {f["chemin"]: f for f in manifest["fichiers"]}
    assert set(listed) == set(sha256_tree(out)) - {"MANIFEST.json"}
    for path, entry in listed.items():
        data = (out / path).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest() and entry["octets"] == len(data)
    assert listed["declarations/opsn.csv"]["lignes"] == 28
    readme = (out / "README.md").read_text(encoding="utf-8")
    assert "données de démonstration" in readme and "generate_demo_sources.py" in readme


def test_sizes_stay_small(out):
    assert (out / "declarations" / "adherents.csv").stat().st_size <= 3_000_000
    assert (out / CNIL).stat().st_size <= 5_000_000


def test_mess_transforms_by_hand():
    assert messes.move_article("La Rochelle") == "Rochelle (La)"
    assert messes.move_article("L'Abergement-Clémenciat") == "Abergement-Clémenciat (L')"
    assert messes.move_article("Lamballe-Armor") is None
    assert messes.abbreviate_saint("Saint-Martin-de-Ré") == "St-Martin-de-Ré"
    assert messes.abbreviate_saint("Sainte-Colombe") == "Ste-Colombe"
    assert messes.capitals_without_accents("Épinal-sur-Moselle Œuilly") == "EPINAL-SUR-MOSELLE OEUILLY"
    assert messes.drop_leading_zero("01001") == "1001" and messes.drop_leading_zero("22278") is None
    assert messes.expand_epci_sigle("CC du Pays de Gex") == "Communauté de communes du Pays de Gex"
    assert stdnum_siren.is_valid("210100012")
    broken = break_check_digit("210100012", random.Random(1))
    assert broken[:8] == "21010001" and not stdnum_siren.is_valid(broken)


@lru_cache(maxsize=1)
def _communes() -> list[dict]:
    return pq.read_table(REFERENTIAL_DIR / "communes.parquet").to_pylist()


def test_the_generator_is_not_part_of_the_installed_library():
    # What pyproject's packages.find selects is what a wheel ships: the library, not the demo tool.
    pyproject = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    include = pyproject["tool"]["setuptools"]["packages"]["find"]["include"]
    packages = setuptools.find_packages(str(REPO_ROOT), include=include)
    assert "observatory" in packages and "assets" in packages
    assert not [p for p in packages if p.startswith(("tools", "observatory.demo"))]
    # Nor may the installed code import it.
    for path in [*(REPO_ROOT / "observatory").rglob("*.py"), *(REPO_ROOT / "assets").rglob("*.py")]:
        assert not re.search(r"^\s*(from|import) tools\b", path.read_text(encoding="utf-8"), re.M), path
