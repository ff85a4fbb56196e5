"""The vendored département outlines are exactly what scripts/build_departements_geo.py makes of its source."""

import hashlib
import json
import sys
from pathlib import Path

import pytest

from observatory.paths import REPO_ROOT

sys.path.insert(0, str(REPO_ROOT / "scripts"))
import build_departements_geo as script  # noqa: E402


def test_vendored_outlines_match_their_provenance():
    provenance = json.loads(script.PROVENANCE_FILE.read_text(encoding="utf-8"))
    data = script.OUT_FILE.read_bytes()
    assert hashlib.sha256(data).hexdigest() == provenance["output"]["sha256"]
    assert provenance["input"]["sha256"] == script.SOURCE_SHA256
    assert provenance["licence"] and provenance["source"]
    features = json.loads(data)["features"]
    assert len(features) == provenance["output"]["departements"] == 101
    assert 100_000 < len(data) < 600_000


def test_script_rebuilds_the_vendored_file_byte_for_byte():
    source: Path = script._default_source()
    if not source.exists():
        pytest.skip(f"{source} absent (référence partagée non disponible sur cette machine)")
    output, provenance = script.build(source)
    assert output == script.OUT_FILE.read_bytes()
    expected = json.dumps(provenance, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    assert expected == script.PROVENANCE_FILE.read_text(encoding="utf-8")
