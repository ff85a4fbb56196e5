"""Live mode against a replay of data.gouv.fr on 127.0.0.1: requests and time of two fetches.

    PYTHONPATH=. python benchmarks/live_replay.py [--graph]

The replay publishes the mini sources (tests/fixtures/sources-mini) with the real API's shapes:
the CNIL dataset, three OPSN declaration datasets found by schema (one invalid), the ANCT dataset.
Without --graph only the download-and-consolidate step runs; with it, the whole Dagster graph.
Prints every request of each run, its time, and the release's `sources` when the graph ran.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
import time
from pathlib import Path

from pytest_httpserver import HTTPServer

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from observatory.datagouv.client import ClientSettings, DatagouvClient  # noqa: E402
from observatory.sources.live import LiveFetcher, fetch_live_tree  # noqa: E402
from tests.udata_replay import ReplayPortal, publish_mini  # noqa: E402

MINI = ROOT / "tests" / "fixtures" / "sources-mini"


def _fetch(portal: ReplayPortal, work: Path) -> None:
    client = DatagouvClient(ClientSettings(base_url=portal.base_url))
    fetch_live_tree(LiveFetcher(client, work))


def _graph(portal: ReplayPortal, work: Path) -> None:
    import dagster as dg

    from assets.definitions import defs
    from assets.resources import ObservatorySettings, Warehouse

    resources = {
        "settings": ObservatorySettings(
            sources_mode="live",
            datagouv_url=portal.base_url,
            build_dir=str(work / "build"),
            exports_dir=str(work / "exports"),
        ),
        "warehouse": Warehouse(path=str(work / "build" / "warehouse.duckdb")),
    }
    result = defs.resolve_implicit_global_asset_job_def().execute_in_process(
        resources=resources, instance=dg.DagsterInstance.ephemeral()
    )
    assert result.success


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--graph", action="store_true", help="run the whole Dagster graph, not only the fetch")
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # the replay's access log; requests are listed below
    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    try:
        portal = ReplayPortal(server)
        publish_mini(portal, MINI)
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            for label in ("premier passage", "second passage, rien de changé"):
                before = len(server.log)
                started = time.perf_counter()
                (_graph if args.graph else _fetch)(portal, work)
                seconds = time.perf_counter() - started
                made = portal.requests()[before:]
                files = sum(1 for _, path, status in made if path.startswith("/static/") and status == 200)
                print(f"\n{label} : {seconds:.2f} s, {len(made)} requêtes, {files} fichier(s) téléchargé(s)")
                for method, path, status in made:
                    print(f"  {method} {status} {path}")
            if args.graph:
                exports = work / "exports"
                release = exports / (exports / "LATEST").read_text().strip()
                sources = json.loads((release / "datapackage.json").read_text(encoding="utf-8"))["sources"]
                print("\nsources de la publication :")
                print(json.dumps(sources, ensure_ascii=False, indent=2))
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
