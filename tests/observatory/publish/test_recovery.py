"""What a publication killed midway leaves is finished by the next one (the whole-graph
proof with SIGKILL is tests/assets/test_faults.py)."""

import json
import os

from observatory.publish import catalogue_index as index
from observatory.publish.recovery import recover_interrupted


def _version(exports, name: str, previous: str | None) -> None:
    (exports / name).mkdir(parents=True)
    package = {
        "version": name,
        "created": "2026-11-30T00:00:00Z",
        "version_precedente": previous,
        "resources": [{"name": "opsn", "format": "csv", "rows": 3}, {"name": "opsn_parquet", "format": "parquet"}],
    }
    (exports / name / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")


def test_dead_staging_is_removed_and_uncatalogued_versions_listed_in_publication_order(tmp_path):
    exports = tmp_path / "exports"
    _version(exports, "2026-11-30-aaaaaaaa", None)
    index.write_index(exports, [index.entry_from_folder(exports / "2026-11-30-aaaaaaaa", built_at="hier")])
    index.write_latest(exports, "2026-11-30-aaaaaaaa")
    # Two versions renamed into place, then the runs were killed before the catalogue was updated.
    _version(exports, "2026-11-30-cccccccc", "2026-11-30-aaaaaaaa")
    _version(exports, "2026-11-30-bbbbbbbb", "2026-11-30-cccccccc")
    (exports / ".staging-12345678-999999999-0000abcd" / "partiel").mkdir(parents=True)  # its run is dead
    live = exports / f".staging-87654321-{os.getpid()}-0000abcd"  # a run still at work: left alone
    live.mkdir()

    done = recover_interrupted(exports)

    entries = index.read_index(exports)
    assert [e["version"] for e in entries] == ["2026-11-30-aaaaaaaa", "2026-11-30-cccccccc", "2026-11-30-bbbbbbbb"]
    assert entries[0]["construit_le"] == "hier" and entries[1]["lignes"] == {"opsn": 3}
    assert (exports / "LATEST").read_text().strip() == "2026-11-30-bbbbbbbb"
    assert [p.name for p in exports.glob(".staging-*")] == [live.name]
    assert not [p for p in exports.iterdir() if p.name.endswith(".tmp")]
    assert len(done) == 3


def test_nothing_to_recover_is_a_legitimate_result(tmp_path):
    exports = tmp_path / "exports"
    exports.mkdir()
    assert recover_interrupted(exports) == []
