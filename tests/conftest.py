"""Session fixtures shared by every test folder (seam 4: `browser`, `artefacts_dir`).

TEMPORARY minimal version written by w16; the integrator keeps w13's, same interface."""

from __future__ import annotations

from pathlib import Path

import pytest

ARTEFACTS = Path(__file__).resolve().parent.parent / "build" / "test-artefacts"


@pytest.fixture(scope="session")
def artefacts_dir() -> Path:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    return ARTEFACTS


@pytest.fixture(scope="session")
def browser():
    from tests.browser import Browser

    instance = Browser()
    yield instance
    instance.close()
