"""Screenshots of the Dagster UI as a steward sees it (headless Chromium, tests/browser.py).

    PYTHONPATH=. .venv/bin/python scripts/dagster_screenshots.py [--home DIR] [--out build/test-artefacts]

Without --home, a temporary DAGSTER_HOME gets two runs of `observatoire_complet` through `dg launch`:
one on tests/fixtures/sources-mini (success) and one on a copy with an unknown OPSN in adherents.csv
and an unreadable date in the CNIL file (failure). Then a `dagster-webserver` on a free 127.0.0.1
port serves the UI, and pages are taken: an asset's columns and row count, the successful run's tags
and its summary, the failed run three ways (as it opens, its failure events, and through the link
`make run` prints), and the runs list (tags, failure headline). It prints what the failed run holds:
"Not executing" lines and the frames of each failure event's stack.
It drives Playwright itself rather than tests/browser.py's `Browser.open`, because the UI needs
clicks (dismiss the first-visit dialog, open the tags, filter the log).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from assets.last_run import failure_page  # noqa: E402
from tests.browser import LAUNCH_ARGS, ensure_chromium  # noqa: E402
from tests.postgres_server import free_port  # noqa: E402

BIN = Path(sys.executable).parent
MINI = REPO / "tests" / "fixtures" / "sources-mini"
JOB = "observatoire_complet"


def _default_sigint():
    # A background shell starts children with SIGINT ignored, and Dagster copies that onto SIGTERM.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _environment(home: Path, work: Path, sources: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DAGSTER_HOME": str(home),
        "PYTHONPATH": str(REPO),
        "VIRTUAL_ENV": str(REPO / ".venv"),
        "OBSERVATORY_SOURCES": str(sources),
        "OBSERVATORY_BUILD_DIR": str(work / "build"),
        "OBSERVATORY_EXPORTS_DIR": str(work / "exports"),
    }


def make_runs(home: Path, work: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "dagster.yaml", home / "dagster.yaml")
    broken = work / "sources-cassees"
    shutil.copytree(MINI, broken)
    members = broken / "declarations" / "adherents.csv"
    lines = members.read_text(encoding="utf-8").splitlines()
    lines[1] = "999999999," + lines[1].split(",", 1)[1]  # an OPSN opsn.csv does not declare
    members.write_text("\n".join(lines) + "\n", encoding="utf-8")
    # Another file, another kind of error (an unreadable date), reported by the same run.
    cnil = "opencnil-organismes-avec-dpo.csv"
    shutil.copyfile(REPO / "tests" / "fixtures" / "bad" / "cnil_date_texte" / "cnil" / cnil, broken / "cnil" / cnil)
    for sources in (broken, MINI):  # the good run last, so assets show their latest success
        subprocess.run(
            [str(BIN / "dg"), "launch", "--job", JOB], cwd=REPO, env=_environment(home, work, sources), check=False
        )


def graphql(base: str, query: str) -> dict:
    request = urllib.request.Request(
        f"{base}/graphql", data=json.dumps({"query": query}).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)["data"]


def last_runs(base: str) -> dict[str, str]:
    query = '{ runsOrError(filter: {pipelineName: "JOB"}, limit: 10) { ... on Runs { results { runId status } } } }'
    data = graphql(base, query.replace("JOB", JOB))
    runs = {}
    for run in data["runsOrError"]["results"]:
        runs.setdefault(run["status"], run["runId"])
    return runs


def serve(home: Path, port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [str(BIN / "dagster-webserver"), "-m", "assets.definitions", "-h", "127.0.0.1", "-p", str(port)],
        cwd=REPO,
        env={**os.environ, "DAGSTER_HOME": str(home), "PYTHONPATH": str(REPO)},
        preexec_fn=_default_sigint,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/server_info", timeout=2)
            return server
        except OSError:
            time.sleep(1)
    server.terminate()
    raise RuntimeError("dagster-webserver n'a pas répondu en 120 s")


def stop(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)


def _page(browser, url: str, height: int = 1000):
    page = browser.new_page(viewport={"width": 1600, "height": height}, locale="fr-FR")
    page.goto(url)
    page.wait_for_load_state("networkidle")
    _dismiss(page)
    return page


def _dismiss(page) -> None:
    """Close "Join the Dagster community", which a fresh browser gets once, a few seconds in."""
    skip = page.get_by_role("button", name="Skip")
    try:
        skip.first.wait_for(timeout=5000)
    except Exception:  # noqa: BLE001 - no dialog this time
        return
    skip.first.click()
    page.wait_for_timeout(500)


def _shot(page, path: Path, taken: list[Path]) -> None:
    if page.get_by_role("button", name="Skip").count():
        _dismiss(page)
    page.screenshot(path=str(path))
    taken.append(path)


def take(base: str, out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    runs = last_runs(base)
    taken = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(ensure_chromium()), headless=True, args=LAUNCH_ARGS)
        try:
            page = _page(browser, f"{base}/assets/out__opsn")
            page.get_by_text("Columns").first.wait_for()
            _shot(page, out / "dagster-asset-colonnes.png", taken)

            page = _page(browser, f"{base}/assets/raw_declarations__adherents?view=events")
            page.get_by_text("origine").first.wait_for()
            _shot(page, out / "dagster-asset-instantane.png", taken)

            page = _page(browser, f"{base}/assets/core_declarations__adhesions?view=events", height=1500)
            page.get_by_text("a_revoir").first.wait_for()
            _shot(page, out / "dagster-asset-a-revoir.png", taken)

            page = _page(browser, f"{base}/runs/{runs['SUCCESS']}")
            page.get_by_text("View tags and config").click()
            page.get_by_text("observatoire/version").first.wait_for()
            _shot(page, out / "dagster-run-etiquettes.png", taken)

            page = _page(browser, f"{base}/runs/{runs['SUCCESS']}")
            page.get_by_placeholder("Filter…").fill("Résumé")
            page.get_by_text("Résumé du run").first.wait_for()
            page.wait_for_timeout(1000)
            _shot(page, out / "dagster-run-resume.png", taken)

            # The failed run as it opens: the log scrolls to its end (RUN_FAILURE, "Not executing" lines).
            page = _page(browser, f"{base}/runs/{runs['FAILURE']}", height=1400)
            page.get_by_text("RUN_FAILURE").first.wait_for()
            page.wait_for_timeout(1000)
            _shot(page, out / "dagster-run-echec-brut.png", taken)

            # Dagster's failure event: the steward's message, its metadata, then the framework stack.
            page = _page(browser, f"{base}/runs/{runs['FAILURE']}?logs=type%3ASTEP_FAILURE", height=1400)
            page.get_by_text("Source à corriger").first.wait_for()
            page.wait_for_timeout(1000)
            _shot(page, out / "dagster-run-echec-evenement.png", taken)

            # The link `make run` and the failure log give: the steward's message alone.
            page = _page(browser, failure_page(runs["FAILURE"], ui=base))
            page.get_by_text("Source à corriger").first.wait_for()
            page.wait_for_timeout(1000)
            _shot(page, out / "dagster-run-echec.png", taken)

            page = _page(browser, f"{base}/runs")
            page.get_by_text("observatoire/echec").first.wait_for()
            _shot(page, out / "dagster-runs-liste.png", taken)
        finally:
            browser.close()
    return taken


def failure_facts(home: Path) -> list[str]:
    """What the last failed run holds, read from its event log (the screenshots show it)."""
    import dagster as dg

    with dg.DagsterInstance.from_config(str(home)) as instance:
        runs = instance.get_runs(filters=dg.RunsFilter(job_name=JOB, statuses=[dg.DagsterRunStatus.FAILURE]), limit=1)
        if not runs:
            return []
        logs = instance.all_logs(runs[0].run_id)
    skipped = [e for e in logs if e.user_message.rstrip().endswith("Not executing.")]
    facts = [f"run en échec {runs[0].run_id} : {len(logs)} événements, {len(skipped)} lignes « Not executing »"]
    for entry in logs:
        if entry.is_dagster_event and entry.dagster_event.event_type == dg.DagsterEventType.STEP_FAILURE:
            data = entry.dagster_event.step_failure_data
            title = data.user_failure_data.description.splitlines()[0] if data.user_failure_data else "-"
            frames = [frame for frame in data.error.stack if frame.lstrip().startswith("File ")]
            ours = [frame for frame in frames if "site-packages" not in frame]
            facts.append(
                f"STEP_FAILURE {entry.step_key} : pile de {len(frames)} cadres "
                f"({len(ours)} hors Dagster) ; titre : {title}"
            )
    return facts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, help="un DAGSTER_HOME qui a déjà un run réussi et un run en échec")
    parser.add_argument("--out", type=Path, default=REPO / "build" / "test-artefacts")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="observatoire-captures-"))
    home = args.home or work / "dagster_home"
    if args.home is None:
        make_runs(home, work)
    port = free_port()
    server = serve(home, port)
    try:
        for path in take(f"http://127.0.0.1:{port}", args.out):
            print(path)
        print("\n".join(failure_facts(home)))
    finally:
        stop(server)
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
