"""How the suite is shared between two workers (tests/schedule.py): groups on this session's tests, and a small
suite run with `make test`'s options, where the users of a shared session fixture must meet on one worker."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import schedule

pytest_plugins = ["pytester"]
REPO = Path(__file__).resolve().parents[1]
# A session fixture named like the suite's mini run, used by two files; other files are free to go anywhere.
SMALL_SUITE = {
    "conftest.py": """
import os
import pytest
from tests.schedule import apply, pytest_configure_node, pytest_unconfigure, pytest_xdist_make_scheduler

@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    apply(config, items)

def _note(kind):
    with open(os.environ["SUIVI"], "a") as handle:
        handle.write(f"{kind} {os.environ['PYTEST_XDIST_WORKER']}\\n")

@pytest.fixture(scope="session")
def mini_run():
    _note("construit")

@pytest.fixture
def note():
    return _note
""",
    "test_a.py": "\n".join(f"def test_a{i}(mini_run, note):\n    note('lecteur')\n" for i in range(4)),
    "test_b.py": "\n".join(f"def test_b{i}(mini_run, note):\n    note('lecteur')\n" for i in range(4)),
    **{
        f"test_libre_{n}.py": "\n".join(f"def test_{n}{i}(note):\n    note('libre')\n" for i in range(3))
        for n in "cdef"
    },
}


def test_every_test_of_this_session_has_one_group_and_groups_are_contiguous_heavy_first(request):
    items = request.session.items
    groups = [schedule._mark_group(item) for item in items]
    assert None not in groups
    for item, group in zip(items, groups, strict=True):
        uses_shared = bool(schedule.SHARED_FIXTURES & set(item.fixturenames))
        assert (group == schedule.SHARED_GROUP) == uses_shared, item.nodeid
    seen = [g for i, g in enumerate(groups) if i == 0 or g != groups[i - 1]]
    assert len(seen) == len(set(seen)), "a group's tests follow one another"
    heavy = [any(schedule._is_heavy(item) for item, g in zip(items, groups, strict=True) if g == s) for s in seen]
    assert heavy == sorted(heavy, reverse=True), "the groups holding graph, browser, postgres or demo tests first"


@pytest.mark.graph  # starts a pytest of its own, with two workers
def test_users_of_a_shared_session_fixture_meet_on_one_worker_which_builds_it_once(pytester, monkeypatch):
    pytester.makepyfile(**{name.removesuffix(".py"): text for name, text in SMALL_SUITE.items()})
    notes = pytester.path / "suivi.txt"
    monkeypatch.setenv("SUIVI", str(notes))
    monkeypatch.setenv("PYTHONPATH", str(REPO))
    result = pytester.runpytest_subprocess("-n", "2", "--dist", "loadgroup", "--no-loadscope-reorder", "-p", "xdist")
    result.assert_outcomes(passed=20)
    lines = [line.split() for line in notes.read_text(encoding="utf-8").splitlines()]
    built = [worker for kind, worker in lines if kind == "construit"]
    readers = {worker for kind, worker in lines if kind == "lecteur"}
    # With every test a group of its own (xdist 3.8's loadgroup on pytest 9.2), readers go to both workers.
    assert len(built) == 1 and readers == set(built)
    assert sum(kind == "libre" for kind, _ in lines) == 12
