"""A run of observatoire_complet on the mini sources: what it records, and how a broken file fails."""

import logging
import shutil
from pathlib import Path

import dagster as dg

from assets.alerts import FAILURE_LOG, echec_de_run
from assets.console import StewardFilter
from assets.definitions import build_definitions
from assets.failures import FAILURE_TAG, HEADLINE, describe, failure_metadata, short_headline
from assets.last_run import failure_lines, failure_page
from assets.metadata import ROW_COUNT
from assets.resources import ObservatorySettings, Warehouse
from observatory.errors import SourceError, SourceErrors

MINI = Path("tests/fixtures/sources-mini").resolve()
BAD = Path("tests/fixtures/bad").resolve()


def _run(tmp_path: Path, sources: Path, instance: dg.DagsterInstance):
    resources = {
        "settings": ObservatorySettings(
            sources_mode="local",
            sources_dir=str(sources),
            build_dir=str(tmp_path / "build"),
            exports_dir=str(tmp_path / "exports"),
        ),
        "warehouse": Warehouse(path=str(tmp_path / "build" / "warehouse.duckdb")),
    }
    job = build_definitions(resources).resolve_job_def("observatoire_complet")
    return job.execute_in_process(instance=instance, raise_on_error=False)


def _materializations(result) -> dict:
    return {e.asset_key.to_user_string(): e.materialization.metadata for e in result.get_asset_materialization_events()}


# mini_run (tests/conftest.py): the session's one run of observatoire_complet on the mini sources.


def _published_rows(tmp_path, table: str) -> int:
    """Rows of a table in the release the run published (3 declared OPSN + 1 known from the ANCT)."""
    release = tmp_path / "exports" / (tmp_path / "exports" / "LATEST").read_text().strip()
    return len((release / f"{table}.csv").read_text(encoding="utf-8").splitlines()) - 1


def test_tables_report_row_counts_and_raw_assets_their_snapshot(mini_run):
    tmp_path, result, _, _ = mini_run
    assert result.success
    metadata = _materializations(result)
    assert metadata["out__opsn"][ROW_COUNT].value == _published_rows(tmp_path, "opsn") > 0
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
    assert (
        f"out__opsn {_published_rows(tmp_path, 'opsn')}" in summary
        and "rapprochement : " in summary
        and "avertissements : " in summary
    )


def test_broken_files_fail_with_the_stewards_file_line_and_field_in_one_run(tmp_path):
    sources = tmp_path / "sources"
    shutil.copytree(MINI, sources)
    members = sources / "declarations" / "adherents.csv"
    lines = members.read_text(encoding="utf-8").splitlines()
    lines[1] = "999999999," + lines[1].split(",", 1)[1]
    members.write_text("\n".join(lines) + "\n", encoding="utf-8")
    # A second file, another kind of error (an unreadable date): reported by the same run.
    cnil = sources / "cnil" / "opencnil-organismes-avec-dpo.csv"
    shutil.copyfile(BAD / "cnil_date_texte" / "cnil" / cnil.name, cnil)
    (tmp_path / "home").mkdir()
    with dg.instance_for_test(temp_dir=str(tmp_path / "home")) as instance:
        result = _run(tmp_path, sources, instance)
        assert not result.success
        expected = f"{members}, ligne 2, champ « siren_opsn »"
        run = instance.get_run_by_id(result.run_id)

        # What the UI reads: the stored events of the run.
        logs = instance.all_logs(result.run_id)
        failures = {e.step_key: e for e in logs if e.is_dagster_event and e.dagster_event.is_step_failure}
        assert set(failures) == {"core_declarations__adherents", "core_cnil__designations"}
        cnil_data = failures["core_cnil__designations"].dagster_event.step_failure_data
        assert cnil_data.user_failure_data.description.startswith(
            f"{HEADLINE} : {cnil}, ligne 5, champ « Date de la désignation »"
        )
        failure = failures["core_declarations__adherents"]
        data = failure.dagster_event.step_failure_data
        # The headline is the first line of the message the UI prints in red: file, line, field.
        headline = data.user_failure_data.description.splitlines()[0]
        assert headline.startswith(f"{HEADLINE} : {expected} : OPSN 999999999")
        assert "build/raw" not in data.user_failure_data.description
        metadata = data.user_failure_data.metadata
        assert metadata["fichier"].value == str(members)
        assert (metadata["ligne"].value, metadata["champ"].value, metadata["erreurs"].value) == (2, "siren_opsn", 1)
        # Dagster 1.13 keeps a stack on every step failure (docs/intendant.md): here only its own
        # frames and the decorator's, none of the library that found the error.
        assert data.error.message.startswith("dagster._core.definitions.events.Failure: " + headline)
        assert not [frame for frame in data.error.stack if "/observatory/" in frame]
        assert data.error.cause is None and data.error.context is None
        # The runs list shows the run's first failure, with the file's name alone (the tag is cut short).
        first = min(failures.values(), key=lambda e: e.timestamp)
        place = {
            "core_declarations__adherents": "adherents.csv, ligne 2",
            "core_cnil__designations": "opencnil-organismes-avec-dpo.csv, ligne 5",
        }[first.step_key]
        assert run.tags[FAILURE_TAG].startswith(place)

        # The link `make run` prints filters the log on HEADLINE, as the UI does (case-insensitive,
        # on each row's message): it must find the stewards' messages alone, with no stack.
        shown = {e.step_key: e for e in logs if HEADLINE.lower() in e.user_message.lower()}
        assert shown.keys() == failures.keys()
        for step, entry in shown.items():
            assert entry.level == logging.ERROR and "Stack Trace" not in entry.user_message
            description = failures[step].dagster_event.step_failure_data.user_failure_data.description
            assert entry.user_message == description
        assert failure_lines(instance)[-1].endswith(failure_page(result.run_id))

        context = dg.build_run_status_sensor_context(
            sensor_name="echec_de_run",
            dagster_event=next(e for e in result.all_events if e.is_run_failure),
            dagster_instance=instance,
            dagster_run=run,
        ).for_run_failure()
        echec_de_run(context)
        log = (Path(instance.root_directory) / FAILURE_LOG).read_text(encoding="utf-8")
        assert result.run_id in log and expected in log and f"{cnil}, ligne 5" in log


def test_several_errors_headline_the_first_then_list_them_all():
    errors = SourceErrors(
        [
            SourceError("adherents.csv", "date illisible", row=5, field="date_adhesion"),
            SourceError("adherents.csv", "OPSN 999999999 absent", row=3, field="siren_opsn"),
        ]
    )
    first, *rest = describe(errors).splitlines()
    assert first == f"{HEADLINE} : adherents.csv, ligne 3, champ « siren_opsn » : OPSN 999999999 absent (+ 1 autre(s))"
    assert rest == [
        "  - adherents.csv, ligne 3, champ « siren_opsn » : OPSN 999999999 absent",
        "  - adherents.csv, ligne 5, champ « date_adhesion » : date illisible",
    ]
    assert failure_metadata(errors) == {
        "erreurs": 2,
        "fichier": "adherents.csv",
        "ligne": 3,
        "champ": "siren_opsn",
        "motif": "OPSN 999999999 absent",
    }


def test_a_snapshot_copy_is_named_by_the_stewards_file():
    copies = {"/b/build/raw/x/abc/adherents.csv": "/home/intendant/adherents.csv"}
    error = SourceError("/b/build/raw/x/abc/adherents.csv", "vide", row=2)
    assert describe(error, copies) == f"{HEADLINE} : /home/intendant/adherents.csv, ligne 2 : vide"
    assert failure_metadata(error, copies)["fichier"] == "/home/intendant/adherents.csv"
    assert short_headline(error, copies) == "adherents.csv, ligne 2 : vide"


def test_the_failure_link_filters_on_the_headline_or_on_failure_events():
    assert failure_page("r1", ui="http://h") == "http://h/runs/r1?logs=Source%20%C3%A0%20corriger"
    assert failure_page("r1", expected=False, ui="http://h") == "http://h/runs/r1?logs=type%3ASTEP_FAILURE"


def test_console_drops_skipped_steps_and_the_stack_of_expected_failures():
    keep = StewardFilter()

    def record(message):
        return logging.LogRecord("dagster", logging.ERROR, __file__, 1, message, (), None)

    assert not keep.filter(record("x - out__opsn - Dependencies for step out__opsn failed: [...]. Not executing."))
    failed = record(
        'STEP_FAILURE - Execution of step "a" failed.\n\ndagster._core.definitions.events.Failure: '
        "Source à corriger : …\n\nStack Trace:\n  File …"
    )
    assert keep.filter(failed) and failed.getMessage() == 'STEP_FAILURE - Execution of step "a" failed.'
    crash = record("STEP_FAILURE - failed.\n\nKeyError: 'x'\n\nStack Trace:\n  File …")
    assert keep.filter(crash) and "Stack Trace" in crash.getMessage()
