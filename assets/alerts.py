"""Monitoring: a published release that grows old, and runs that fail.

The freshness policy and the sensor need the daemon (`make dev`, or the deployment in docs/intendant.md). A failure is
recorded where a steward looks: `$DAGSTER_HOME/echecs.log`, a tag on the failed run, and the
sensor's own log in the UI. E-mail: see docs/intendant.md (`make_email_on_run_failure_sensor`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import dagster as dg

from assets.failures import FAILURE_TAG

PUBLISHED = "publish__paquet"
# The CNIL file is refreshed monthly: a release older than that plus ten days means a missed refresh.
MAX_RELEASE_AGE = dt.timedelta(days=40)
FAILURE_LOG = "echecs.log"


def with_freshness(spec: dg.AssetSpec) -> dg.AssetSpec:
    """The publishing step turns stale (red in the UI) when its last run is older than 40 days."""
    if spec.key.to_user_string() != PUBLISHED:
        return spec
    return spec.replace_attributes(freshness_policy=dg.FreshnessPolicy.time_window(fail_window=MAX_RELEASE_AGE))


def failure_headline(context: dg.RunFailureSensorContext) -> str:
    """Each failed step's own message (a steward's file, line and field), else Dagster's: steps
    that do not depend on each other go on after a failure, so one run can fail on several files."""
    messages = []
    for event in context.get_step_failure_events():
        data = event.step_failure_data
        if data.user_failure_data is not None and data.user_failure_data.description:
            messages.append(f"{event.step_key} : {data.user_failure_data.description}")
        elif data.error is not None:
            messages.append(f"{event.step_key} : {data.error.message.strip()}")
    return "\n".join(messages) or context.failure_event.message or "échec sans message"


def record_failure(instance: dg.DagsterInstance, run: dg.DagsterRun, headline: str) -> Path:
    log = Path(instance.root_directory) / FAILURE_LOG
    stamp = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    one_line = " ⏎ ".join(line.strip() for line in headline.splitlines() if line.strip())
    with log.open("a", encoding="utf-8") as handle:
        handle.write(f"{stamp}\t{run.job_name}\t{run.run_id}\t{one_line}\n")
    return log


@dg.run_failure_sensor(
    name="echec_de_run",
    description="Consigne chaque run en échec dans $DAGSTER_HOME/echecs.log et sur le run (tag observatoire/echec).",
    default_status=dg.DefaultSensorStatus.RUNNING,
)
def echec_de_run(context: dg.RunFailureSensorContext) -> None:
    headline = failure_headline(context)
    log = record_failure(context.instance, context.dagster_run, headline)
    if FAILURE_TAG not in context.dagster_run.tags:  # expected errors tagged the run already
        context.instance.add_run_tags(context.dagster_run.run_id, {FAILURE_TAG: headline.splitlines()[0][:240]})
    context.log.error(f"run {context.dagster_run.run_id} en échec, consigné dans {log} : {headline}")
