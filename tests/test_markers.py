"""The marker reading of tests/markers.py on real tests of the suite and on small functions."""

import subprocess
from types import SimpleNamespace

import pytest

from tests import markers
from tests.assets import test_concurrency, test_local_mode, test_report
from tests.assets.conftest import run_complete
from tests.observatory import test_bad_inputs


def _starts_a_process():
    return subprocess.run(["true"], check=True)


def _calls_a_helper_that_starts_one():
    return _starts_a_process()


def _pure():
    return sorted({3, 1, 2})


# It names functions that run the graph without calling them: a marker by hand overrides the reading.
@pytest.mark.unit
def test_graph_runs_are_read_through_helpers_and_subprocesses():
    assert markers.runs_graph(run_complete)
    assert markers.runs_graph(test_concurrency.test_two_refreshes_started_together_and_a_reader_holding_a_release)
    assert markers.runs_graph(
        test_local_mode.test_bad_input_names_file_row_and_field_and_leaves_published_releases_alone
    )
    assert markers.runs_graph(test_report.test_report_assets_write_charts_and_dashboard_into_the_staging_folder)
    assert markers.runs_graph(_calls_a_helper_that_starts_one)


def test_library_calls_are_unit():
    assert not markers.runs_graph(_pure)
    assert not markers.runs_graph(test_bad_inputs.test_bad_input_case)
    assert not markers.runs_graph(test_report.test_report_assets_do_nothing_when_an_identical_release_exists)


def test_fixtures_name_the_kind_of_a_test_that_names_nothing_itself():
    """test_faults calls no runner itself: its fixtures (mini_run, pipeline_server) make it a graph test."""

    def item(*fixtures):
        return SimpleNamespace(fixturenames=["tmp_path", *fixtures], function=_pure)

    assert markers.kinds(item()) == set()
    assert markers.kinds(item("pipeline_server")) == {"graph"}
    assert markers.kinds(item("mini_release", "browser")) == {"graph", "browser"}
    assert markers.kinds(item("postgres")) == {"postgres"}


def test_every_collected_test_has_exactly_one_speed_class(request):
    """Each item of this session is unit, or one or more of graph, browser, postgres: never both."""
    for item in request.session.items:
        kinds = {m.name for m in item.iter_markers()} & {"unit", *markers.KINDS}
        assert kinds and ("unit" not in kinds or kinds == {"unit"}), (item.nodeid, kinds)


def test_reading_the_embedded_demo_is_its_own_marker():
    from tests.observatory import test_anct

    assert markers.reads_demo(test_anct.test_embedded_demo_files_follow_the_real_format_and_are_reproducible)
    assert not markers.reads_demo(_pure)
