"""The release published from the mini sources: SMICA, an ANCT operator without declaration, is counted
from the ANCT file, and says so in `opsn`, `adhesions` and the release's sources."""

import csv
import json

SMICA = "251200861"


def _table(release, name: str) -> list[dict]:
    with (release / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_published_opsn_and_adhesions_say_which_source_they_come_from(mini_release):
    opsn = {row["siren"]: row for row in _table(mini_release, "opsn")}
    assert {siren: row["source_opsn"] for siren, row in opsn.items()} == {
        "252405147": "declaration",
        "284800026": "declaration",
        "200062628": "declaration",
        SMICA: "anct",
    }
    assert (opsn[SMICA]["forme_juridique"], opsn[SMICA]["membre_declic"]) == ("", "")
    adhesions = _table(mini_release, "adhesions")
    from_anct = [row for row in adhesions if row["source_adhesion"] == "anct"]
    assert {row["siren_opsn"] for row in from_anct} == {SMICA}
    assert sorted(row["nom_officiel"] for row in from_anct) == ["Millau", "Rodez"]
    assert int(opsn[SMICA]["nb_adhesions_declarees"]) == len(from_anct)
    indicators = {
        (r["code_indicateur"], r["niveau"], r["code_territoire"], r["modalite"]): r["valeur"]
        for r in _table(mini_release, "indicateurs")
    }
    assert float(indicators[("nb_adherents", "opsn", SMICA, "ensemble")]) == 2
    assert float(indicators[("nb_opsn", "france", "FR", "anct")]) == 1


def test_release_sources_name_the_anct_files(mini_release):
    descriptor = json.loads((mini_release / "datapackage.json").read_text(encoding="utf-8"))
    paths = {source.get("path"): source["title"] for source in descriptor["sources"]}
    assert "ANCT" in paths["operateurs-quotidien.csv"]
    assert "sans déclaration" in paths["adherents-quotidien.csv.gz"]
    readme = (mini_release / "README.md").read_text(encoding="utf-8")
    assert "adherents-quotidien.csv.gz" in readme and "source_adhesion" in readme
