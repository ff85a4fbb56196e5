"""Resources: where sources come from, where the warehouse lives, where releases go.

Configuration comes from environment variables read when the code location loads. Every one
of them has a default (the table below), so that `make run` with nothing set runs the embedded
demonstration sources: none is a `dg.EnvVar`, which Dagster resolves only at launch and which
fails on an unset variable. `dg.EnvVar` is kept for what has no default: the data.gouv.fr API key,
required once uploads are turned on (OBSERVATORY_DATAGOUV_DATASET_PUBLICATION), resolved at launch
and never shown in the UI.

| variable                  | default                                        |
|---------------------------|------------------------------------------------|
| OBSERVATORY_SOURCES       | unset: embedded mode; set: local mode, this folder |
| OBSERVATORY_SOURCES_MODE  | `embedded`, or `local` when OBSERVATORY_SOURCES is set |
| OBSERVATORY_BUILD_DIR     | `build/` of the checkout (of the working directory once installed) |
| OBSERVATORY_EXPORTS_DIR   | `exports/`, beside it                          |
| OBSERVATORY_DATAGOUV_URL  | https://www.data.gouv.fr                       |
| OBSERVATORY_DATAGOUV_DATASET_PUBLICATION | unset: releases are not uploaded |
| OBSERVATORY_DATAGOUV_API_KEY | none: a `dg.EnvVar`, required when the above is set |
"""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Literal, get_args

import dagster as dg
import duckdb

from assets.snapshot_io import SnapshotAwareIOManager
from observatory.datagouv.client import DEFAULT_URL as DATAGOUV_URL
from observatory.locking import Lock, acquire
from observatory.paths import DEFAULT_BUILD_DIR, DEFAULT_EXPORTS_DIR, EMBEDDED_SOURCES_DIR, REPO_ROOT
from observatory.publish.upload import API_KEY_VARIABLE, DATASET_VARIABLE
from observatory.sources.layout import SourceTree
from observatory.sources.modes import resolve_source_tree
from observatory.warehouse_memory import limit_memory

SOURCES_VARIABLE = "OBSERVATORY_SOURCES"
MODE_VARIABLE = "OBSERVATORY_SOURCES_MODE"
BUILD_VARIABLE = "OBSERVATORY_BUILD_DIR"
EXPORTS_VARIABLE = "OBSERVATORY_EXPORTS_DIR"
DATAGOUV_VARIABLE = "OBSERVATORY_DATAGOUV_URL"

# The values of observatory.sources.modes.SourceMode, as a Literal: Dagster shows them as a
# choice in the launchpad and rejects any other value in run config.
SourcesMode = Literal["embedded", "local", "live"]
SOURCES_MODES: tuple[str, ...] = get_args(SourcesMode)


class ConfigurationError(ValueError):
    """An environment variable holds a value the observatory cannot run with."""


# Every step that opens the DuckDB warehouse runs in this pool; dagster.yaml limits it to one
# step at a time across all runs, including `make run`, which does not go through the run queue.
WAREHOUSE_POOL = "entrepot"


class ObservatorySettings(dg.ConfigurableResource):
    """Source mode and folders; `OBSERVATORY_SOURCES=/dir` switches the default to local mode."""

    sources_mode: SourcesMode = "embedded"
    sources_dir: str = ""
    build_dir: str = str(DEFAULT_BUILD_DIR)
    exports_dir: str = str(DEFAULT_EXPORTS_DIR)
    # Live mode: the udata portal (OBSERVATORY_DATAGOUV_URL); a replay server's URL in tests.
    datagouv_url: str = DATAGOUV_URL

    def source_tree(self) -> SourceTree:
        directory = str(self.live_dir / "arbre") if self.sources_mode == "live" else self.sources_dir
        return resolve_source_tree(self.sources_mode, directory)

    @property
    def live_dir(self) -> Path:
        """Downloads, their sidecars and the trees built from them (observatory/sources/live.py)."""
        return Path(self.build_dir) / "live"

    @property
    def snapshots_dir(self) -> Path:
        return Path(self.build_dir) / "raw"


class DatagouvUpload(dg.ConfigurableResource):
    """Where releases are uploaded on data.gouv.fr; off while `dataset` is empty."""

    dataset: str = ""
    api_key: str = ""


class Warehouse(dg.ConfigurableResource):
    """The working DuckDB file. Only this pipeline writes it; researchers get their own copy
    in each release, so nothing outside can hold its lock during a run."""

    path: str = str(DEFAULT_BUILD_DIR / "warehouse.duckdb")

    @contextmanager
    def yield_for_execution(self, context: dg.InitResourceContext) -> Iterator["Warehouse"]:
        """Hold one connection for the whole run: DuckDB then reuses the open database for every
        step's `connect()` (0.4 ms instead of 30 ms CPU and up to 0.25 s under load, 80 times a
        run). It closes with the run, so the file is free as soon as the run ends."""
        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        # One refresh at a time, for the whole run (observatory/locking.py).
        run_lock: Lock = acquire(Path(self.path + ".verrou"), purpose="actualisation de l'entrepôt")
        try:
            keeper = duckdb.connect(self.path)
            limit_memory(keeper)
        except duckdb.IOException:
            keeper = None  # locked elsewhere: each step's connect() reports it clearly
        try:
            yield self
        finally:
            if keeper is not None:
                keeper.close()
            run_lock.release()

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            con = duckdb.connect(self.path)
            limit_memory(con)
        except duckdb.IOException as error:
            raise RuntimeError(
                f"l'entrepôt {self.path} est verrouillé par un autre processus (un notebook ?) : "
                "fermez-le, ou ouvrez plutôt le fichier observatoire.duckdb d'une publication"
            ) from error
        try:
            yield con
        finally:
            con.close()


def _mode_and_folder() -> tuple[SourcesMode, str]:
    """The source mode and folder the environment asks for; an unknown mode is refused here, with
    the variable and the allowed values, rather than as a validation trace from the resource."""
    sources_dir = os.environ.get(SOURCES_VARIABLE, "")
    # Set but empty (a blank line in a .env or a compose file) counts as unset.
    mode = os.environ.get(MODE_VARIABLE, "").strip() or ("local" if sources_dir else "embedded")
    if mode not in SOURCES_MODES:
        raise ConfigurationError(
            f"{MODE_VARIABLE}={mode!r} : mode inconnu ; valeurs possibles : {', '.join(SOURCES_MODES)}"
        )
    return mode, sources_dir


def default_resources() -> dict:
    """`OBSERVATORY_BUILD_DIR` / `OBSERVATORY_EXPORTS_DIR` move the working files and releases
    (a server keeps them outside the checkout; tests use temporary folders)."""
    mode, sources_dir = _mode_and_folder()
    build_dir = os.environ.get(BUILD_VARIABLE) or str(DEFAULT_BUILD_DIR)
    exports_dir = os.environ.get(EXPORTS_VARIABLE) or str(DEFAULT_EXPORTS_DIR)
    return {
        "settings": ObservatorySettings(
            sources_mode=mode,
            sources_dir=sources_dir,
            build_dir=build_dir,
            exports_dir=exports_dir,
            datagouv_url=os.environ.get(DATAGOUV_VARIABLE) or DATAGOUV_URL,
        ),
        "warehouse": Warehouse(path=str(Path(build_dir) / "warehouse.duckdb")),
        "upload": _upload(),
        "io_manager": SnapshotAwareIOManager(),
    }


def _upload() -> DatagouvUpload:
    dataset = os.environ.get(DATASET_VARIABLE, "")
    # The key has no default: asked for (as a dg.EnvVar) only once uploads are turned on.
    return DatagouvUpload(dataset=dataset, api_key=dg.EnvVar(API_KEY_VARIABLE) if dataset else "")


def run_tags() -> dict[str, str]:
    """`observatoire/mode` and `observatoire/source` (folder or portal URL), read as the resources are."""
    mode, sources_dir = _mode_and_folder()
    if mode == "live":
        source = os.environ.get(DATAGOUV_VARIABLE) or DATAGOUV_URL
    elif mode == "local":
        source = str(Path(sources_dir).expanduser().resolve()) if sources_dir else ""
    else:
        source = str(EMBEDDED_SOURCES_DIR.relative_to(REPO_ROOT))
    return {"observatoire/mode": mode, "observatoire/source": source}
