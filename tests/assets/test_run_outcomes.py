"""A run of observatoire_complet on the mini sources: what it records, and how a broken file fails."""

import shutil
from pathlib import Path

import dagster as dg

from assets.alerts import FAILURE_LOG, echec_de_run
from assets.console import StewardFilter
from assets.definitions import build_definitions
from assets.failures import FAILURE_TAG
from assets.metadata import ROW_COUNT
from assets.resources import ObservatorySettings, Warehouse

MINI = Path("tests/fixtures/sources-mini").resolve()


def _run(tmp_path: Path, sources: Path, instance: dg.DagsterInstance):
    resources = {
        "settings": ObservatorySettings(sources_mode="local", sources_dir=str(sources),
                                        build_dir=str(tmp_path / "build"), exports_dir=str(tmp_path / "exports")),
        "warehouse": Warehouse(path=str(tmp_path / "build" / "warehouse.duckdb")),
    }
    job = build_definitions(resources).resolve_job_def("observatoire_complet")
    return job.execute_in_process(instance=instance, raise_on_error=False)


def _materializations(result) -> dict:
    return {e.asset_key.to_user_string(): e.materialization.metadata for e in result.get_asset_materialization_events()}


# mini_run (tests/conftest.py): the session's one run of observatoire_complet on the mini sources.


def test_tables_report_row_counts_and_raw_assets_their_snapshot(mini_run):
    tmp_path, result, _, _ = mini_run
    assert result.success
    metadata = _materializations(result)
    assert metadata["out__opsn"][ROW_COUNT].value == 3
    assert "lignes" not in metadata["out__opsn"]
    assert "| siren |" in metadata["out__opsn"]["apercu"].value
    raw = metadata["raw_declarations__adherents"]
    # The snapshot copy, not Dagster's pickle under DAGSTER_HOME/storage.
    assert raw["path"].value.startswith(str(tmp_path / "build" / "raw" / "declarations_adherents"))
    assert raw["origine"].value == str(MINI / "declarations" / "adherents.csv")
    assert len(raw["sha256"].value) == 64 and raw["octets"].value > 0


def test_rows_to_review_are_a_markdown_table_per_opsn(mini_run):
    _, result, _, _ = mini_run
    review = _materializations(result)["core_declarations__adhesions"]["a_revoir"].value
    assert "### OPSN 200062628 : 1 ligne(s) à revoir" in review
    assert "| 17 | Bourg-Imaginaire |" in review


def test_the_run_is_tagged_with_its_release_and_ends_with_a_summary(mini_run):
    tmp_path, _, run, logs = mini_run
    version = (tmp_path / "exports" / "LATEST").read_text().strip()
    assert run.tags["observatoire/version"] == version
    assert run.tags["observatoire/mode"]  # set on the job from the environment
    summary = next(entry.user_message for entry in logs if entry.user_message.startswith("Résumé du run"))
    assert f"version {version}" in summary
    assert "out__opsn 3" in summary and "rapprochement : " in summary and "avertissements : " in summary


def test_a_broken_file_fails_with_the_stewards_file_a_tag_and_a_logged_failure(tmp_path):
    sources = tmp_path / "sources"
    shutil.copytree(MINI, sources)
    members = sources / "declarations" / "adherents.csv"
    lines = members.read_text(encoding="utf-8").splitlines()
    lines[1] = "999999999," + lines[1].split(",", 1)[1]
    members.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "home").mkdir()
    with dg.instance_for_test(temp_dir=str(tmp_path / "home")) as instance:
        result = _run(tmp_path, sources, instance)
        assert not result.success
        failure = next(e for e in result.all_events if e.event_type_value == "STEP_FAILURE")
        description = failure.step_failure_data.user_failure_data.description
        expected = f"{members}, ligne 2, champ « siren_opsn »"
        assert description.startswith("Source à corriger") and expected in description
        assert "build/raw" not in description
        run = instance.get_run_by_id(result.run_id)
        assert run.tags[FAILURE_TAG].startswith(expected)

        context = dg.build_run_status_sensor_context(
            sensor_name="echec_de_run", dagster_event=next(e for e in result.all_events if e.is_run_failure),
            dagster_instance=instance, dagster_run=run,
        ).for_run_failure()
        echec_de_run(context)
        log = (Path(instance.root_directory) / FAILURE_LOG).read_text(encoding="utf-8")
        assert result.run_id in log and expected in log


def test_console_drops_skipped_steps_and_the_stack_of_expected_failures():
    import logging

    keep = StewardFilter()

    def record(message):
        return logging.LogRecord("dagster", logging.ERROR, __file__, 1, message, (), None)

    assert not keep.filter(record("x - out__opsn - Dependencies for step out__opsn failed: [...]. Not executing."))
    failed = record('STEP_FAILURE - Execution of step "a" failed.\n\ndagster._core.definitions.events.Failure: '
                    "Source à corriger : …\n\nStack Trace:\n  File …")
    assert keep.filter(failed) and failed.getMessage() == 'STEP_FAILURE - Execution of step "a" failed.'
    crash = record("STEP_FAILURE - failed.\n\nKeyError: 'x'\n\nStack Trace:\n  File …")
    assert keep.filter(crash) and "Stack Trace" in crash.getMessage()
