"""Which kind of test an item is, read from what it uses rather than written by hand on each test.

- `graph`: materialises the Dagster graph (in this process or another) or starts a subprocess;
- `browser`: drives the real Chromium (fixture `browser`);
- `postgres`: starts the real PostgreSQL server (fixture `postgres`);
- `unit`: everything else, the quick path (`make test-quick`);
- `demo`, beside any of those: reads the whole embedded demonstration sources (`EMBEDDED_SOURCES_DIR`,
  16,000 members, 87,000 CNIL rows) rather than a small fixture; `make test-quick` leaves these out.

A test is `graph` when its function, one of its fixtures, or a helper of the test package they call
(followed transitively) names a graph entry point or the `subprocess` module. Reading names rather than
running code keeps the decision at collection time, so `-m unit` never starts a graph run by accident.
A marker written by hand wins over the reading. `make test` reads these kinds too: tests/schedule.py sends the
groups holding graph, browser, postgres or demo tests to the workers first."""

from __future__ import annotations

import types
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

KINDS = ("graph", "browser", "postgres")
FIXTURE_KINDS = {"browser": "browser", "postgres": "postgres"}
# Names whose mention means a graph run: Dagster's executors, the project's helpers around them, and the script
# that tests kill (tests/run_pipeline.py, reached through RUNNER or the PipelineServer forking it).
GRAPH_NAMES = frozenset(
    {
        "execute_in_process",
        "materialize",
        "materialize_to_memory",
        "run_everything",
        "run_complete",
        "RUNNER",
        "PipelineServer",
    }
)
# The shared graph runs (tests/conftest.py, tests/assets/conftest.py), named because some reach others at run time
# (mini_release asks for mini_run only when no built release is given), which no reading of names can see.
GRAPH_FIXTURES = frozenset({"mini_run", "mini_release", "mini_dashboard", "embedded_run", "pipeline_server"})
# Names whose mention means the whole embedded demonstration sources are read.
DEMO_NAMES = frozenset({"EMBEDDED_SOURCES_DIR"})
TESTS_DIR = str(Path(__file__).resolve().parent)


def _in_tests(function: object) -> bool:
    """Defined in a file under tests/ (some test folders are not packages: their module names say nothing)."""
    code = getattr(function, "__code__", None)
    return code is not None and code.co_filename.startswith(TESTS_DIR)


def _names(code: types.CodeType) -> set[str]:
    """Global and attribute names a code object and its nested functions, lambdas and comprehensions use."""
    names, stack = set(), [code]
    while stack:
        current = stack.pop()
        names.update(current.co_names)
        stack.extend(c for c in current.co_consts if isinstance(c, types.CodeType))
    return names


def _starts_subprocess(value: object) -> bool:
    return (
        isinstance(value, types.ModuleType)
        and value.__name__ == "subprocess"
        or (callable(value) and getattr(value, "__module__", None) == "subprocess")
    )


def _mentions(function: Callable, wanted: frozenset[str], subprocesses: bool, seen: set) -> bool:
    """True when `function`, or a function of the test package it names, names one of `wanted`
    (or, with `subprocesses`, the subprocess module)."""
    function = getattr(function, "__wrapped__", function)
    code = getattr(function, "__code__", None)
    if code is None or function in seen:
        return False
    seen.add(function)
    names = _names(code)
    if names & wanted:
        return True
    scope = function.__globals__
    for name in names:
        value = scope.get(name)
        if subprocesses and _starts_subprocess(value):
            return True
        if isinstance(value, types.FunctionType) and _in_tests(value):
            if _mentions(value, wanted, subprocesses, seen):
                return True
    return False


def runs_graph(function: Callable, seen: set | None = None) -> bool:
    """True when `function`, or a function of the test package it names, runs the graph or a subprocess."""
    return _mentions(function, GRAPH_NAMES, True, set() if seen is None else seen)


def reads_demo(function: Callable) -> bool:
    """True when `function`, or a function of the test package it names, reads the embedded demo sources."""
    return _mentions(function, DEMO_NAMES, False, set())


def _fixture_functions(item: pytest.Item) -> Iterable[Callable]:
    info = getattr(item, "_fixtureinfo", None)
    for definitions in info.name2fixturedefs.values() if info else ():
        for definition in definitions:
            # The project's fixtures only: pytest's own and plugins' (tmp_path, httpserver) run no graph.
            if _in_tests(getattr(definition.func, "__wrapped__", definition.func)):
                yield definition.func


def _item_functions(item: pytest.Item) -> list[Callable]:
    """The test function and the project's fixtures it uses: what the readings look into."""
    return [f for f in (getattr(item, "function", None), *_fixture_functions(item)) if f is not None]


def kinds(item: pytest.Item) -> set[str]:
    """The kinds of `item` among KINDS (empty: a unit test)."""
    used = set(getattr(item, "fixturenames", ()))
    found = {kind for name, kind in FIXTURE_KINDS.items() if name in used}
    if used & GRAPH_FIXTURES:
        found.add("graph")
    if any(runs_graph(f) for f in _item_functions(item)):
        found.add("graph")
    return found


def apply(items: list[pytest.Item]) -> None:
    for item in items:
        if not item.get_closest_marker("demo") and any(reads_demo(f) for f in _item_functions(item)):
            item.add_marker("demo")
        if any(item.get_closest_marker(kind) for kind in ("unit", *KINDS)):
            continue
        found = kinds(item)
        for kind in sorted(found):
            item.add_marker(kind)
        if not found:
            item.add_marker("unit")
