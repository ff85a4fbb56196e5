"""Resources: where sources come from, where the warehouse lives, where releases go."""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb
from pydantic import PrivateAttr

from observatory.locking import Lock, acquire
from observatory.paths import DEFAULT_BUILD_DIR, DEFAULT_EXPORTS_DIR
from observatory.sources.layout import SourceTree
from observatory.sources.modes import resolve_source_tree


class ObservatorySettings(dg.ConfigurableResource):
    """Source mode and folders; `OBSERVATORY_SOURCES=/dir` switches the default to local mode."""

    sources_mode: str = "embedded"
    sources_dir: str = ""
    build_dir: str = str(DEFAULT_BUILD_DIR)
    exports_dir: str = str(DEFAULT_EXPORTS_DIR)

    def source_tree(self) -> SourceTree:
        return resolve_source_tree(self.sources_mode, self.sources_dir)

    @property
    def snapshots_dir(self) -> Path:
        return Path(self.build_dir) / "raw"


class Warehouse(dg.ConfigurableResource):
    """The working DuckDB file. Only this pipeline writes it; researchers get their own copy
    in each release, so nothing outside can hold its lock during a run."""

    path: str = str(DEFAULT_BUILD_DIR / "warehouse.duckdb")
    _run_lock: Lock | None = PrivateAttr(default=None)

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        # One refresh at a time, for the whole run (observatory/locking.py).
        self._run_lock = acquire(Path(self.path + ".verrou"), purpose="actualisation de l'entrepôt")

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        if self._run_lock is not None:
            self._run_lock.release()

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            con = duckdb.connect(self.path)
        except duckdb.IOException as error:
            raise RuntimeError(
                f"l'entrepôt {self.path} est verrouillé par un autre processus (un notebook ?) : "
                "fermez-le, ou ouvrez plutôt le fichier observatoire.duckdb d'une publication"
            ) from error
        try:
            yield con
        finally:
            con.close()


def default_resources() -> dict:
    sources_dir = os.environ.get("OBSERVATORY_SOURCES", "")
    mode = os.environ.get("OBSERVATORY_SOURCES_MODE", "local" if sources_dir else "embedded")
    return {
        "settings": ObservatorySettings(sources_mode=mode, sources_dir=sources_dir),
        "warehouse": Warehouse(),
    }
