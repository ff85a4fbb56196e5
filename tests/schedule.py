"""How `make test` shares the suite between its two workers: `pytest -n 2 --dist loadgroup --no-loadscope-reorder`.

Each xdist group goes to one worker as a whole. Every test gets a group at collection:
- `shared_runs` for the tests that read the session's run on the mini sources (mini_run, mini_release,
  mini_dashboard) or fork runs from the session's run server (pipeline_server; test_faults does both): a
  session fixture is built once per worker, so keeping its users together builds that graph run (about 12 s
  of CPU) and that server (about 4 s) once per suite instead of once per worker;
- otherwise its file, as `--dist loadfile` would do, so that module fixtures are built once.

Groups are put in order, the heavy ones first (those holding graph, browser, PostgreSQL or demo tests, the
most such tests first; then the rest, the largest first): a worker takes the next group when it runs out, so
a long group started last would leave the other worker idle at the end. `--no-loadscope-reorder` keeps that
order (xdist would sort the groups by their number of tests). Nothing is timed: kinds are tests/markers.py's.

Why a scheduler of our own: xdist 3.8's loadgroup tells the controller a test's group by appending `@group`
to its node id, which pytest 9.2's structured node ids ignore (pytest-xdist issue 1386), so every test
would go its own way. Here each worker writes the groups it collected to a file the controller named
(workerinput), and the controller's loadgroup scheduler reads them. Same meaning as xdist's: tests without
an `xdist_group` mark are distributed one by one."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pytest
from xdist.scheduler import LoadGroupScheduling

# Costly session fixtures used by several files: the graph run on the mini sources, the fixtures that read it
# (tests/conftest.py, tests/observatory/report/conftest.py) and the run server (tests/assets/conftest.py).
SHARED_FIXTURES = frozenset({"mini_run", "mini_release", "mini_dashboard", "pipeline_server"})
SHARED_GROUP = "shared_runs"
HEAVY_KINDS = ("graph", "browser", "postgres", "demo")
# workerinput key: where a worker writes {node id: group} for the controller.
GROUPS_FILE = "observatory_xdist_groups"


def group_of(item: pytest.Item) -> str:
    if SHARED_FIXTURES & set(getattr(item, "fixturenames", ())):
        return SHARED_GROUP
    return item.nodeid.split("::", 1)[0]


def _mark_group(item: pytest.Item) -> str | None:
    names = sorted(
        {str(m.args[0] if m.args else m.kwargs.get("name", "default")) for m in item.iter_markers("xdist_group")}
    )
    return "_".join(names) or None


def _is_heavy(item: pytest.Item) -> bool:
    return any(item.get_closest_marker(kind) for kind in HEAVY_KINDS)


def apply(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Give each item its group (unless one is written by hand), reorder `items` heavy groups first and,
    on an xdist worker, tell the controller the groups. Runs after tests/markers.py; the order is the same
    on every worker (xdist checks that all workers collected the same list)."""
    groups: dict[str, list[pytest.Item]] = {}
    for item in items:
        name = _mark_group(item)
        if name is None:
            name = group_of(item)
            item.add_marker(pytest.mark.xdist_group(name))
        groups.setdefault(name, []).append(item)
    # sorted() is stable: equal groups keep the collection order, and each group its tests' order.
    ordered = sorted(groups.values(), key=lambda group: (-sum(map(_is_heavy, group)), -len(group)))
    items[:] = [item for group in ordered for item in group]
    target = getattr(config, "workerinput", {}).get(GROUPS_FILE)
    if target:
        written = {item.nodeid: name for item in items if (name := _mark_group(item))}
        Path(target).write_text(json.dumps(written), encoding="utf-8")


class FileGroupScheduling(LoadGroupScheduling):
    """xdist's loadgroup, the groups read from the files the workers wrote (see the module's docstring)."""

    def __init__(self, config: pytest.Config, log=None, folder: Path | None = None) -> None:
        super().__init__(config, log)
        self.folder = folder
        self.groups: dict[str, str] | None = None

    def _split_scope(self, nodeid: str) -> str:
        if self.groups is None:
            # Read once every worker has finished collecting (the controller schedules only then); the
            # workers collected the same tests, so any of their files will do.
            files = sorted(self.folder.glob("*.json")) if self.folder else []
            self.groups = json.loads(files[0].read_text(encoding="utf-8")) if files else {}
        group = self.groups.get(nodeid)
        return f"@{group}" if group is not None else super()._split_scope(nodeid)


# The controller's side, hooks imported by tests/conftest.py: a folder where each worker writes its groups.
GROUPS_FOLDER = pytest.StashKey[Path]()


def _groups_folder(config: pytest.Config) -> Path:
    if GROUPS_FOLDER not in config.stash:
        config.stash[GROUPS_FOLDER] = Path(tempfile.mkdtemp(prefix="pytest-xdist-groupes-"))
    return config.stash[GROUPS_FOLDER]


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node) -> None:
    node.workerinput[GROUPS_FILE] = str(_groups_folder(node.config) / f"{node.gateway.id}.json")


@pytest.hookimpl(optionalhook=True, tryfirst=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log):
    """`--dist loadgroup` with the groups the workers wrote; the other modes are xdist's."""
    if config.getvalue("dist") == "loadgroup":
        return FileGroupScheduling(config, log, _groups_folder(config))
    return None


def pytest_unconfigure(config: pytest.Config) -> None:
    if GROUPS_FOLDER in config.stash:
        shutil.rmtree(config.stash[GROUPS_FOLDER], ignore_errors=True)
