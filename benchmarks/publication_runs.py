"""Consecutive publications on a copy of a sources folder: what `make run` says each time.

Runs the whole graph four times into a scratch folder: first run; same inputs again; one
declaration added; then a data date declared in MANIFEST.json. Prints each run's last line,
its time, the release size by format and the head of each new CHANGELOG.md.

Usage: python benchmarks/publication_runs.py SCRATCH_DIR [SOURCES_DIR]   (default: tests/fixtures/sources-mini)
"""

from __future__ import annotations

import json
import shutil
import sys
import time
from collections import defaultdict
from pathlib import Path

from tests.assets.conftest import run_everything


def _sizes(release: Path) -> dict[str, int]:
    sizes: dict[str, int] = defaultdict(int)
    for path in release.iterdir():
        sizes[path.suffix.lstrip(".")] += path.stat().st_size
    return dict(sorted(sizes.items()))


def _run(scratch: Path, sources: Path, title: str) -> None:
    started = time.perf_counter()
    result = run_everything(scratch, mode="local", sources_dir=str(sources))
    elapsed = time.perf_counter() - started
    outcome = (scratch / "build" / "derniere-publication.txt").read_text(encoding="utf-8").strip()
    print(f"\n== {title} ({'succès' if result.success else 'ÉCHEC'}, {elapsed:.0f} s pour tout le graphe)")
    print(outcome)
    publish = [
        e for e in result.all_events if e.event_type_value == "STEP_SUCCESS" and e.step_key.startswith("publish")
    ]
    for event in publish:
        print(f"  étape {event.step_key} : {event.event_specific_data.duration_ms / 1000:.1f} s")
    if outcome.startswith("Version publiée"):
        release = Path(outcome.split(" : ", 1)[1])
        print(f"  taille par format (octets) : {_sizes(release)}")
        print("  " + "\n  ".join((release / "CHANGELOG.md").read_text(encoding="utf-8").splitlines()[:14]))


def main(scratch: Path, origin: Path) -> None:
    sources = scratch / "sources"
    shutil.rmtree(scratch, ignore_errors=True)
    shutil.copytree(origin, sources)
    _run(scratch, sources, "1. première publication")
    _run(scratch, sources, "2. mêmes entrées")
    members = sources / "declarations" / "adherents.csv"
    header = members.read_text(encoding="utf-8").splitlines()[0].split(",")
    row = dict.fromkeys(header, "")
    row.update(
        siren_opsn="252405147",
        nom_adherent="Trélissac",
        type_adherent="commune",
        siren_adherent="212405575",
        code_insee_adherent="24557",
        code_departement="24",
    )
    with members.open("a", encoding="utf-8") as handle:
        handle.write(",".join(row[c] for c in header) + "\n")
    _run(scratch, sources, "3. une déclaration ajoutée (Trélissac par ATD24)")
    manifest_path = sources / "MANIFEST.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.exists() else {}
    manifest["date_donnees"] = "2026-10-01"
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    _run(scratch, sources, "4. date des données déclarée (MANIFEST.json : 2026-10-01)")
    print("\n" + (scratch / "exports" / "index.json").read_text(encoding="utf-8")[:1500])


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2] if len(sys.argv) > 2 else "tests/fixtures/sources-mini"))
