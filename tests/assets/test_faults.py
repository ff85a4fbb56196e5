"""Faults lose nothing: the materialization, killed (SIGKILL) at each checkpoint of
observatory/faults.py, leaves every published release byte-identical, no partial version
visible, LATEST and the catalogue valid; the next run succeeds and cleans up."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import time
from pathlib import Path

from observatory.faults import MARKER_VARIABLE, PAUSE_VARIABLE, POINTS
from tests.bad_corpus import source_tree

ROOT = Path(__file__).resolve().parents[2]


def _env(**extra: str) -> dict:
    return {**os.environ, "PYTHONPATH": str(ROOT), "DAGSTER_HOME": str(ROOT / ".dagster_home"), **extra}


def _checksums(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*") if p.is_file()
    }


def _visible_versions(exports: Path) -> list[Path]:
    return sorted(p for p in exports.iterdir() if p.is_dir() and not p.name.startswith("."))


def _catalogued(exports: Path) -> set[str]:
    """The versions exports/index.json lists (it must stay readable JSON whatever the kill)."""
    return {entry["version"] for entry in json.loads((exports / "index.json").read_text(encoding="utf-8"))["versions"]}


def _assert_readable(exports: Path) -> None:
    """What a reader of exports/ sees: complete versions only, a valid catalogue and LATEST."""
    listed = _catalogued(exports)
    latest = (exports / "LATEST").read_text(encoding="utf-8").strip()
    assert latest in listed and (exports / latest / "datapackage.json").exists()
    for version in _visible_versions(exports):
        package = json.loads((version / "datapackage.json").read_text(encoding="utf-8"))
        for resource in package["resources"]:
            assert (version / resource["path"]).exists(), f"{version.name}: {resource['path']} absent"
        assert (version / "README.md").exists()
    for name in listed:
        assert (exports / name / "datapackage.json").exists()


def _change_sources(sources: Path, n: int) -> None:
    """A new member row: new inputs, so a new version to publish (and a new snapshot to take)."""
    members = sources / "declarations" / "adherents.csv"
    with members.open("a", encoding="utf-8") as handle:
        handle.write(f"252405147,Syndicat fictif {n},syndicat,,,,24,2020-01-0{n + 1}\n")


def _kill_at(pipeline, tmp_path: Path, point: str) -> None:
    marker = tmp_path / f"marker-{point}"
    # Output goes to a file: a pipe nobody reads would fill and block the run before its checkpoint.
    process = pipeline.start(
        tmp_path, _env(**{PAUSE_VARIABLE: point, MARKER_VARIABLE: str(marker)}), tmp_path / f"run-{point}.log"
    )
    deadline = time.monotonic() + 900
    while not marker.exists():
        if process.poll() is not None:
            raise AssertionError(f"{point}: run ended before the checkpoint\n{process.stderr[-3000:]}")
        assert time.monotonic() < deadline, f"{point}: checkpoint never reached"
        time.sleep(0.2)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()


def test_a_run_killed_at_any_point_loses_nothing_and_the_next_run_recovers(mini_run, pipeline_server, tmp_path):
    source_tree(None, tmp_path / "sources")
    # The state a first, complete run on these sources leaves: the session's run on the same mini folder.
    first, result, _, _ = mini_run
    assert result.success
    shutil.copytree(first / "build", tmp_path / "build")
    shutil.copytree(first / "exports", tmp_path / "exports")
    exports = tmp_path / "exports"
    published = {v.name: _checksums(v) for v in _visible_versions(exports)}
    assert len(published) == 1

    for n, point in enumerate(POINTS):
        _change_sources(tmp_path / "sources", n)
        _kill_at(pipeline_server, tmp_path, point)
        for version, checksums in published.items():
            assert _checksums(exports / version) == checksums, f"{point}: {version} altered"
        _assert_readable(exports)
        # A version renamed into place before the kill is complete: it may stay, and is kept.
        published.update({v.name: _checksums(v) for v in _visible_versions(exports) if v.name not in published})

    last = pipeline_server.run(tmp_path, _env(), tmp_path / "run-last.log")
    assert last.returncode == 0, last.stderr
    _assert_readable(exports)
    assert not list(exports.glob(".staging-*")), "stale staging folders are cleaned up"
    assert _catalogued(exports) == {v.name for v in _visible_versions(exports)}
    for version, checksums in published.items():
        assert _checksums(exports / version) == checksums
