"""Session fixtures shared by every test package: a real browser, a real PostgreSQL server, the mini release,
and where tests keep artefacts for people."""

import os
from pathlib import Path

import pytest

from tests.postgres_server import remove, start_server

# xdist's controller side of tests/schedule.py: `--dist loadgroup` reads the groups the workers wrote.
from tests.schedule import pytest_configure_node, pytest_unconfigure, pytest_xdist_make_scheduler  # noqa: F401

ARTEFACTS_DIR = Path(__file__).resolve().parent.parent / "build" / "test-artefacts"
MINI = Path(__file__).resolve().parent / "fixtures" / "sources-mini"


@pytest.fixture(scope="session")
def artefacts_dir() -> Path:
    """build/test-artefacts/ (git-ignored): screenshots and files a person should look at after the run."""
    ARTEFACTS_DIR.mkdir(parents=True, exist_ok=True)
    return ARTEFACTS_DIR


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright, started once per session (see tests/browser.py)."""
    from tests.browser import Browser

    instance = Browser()
    yield instance
    instance.close()


@pytest.fixture(scope="session")
def mini_run(tmp_path_factory):
    """observatoire_complet on the mini sources (local mode), once per session for every test that only reads
    what it left: (folder holding build/ and exports/, result, run record, event log)."""
    import dagster as dg

    from tests.assets.conftest import run_complete

    tmp_path = tmp_path_factory.mktemp("mini")
    with dg.instance_for_test() as instance:
        result = run_complete(tmp_path, MINI, instance)
        return tmp_path, result, instance.get_run_by_id(result.run_id), instance.all_logs(result.run_id)


@pytest.fixture(scope="session")
def mini_release(request) -> Path:
    """The release mini_run published: exports/<version>/ (its charts and dashboard in tableau-de-bord/).

    OBSERVATORY_TEST_MINI_RELEASE=<folder of such a release> reuses one already built, to iterate faster on
    tests that only read it."""
    if os.environ.get("OBSERVATORY_TEST_MINI_RELEASE"):
        return Path(os.environ["OBSERVATORY_TEST_MINI_RELEASE"])
    tmp_path, result, _, _ = request.getfixturevalue("mini_run")
    assert result.success
    version = (tmp_path / "exports" / "LATEST").read_text().strip()
    return tmp_path / "exports" / version


@pytest.fixture(scope="session")
def postgres():
    """A real PostgreSQL server on 127.0.0.1 (random port), torn down at the end of the session."""
    server = start_server()
    try:
        yield server
    finally:
        remove(server)


# First: the groups and the order are set before any other plugin reads or filters the items.
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Mark every test unit, graph, browser or postgres from what it uses (tests/markers.py), then give it its
    xdist group and put the heavy groups first (tests/schedule.py)."""
    from tests import markers, schedule

    markers.apply(items)
    schedule.apply(config, items)
