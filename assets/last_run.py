"""`python -m assets.last_run`: the last lines `make run` prints after a failed run.

`dg launch` ends a failed run with "Error: Run … resulted in failure."; a steward needs the
file, line and field to fix instead, and where to look in the UI.
"""

from __future__ import annotations

import sys
from urllib.parse import quote

import dagster as dg

from assets.failures import HEADLINE

JOB = "observatoire_complet"
UI = "http://127.0.0.1:3000"


def failure_page(run_id: str, expected: bool = True, ui: str = UI) -> str:
    """The run's page filtered to the steward's message.

    Unfiltered, the page also lists one "Not executing" line per step left out and Dagster's
    stack under the failure event (see docs/intendant.md). The clean ERROR line that
    assets/failures.py logs is the only row matching HEADLINE; an unexpected error has no such
    line, so its link keeps the failure events (with their stack, which a developer needs)."""
    query = HEADLINE if expected else "type:STEP_FAILURE"
    return f"{ui}/runs/{run_id}?logs={quote(query)}"


def failure_lines(instance: dg.DagsterInstance, job: str = JOB) -> list[str]:
    runs = instance.get_runs(filters=dg.RunsFilter(job_name=job), limit=1)
    if not runs or runs[0].status != dg.DagsterRunStatus.FAILURE:
        return []
    run = runs[0]
    lines = [f"Le run {run.run_id} a échoué :"]
    expected = True
    for record in instance.all_logs(run.run_id, of_type=dg.DagsterEventType.STEP_FAILURE):
        data = record.dagster_event.step_failure_data
        if data.user_failure_data is not None and data.user_failure_data.description:
            lines.append(f"[{record.step_key}] {data.user_failure_data.description}")
        elif data.error is not None:
            expected = False
            lines.append(f"[{record.step_key}] erreur inattendue : {data.error.message.strip()}")
    lines.append(f"Détail : `make dev`, puis {failure_page(run.run_id, expected)}")
    return lines


def main() -> int:
    with dg.DagsterInstance.get() as instance:
        lines = failure_lines(instance)
    print("\n".join(lines), file=sys.stderr)
    return 1 if lines else 0


if __name__ == "__main__":
    sys.exit(main())
