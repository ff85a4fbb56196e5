"""What a publication killed midway leaves is finished by the next one (the whole-graph
proof with SIGKILL is tests/assets/test_faults.py)."""

import json

from observatory.publish.release import HISTORY_FILE, _recover_interrupted


def _version(exports, name: str, created: str) -> None:
    (exports / name).mkdir(parents=True)
    package = {"created": created, "resources": [{"name": "opsn", "rows": 3}, {"name": "opsn_parquet"}]}
    (exports / name / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")


def test_stale_staging_is_removed_and_uncatalogued_versions_listed_in_build_order(tmp_path):
    exports = tmp_path / "exports"
    _version(exports, "2026-11-30-aaaaaaaa", "2026-11-30T04:00:00+00:00")
    (exports / HISTORY_FILE).write_text(json.dumps([{"version": "2026-11-30-aaaaaaaa"}]), encoding="utf-8")
    _version(exports, "2026-11-30-cccccccc", "2026-11-30T04:10:00+00:00")  # renamed, then killed
    _version(exports, "2026-11-30-bbbbbbbb", "2026-11-30T04:20:00+00:00")  # renamed, then killed
    (exports / ".staging-12345678" / "partiel").mkdir(parents=True)

    _recover_interrupted(exports)

    history = json.loads((exports / HISTORY_FILE).read_text(encoding="utf-8"))
    assert [e["version"] for e in history] == ["2026-11-30-aaaaaaaa", "2026-11-30-cccccccc", "2026-11-30-bbbbbbbb"]
    assert history[1]["lignes"] == {"opsn": 3} and history[1]["recuperee"] is True
    assert (exports / "LATEST").read_text().strip() == "2026-11-30-bbbbbbbb"
    assert not list(exports.glob(".staging-*"))
    assert not [p for p in exports.iterdir() if p.name.endswith(".tmp")]
