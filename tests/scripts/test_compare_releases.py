"""scripts/compare_releases.py: the proof that a refactoring left the published rows unchanged."""

import json
import sys
from pathlib import Path

from observatory.paths import REPO_ROOT

sys.path.insert(0, str(REPO_ROOT / "scripts"))
from compare_releases import compare  # noqa: E402


def _release(root: Path, name: str, fields: list[str], rows: list[str]) -> Path:
    release = root / name
    release.mkdir()
    (release / "t.csv").write_text(",".join(fields) + "\n" + "".join(f"{row}\n" for row in rows), encoding="utf-8")
    schema = {"fields": [{"name": field} for field in fields]}
    package = {"resources": [{"name": "t", "format": "csv", "schema": schema}]}
    (release / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    return release


def test_same_rows_in_another_order_with_a_renamed_field_are_identical(tmp_path):
    before = _release(tmp_path, "avant", ["a", "siren_opsn"], ["1,x", "2,y"])
    after = _release(tmp_path, "apres", ["a", "sirens_opsn"], ["2,y", "1,x"])
    lines = compare(before, after, {"t": {"siren_opsn": "sirens_opsn"}})
    assert lines == ["identique t : 2 lignes, 2 champs (renommés : siren_opsn -> sirens_opsn)"]


def test_a_changed_row_or_an_undeclared_rename_is_reported(tmp_path):
    before = _release(tmp_path, "avant", ["a", "b"], ["1,x", "2,y"])
    changed = _release(tmp_path, "change", ["a", "b"], ["1,x", "2,z"])
    renamed = _release(tmp_path, "renomme", ["a", "c"], ["1,x", "2,y"])
    assert compare(before, changed, {}) == ["DIFFÉRENT t : 1 ligne(s) perdue(s), 1 ajoutée(s) sur 2"]
    assert compare(before, renamed, {})[0].startswith("DIFFÉRENT t : champs")


def test_a_new_field_is_set_aside_and_its_values_shown(tmp_path):
    before = _release(tmp_path, "avant", ["a"], ["1", "2"])
    after = _release(tmp_path, "apres", ["a", "source"], ["2,declaration", "1,declaration"])
    assert compare(before, after, {}, {"t": {"source"}}) == [
        "nouveau   t.source : valeurs declaration",
        "identique t : 2 lignes, 1 champs",
    ]
