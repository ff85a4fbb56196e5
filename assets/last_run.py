"""`python -m assets.last_run`: the last lines `make run` prints after a failed run.

`dg launch` ends a failed run with "Error: Run … resulted in failure."; a steward needs the
file, line and field to fix instead, and where to look in the UI.
"""

from __future__ import annotations

import sys

import dagster as dg

JOB = "observatoire_complet"


def failure_lines(instance: dg.DagsterInstance, job: str = JOB) -> list[str]:
    runs = instance.get_runs(filters=dg.RunsFilter(job_name=job), limit=1)
    if not runs or runs[0].status != dg.DagsterRunStatus.FAILURE:
        return []
    run = runs[0]
    lines = [f"Le run {run.run_id} a échoué :"]
    for record in instance.all_logs(run.run_id, of_type=dg.DagsterEventType.STEP_FAILURE):
        data = record.dagster_event.step_failure_data
        if data.user_failure_data is not None and data.user_failure_data.description:
            lines.append(f"[{record.step_key}] {data.user_failure_data.description}")
        elif data.error is not None:
            lines.append(f"[{record.step_key}] erreur inattendue : {data.error.message.strip()}")
    lines.append(f"Détail : `make dev`, puis http://127.0.0.1:3000/runs/{run.run_id}")
    return lines


def main() -> int:
    with dg.DagsterInstance.get() as instance:
        lines = failure_lines(instance)
    print("\n".join(lines), file=sys.stderr)
    return 1 if lines else 0


if __name__ == "__main__":
    sys.exit(main())
