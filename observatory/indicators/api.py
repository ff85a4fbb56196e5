"""Public API of the indicators, wired into Dagster assets by `assets/out.py`."""

from __future__ import annotations

from observatory.indicators.build import build_indicators
from observatory.indicators.catalogue import build_definitions, render_definitions_markdown
from observatory.indicators.checks import check_indicators
from observatory.indicators.collectivites import build_collectivites
from observatory.indicators.dpd_status import build_dpd_status

__all__ = [
    "build_collectivites",
    "build_definitions",
    "build_dpd_status",
    "build_indicators",
    "check_indicators",
    "render_definitions_markdown",
]
