"""The default IO manager, with one correction: a raw snapshot's `path` is the snapshot copy.

Dagster's pickle IO manager records `path` (its own pickle file) after the asset's metadata,
so its value wins over the one the asset gave: `execute_step` merges `{**output.metadata,
**io_manager_metadata}`. The IO manager's `get_metadata` is merged after that `path`, so
overriding it is the one place where the snapshot copy can be named.
"""

from __future__ import annotations

import dagster as dg
from dagster._core.storage.fs_io_manager import PickledObjectFilesystemIOManager

from observatory.sources.snapshot import Snapshot


class _SnapshotAwarePickles(PickledObjectFilesystemIOManager):
    def get_metadata(self, context: dg.OutputContext, obj) -> dict:
        if isinstance(obj, Snapshot):
            return {"path": dg.MetadataValue.path(obj.path)}
        return {}


class SnapshotAwareIOManager(dg.ConfigurableIOManagerFactory):
    """Pickles step outputs under DAGSTER_HOME/storage like `dg.FilesystemIOManager`."""

    base_dir: str | None = None

    def create_io_manager(self, context: dg.InitResourceContext) -> _SnapshotAwarePickles:
        return _SnapshotAwarePickles(base_dir=self.base_dir or context.instance.storage_directory())
