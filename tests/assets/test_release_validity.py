"""What the fast DuckDB validation lets through, frictionless also finds valid (mini sources, whole graph)."""

import subprocess
import sys
from pathlib import Path

from tests.assets.conftest import run_everything

MINI = Path("tests/fixtures/sources-mini")


def test_frictionless_finds_the_published_package_valid(tmp_path):
    result = run_everything(tmp_path, mode="local", sources_dir=str(MINI.resolve()))
    assert result.success
    package = tmp_path / "exports" / (tmp_path / "exports" / "LATEST").read_text().strip()
    cli = Path(sys.executable).with_name("frictionless")
    report = subprocess.run([str(cli), "validate", str(package / "datapackage.json")], capture_output=True)
    assert report.returncode == 0, report.stdout.decode()[-3000:]
