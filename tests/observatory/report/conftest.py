from pathlib import Path

import pytest

from assets.report import DASHBOARD_DIR


@pytest.fixture(scope="session")
def mini_dashboard(mini_release) -> Path:
    """Charts and dashboard of the mini release, as the graph rendered them into it: tests only read them, and
    test_report_dashboard proves a fresh rendering of the published release gives the same bytes."""
    return mini_release / DASHBOARD_DIR
