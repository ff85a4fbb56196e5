"""Charts, maps and the HTML dashboard of a release, built from its published files only."""

from observatory.report.dashboard import render_dashboard
from observatory.report.render import render_charts

__all__ = ["render_charts", "render_dashboard"]
