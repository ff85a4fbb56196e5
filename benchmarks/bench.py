"""A full refresh timed at France scale, 3× and 10×, beside DuckDB alone and a naive peer.

    PYTHONPATH=. .venv/bin/python benchmarks/bench.py [--scales 1,3,10] [--seed 2026]   (make bench)

For each scale a source set is generated (benchmarks/scale_sources.py, not timed), then a
fresh process materializes every asset in-process with an empty warehouse, snapshot folder
and exports/ up to the visible release, so that nothing is skipped as already published.
That process prints the wall time, the time per step, its peak RSS (getrusage, itself and
children, read right after the materialization), the reconciliation throughput on the
exact paths and on the fuzzy path, the time DuckDB alone takes to read the same raw files
into tables, and, at France scale, the naive peer (benchmarks/naive_peer.py) beside the
project on the same rows against the generator's ground truth.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.bench_matching import REPETITIONS, project_accuracy, reconciliation_rates  # noqa: E402
from benchmarks.bench_process import SAMPLED, cpu_seconds, peak_rss_mib, reset_peak_rss, sample_rss  # noqa: E402
from benchmarks.bench_report import print_scale  # noqa: E402

FRANCE = {"opsn": 80, "members": 40_000, "cnil_rows": 100_000}


def materialize(sources: Path, work: Path) -> dict:
    import dagster as dg

    from assets.definitions import defs
    from assets.resources import ObservatorySettings, Warehouse

    resources = {
        "settings": ObservatorySettings(
            sources_mode="local",
            sources_dir=str(sources),
            build_dir=str(work / "build"),
            exports_dir=str(work / "exports"),
        ),
        "warehouse": Warehouse(path=str(work / "build" / "warehouse.duckdb")),
    }
    job = defs.resolve_implicit_global_asset_job_def()
    instance = dg.DagsterInstance.ephemeral()
    # The in-process executor runs one step at a time in this thread: the CPU time between a
    # step's start and end events is that step's (DuckDB's threads included), and the peak RSS
    # read at its end says which step raised it. Wall times alone mean little on a loaded machine.
    step_cpu: dict[str, float] = {}
    step_rss: dict[str, float] = {}
    started: dict[str, float] = {}
    handle = instance.handle_new_event

    def watch(event, *args, **kwargs):
        entry = getattr(event, "dagster_event", None)
        if entry is not None and entry.step_key:
            if entry.event_type_value == "STEP_START":
                started[entry.step_key] = cpu_seconds()
            elif entry.event_type_value == "STEP_SUCCESS" and entry.step_key in started:
                step_cpu[entry.step_key] = cpu_seconds() - started[entry.step_key]
                step_rss[entry.step_key] = peak_rss_mib()
        return handle(event, *args, **kwargs)

    instance.handle_new_event = watch
    cpu = cpu_seconds()
    start = time.perf_counter()
    result = job.execute_in_process(resources=resources, instance=instance, raise_on_error=False)
    wall = time.perf_counter() - start
    cpu = cpu_seconds() - cpu
    steps = {
        event.step_key: event.event_specific_data.duration_ms / 1000
        for event in result.all_events
        if event.event_type_value == "STEP_SUCCESS"
    }
    failed = [e.step_key for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
    latest = work / "exports" / "LATEST"
    return {
        "succes": result.success and latest.exists(),
        "echecs": failed,
        "secondes": wall,
        "cpu_secondes": cpu,
        "etapes": steps,
        "etapes_cpu": step_cpu,
        "etapes_pic_rss": step_rss,
        "version": latest.read_text().strip() if latest.exists() else None,
    }


def duckdb_scan(sources: Path, work: Path) -> tuple[float, float]:
    """The limit: DuckDB alone reading the same raw files into tables of a database file."""
    import duckdb

    from observatory.paths import REFERENTIAL_DIR

    path = work / "scan.duckdb"
    path.unlink(missing_ok=True)
    start, cpu = time.perf_counter(), time.process_time()
    with duckdb.connect(str(path)) as con:
        con.execute("SET threads = 2")
        for name, file, options in (
            ("cnil", "cnil/opencnil-organismes-avec-dpo.csv.gz", ", delim = ';'"),
            ("adherents", "declarations/adherents.csv", ""),
            ("opsn", "declarations/opsn.csv", ""),
            ("services", "declarations/services.csv", ""),
        ):
            con.execute(f"CREATE TABLE {name} AS SELECT * FROM read_csv('{sources / file}'{options})")
        for parquet in sorted(REFERENTIAL_DIR.glob("*.parquet")):
            con.execute(f"CREATE TABLE ref_{parquet.stem} AS SELECT * FROM read_parquet('{parquet}')")
        con.execute("CHECKPOINT")
    return time.perf_counter() - start, time.process_time() - cpu


def run_one(sources: Path, work: Path, with_peer: bool, repetitions: int = REPETITIONS) -> dict:
    """One scale, in its own process: its peak RSS is this scale's alone."""
    for folder in ("build", "exports"):
        shutil.rmtree(work / folder, ignore_errors=True)
    os.environ.setdefault("DAGSTER_HOME", str(work / "dagster_home"))
    Path(os.environ["DAGSTER_HOME"]).mkdir(parents=True, exist_ok=True)
    reset_peak_rss()
    stop = threading.Event()
    sampler = threading.Thread(target=sample_rss, args=(stop,), daemon=True)
    if Path("/proc/self/status").exists():
        sampler.start()
    figures = {"materialisation": materialize(sources, work)}
    figures["rss_mio"] = peak_rss_mib()
    figures["rss_avec_enfants_mio"] = max(SAMPLED["with_children"] / 1024, figures["rss_mio"])
    stop.set()
    figures["scan_duckdb"], figures["scan_duckdb_cpu"] = duckdb_scan(sources, work)
    warehouse = work / "build" / "warehouse.duckdb"
    figures["rapprochement"] = reconciliation_rates(warehouse, repetitions)
    if with_peer:
        from benchmarks.naive_peer import run_peer

        truth = sources / "verite_terrain" / "adherents.csv"
        figures["pair_naif"] = run_peer(sources / "declarations" / "adherents.csv", truth, repetitions=repetitions)
        figures["projet"] = project_accuracy(warehouse, truth)
    return figures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1,3,10", help="multiples of France scale, e.g. 1,3")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--work", type=Path, default=None, help="working folder (default: a temporary one)")
    parser.add_argument("--run-one", nargs=2, type=Path, metavar=("SOURCES", "WORK"), help=argparse.SUPPRESS)
    parser.add_argument("--peer", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--repetitions", type=int, default=REPETITIONS, help="timed calls of each matching, median reported"
    )
    args = parser.parse_args(argv)
    if args.repetitions < 1:
        parser.error("--repetitions : au moins un appel")
    if args.run_one:
        print(json.dumps(run_one(*args.run_one, args.peer, args.repetitions)), flush=True)
        return

    from benchmarks.scale_sources import MEMBERS_METHOD, scale_sources

    root = args.work or Path(tempfile.mkdtemp(prefix="bench-observatoire-"))
    print(f"machine : {os.cpu_count()} cœurs ; python {sys.version.split()[0]} ; dossier {root}")
    for scale in (int(s) for s in args.scales.split(",")):
        size = {key: value * scale for key, value in FRANCE.items()}
        sources, work = root / f"sources-{scale}x", root / f"travail-{scale}x"
        start = time.perf_counter()
        wanted = {
            "graine": args.seed,
            "opsn": size["opsn"],
            "adherents": size["members"],
            "methode_adherents": MEMBERS_METHOD,
            "cnil": size["cnil_rows"],
        }
        manifest = sources / "MANIFEST.json"
        kept = manifest.exists() and wanted.items() <= json.loads(manifest.read_text(encoding="utf-8")).items()
        if not kept:  # same seed and sizes give the same files: a --work folder keeps them between runs
            scale_sources(
                sources, seed=args.seed, opsn=size["opsn"], members=size["members"], cnil_rows=size["cnil_rows"]
            )
        what = "reprises de --work" if kept else "générées"
        print(f"\n[{scale}×] sources {what} en {time.perf_counter() - start:.1f} s (non compté)", flush=True)
        load = os.getloadavg()
        command = [sys.executable, __file__, "--run-one", str(sources), str(work)]
        command += ["--repetitions", str(args.repetitions)] + (["--peer"] if scale == 1 else [])
        done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(REPO)})
        if done.returncode != 0:
            print(done.stderr[-4000:])
            raise SystemExit(f"{scale}× : échec du processus de mesure")
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        after = os.getloadavg()
        print_scale(scale, size, figures, f"load average {load[0]:.2f} avant, {after[0]:.2f} après (uptime)")
        (root / f"mesures-{scale}x.json").write_text(json.dumps({"taille": size, **figures}, indent=2))
    if args.work is None:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
