"""`pip install .` works away from the checkout: the wheel carries schemas, referential, SQL and
default decisions, and the command line and the graph run from any folder on a sources folder.

The wheel is built from a copy of the package folders (nothing of the checkout can leak in) and
installed with no dependency into a fresh venv that sees the test interpreter's packages through
a `.pth` file: `--system-site-packages` would expose the base Python's, not this venv's, and
downloading the dependencies would make the test depend on the network.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

CHECKOUT = Path(__file__).resolve().parent.parent
MINI_SOURCES = CHECKOUT / "tests" / "fixtures" / "sources-mini"

# In the installed venv: which files were imported, and the whole graph on OBSERVATORY_SOURCES.
RUN_GRAPH = """
import json, sys
import dagster as dg
import assets, observatory
from assets.definitions import defs
result = defs.resolve_job_def("observatoire_complet").execute_in_process(
    instance=dg.DagsterInstance.ephemeral(), raise_on_error=False)
failed = [event.step_key for event in result.all_events if event.event_type_value == "STEP_FAILURE"]
print(json.dumps({"success": result.success, "failed": failed,
                  "modules": [assets.__file__, observatory.__file__]}))
"""
DEFAULT_MODE = """
from assets.resources import default_resources
default_resources()["settings"].source_tree()
"""


def _run(command: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess:
    # No PYTHONPATH: the checkout must not be importable from the installed venv.
    environment = {
        key: value for key, value in os.environ.items() if key != "PYTHONPATH" and not key.startswith("OBSERVATORY_")
    }
    return subprocess.run(
        command, cwd=cwd, env={**environment, **env}, capture_output=True, text=True, check=False, timeout=600
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A venv holding the observatory wheel only; returns its bin/ folder."""
    root = tmp_path_factory.mktemp("installation")
    source = root / "source"
    for package in ("observatory", "assets"):
        shutil.copytree(CHECKOUT / package, source / package, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    shutil.copy(CHECKOUT / "pyproject.toml", source / "pyproject.toml")
    wheels = root / "wheels"
    built = _run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(wheels),
            str(source),
        ],
        cwd=root,
    )
    assert built.returncode == 0, built.stderr
    venv = root / "venv"
    created = _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=root)
    assert created.returncode == 0, created.stderr
    python = venv / "bin" / "python"
    site_packages = _run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], cwd=root)
    Path(site_packages.stdout.strip(), "dependances-partagees.pth").write_text(
        sysconfig.get_path("purelib") + "\n", encoding="utf-8"
    )
    [wheel] = wheels.glob("*.whl")
    done = _run(
        [str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation", str(wheel)], cwd=root
    )
    assert done.returncode == 0, done.stderr
    return venv / "bin"


@pytest.mark.graph
def test_the_installed_command_line_reconciles_a_file_from_any_folder(installed, tmp_path):
    output = tmp_path / "resultat.csv"
    done = _run(
        [
            str(installed / "observatory"),
            "reconcile",
            str(MINI_SOURCES / "declarations" / "adherents.csv"),
            "--opsn",
            str(MINI_SOURCES / "declarations" / "opsn.csv"),
            "--out",
            str(output),
        ],
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    lines = output.read_text(encoding="utf-8").splitlines()
    declared = (MINI_SOURCES / "declarations" / "adherents.csv").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(declared)
    assert "statut_rapprochement" in lines[0] and any(",rapproche," in line for line in lines[1:])


@pytest.mark.graph
def test_the_installed_graph_publishes_a_sources_folder_into_the_working_directory(installed, tmp_path):
    sources = shutil.copytree(MINI_SOURCES, tmp_path / "sources")
    done = _run([str(installed / "python"), "-c", RUN_GRAPH], cwd=tmp_path, OBSERVATORY_SOURCES=str(sources))
    assert done.returncode == 0, done.stderr[-3000:]
    outcome = json.loads(done.stdout.strip().splitlines()[-1])
    assert outcome["success"] and not outcome["failed"], done.stderr[-3000:]
    # Imported from the venv, not from the checkout.
    assert all(str(installed.parent) in module for module in outcome["modules"]), outcome["modules"]
    # Installed, the working files and releases go to the folder it runs in.
    version = (tmp_path / "exports" / "LATEST").read_text(encoding="utf-8").strip()
    assert (tmp_path / "exports" / version / "datapackage.json").is_file()
    assert (tmp_path / "build" / "warehouse.duckdb").is_file()


@pytest.mark.graph
def test_away_from_the_checkout_the_default_mode_asks_for_a_sources_folder(installed, tmp_path):
    done = _run([str(installed / "python"), "-c", DEFAULT_MODE], cwd=tmp_path)
    assert done.returncode != 0
    message = done.stderr.strip().splitlines()[-1]
    assert "EmbeddedSourcesUnavailable" in message and "OBSERVATORY_SOURCES=" in message, done.stderr
