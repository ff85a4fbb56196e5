"""Local mode: a steward's own folder, same layout, same graph; bad input stops the run cleanly."""

import json
import shutil
from pathlib import Path

from tests.assets.conftest import run_everything

MINI = Path("tests/fixtures/sources-mini")


def test_a_stewards_folder_runs_end_to_end_and_is_not_marked_demo(mini_run):
    tmp_path, result, _, _ = mini_run  # observatoire_complet on the mini folder, local mode
    assert result.success
    version = (tmp_path / "exports" / "LATEST").read_text().strip()
    descriptor = json.loads((tmp_path / "exports" / version / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["demonstration"] is False
    assert "démonstration" not in descriptor["title"]
    assert any(s["mode"] == "local" for s in descriptor["sources"] if "mode" in s)


def test_bad_input_names_file_row_and_field_and_leaves_published_releases_alone(mini_run, tmp_path):
    sources = tmp_path / "sources"
    shutil.copytree(MINI, sources)
    # The releases already published: those of the session's run on the same folder.
    assert mini_run[1].success
    exports = tmp_path / "exports"
    shutil.copytree(mini_run[0] / "exports", exports)
    published = {p.relative_to(exports): p.read_bytes() for p in exports.rglob("*") if p.is_file()}

    members = sources / "declarations" / "adherents.csv"
    lines = members.read_text(encoding="utf-8").splitlines()
    fields = lines[1].split(",")
    fields[0] = "999999999"  # an OPSN that opsn.csv does not declare
    lines[1] = ",".join(fields)
    members.write_text("\n".join(lines) + "\n", encoding="utf-8")

    result = run_everything(tmp_path, mode="local", sources_dir=str(sources))
    assert not result.success
    failure = next(e for e in result.all_events if e.event_type_value == "STEP_FAILURE")
    message = str(failure.event_specific_data.error)
    assert "adherents.csv, ligne 2, champ « siren_opsn »" in message
    assert {p.relative_to(exports): p.read_bytes() for p in exports.rglob("*") if p.is_file()} == published
