from pathlib import Path

import pytest

from observatory.report import render_charts, render_dashboard


@pytest.fixture(scope="session")
def mini_dashboard(mini_release, tmp_path_factory) -> Path:
    """Charts and dashboard of the mini release, rendered outside it (a published version is never written to)."""
    out = tmp_path_factory.mktemp("tableau") / "tableau-de-bord"
    render_charts(mini_release, out)
    render_dashboard(mini_release, out)
    return out
