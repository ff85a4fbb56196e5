"""scripts/build_referential.py rebuilds the vendored referential exactly from the shared reference folder."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from observatory.paths import REFERENTIAL_DIR
from observatory.schemas import arrow_schema
from scripts import build_referential

SHARED = build_referential.SHARED_REFERENCE
pytestmark = pytest.mark.skipif(
    not (SHARED / "decoupage-administratif").is_dir(),
    reason=f"dossier de référence partagé absent ({SHARED}) : reconstruction non testable hors ligne",
)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def local(output: Path, published: str) -> Path:
    """provenance.json names the published location (data/referentiel/...); map it into `output`."""
    return output / Path(published).relative_to(build_referential.PUBLISHED_DIR)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, dict]:
    output = tmp_path_factory.mktemp("referentiel")
    return output, build_referential.build(str(SHARED), output)


def test_provenance_checksums_match_written_files(built):
    output, provenance = built
    assert {Path(entry["path"]).name for entry in provenance["outputs"]} >= {
        f"{name}.parquet"
        for name in ("communes", "epci", "epci_membres", "departements", "regions", "communes_historiques")
    }
    for entry in provenance["outputs"]:
        path = local(output, entry["path"])
        assert sha256(path) == entry["sha256"], entry["path"]
        assert path.stat().st_size == entry["bytes"]
        if path.suffix == ".parquet":
            assert pq.read_metadata(path).num_rows == entry["rows"]
            assert pq.read_schema(path).remove_metadata() == arrow_schema(f"referentiel/{path.stem}")


def test_inputs_are_the_shared_files_and_licensed(built):
    _, provenance = built
    sums = dict(line.split()[::-1] for line in (SHARED / "SHA256SUMS").read_text().splitlines() if line)
    for entry in provenance["inputs"]:
        assert entry["licence"] and entry["producer"] and entry["sha256"] and entry["bytes"] > 0
        for file in entry.get("files", []):
            name = Path(file["file"]).name
            assert sums[f"decoupage-administratif/{entry['version']}/{name}"] == file["sha256"]
    anct = [entry for entry in provenance["inputs"] if entry["licence"] == "MIT"]
    assert {entry["commit"] for entry in anct} == {"52679aaebd2875540f0a212ede3f73ee1a157006"}


def test_anct_dump_is_copied_as_is(built):
    output, _ = built
    for name in build_referential.ANCT_FILES:
        original = SHARED / "anct-suite-territoriale" / name
        assert (output / "anct" / name).read_bytes() == original.read_bytes()


def test_history_drops_are_reported(built):
    _, provenance = built
    history = provenance["communes_historiques"]
    assert history["dropped"]["target_not_current"] == 6  # the six "suppression" of the INSEE history
    assert history["dropped"]["no_name"] == 0
    rows = {Path(entry["path"]).name: entry["rows"] for entry in provenance["outputs"]}
    assert sum(history["rows_by_origin"].values()) == rows["communes_historiques.parquet"]


def test_rebuild_is_byte_identical_and_matches_vendored_copy(built, tmp_path):
    output, _ = built
    build_referential.build(str(SHARED), tmp_path)
    names = sorted(path.relative_to(output) for path in output.rglob("*") if path.is_file())
    assert names == sorted(path.relative_to(tmp_path) for path in tmp_path.rglob("*") if path.is_file())
    for name in names:
        assert sha256(tmp_path / name) == sha256(output / name), name
        # The committed copy must be what the script produces today.
        assert sha256(REFERENTIAL_DIR / name) == sha256(output / name), f"{name}: relancer build_referential"
