"""What the table catalogue (observatory/table_catalog.py) declares about each source and table."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Layer = Literal["raw", "core", "out", "publication"]


@dataclass(frozen=True)
class RawSource:
    """A source file of the common layout (or the vendored referential), snapshotted by a raw asset."""

    name: str  # logical name the layout and loaders use
    asset: str  # raw asset key (a contract: raw_<source>__<what>)
    source: str
    path: str | None  # relative path in the source layout; None: not in the layout (vendored)
    schema: str | None = None  # Table Schema of the file's format (the columns a loader requires)
    description: str = ""
    # An optional file a tree may lack is stood for by a header-only file written from its schema.
    optional: bool = False
    separator: str = ","


@dataclass(frozen=True)
class Published:
    resource: str  # published name, = schemas/<resource>.json
    order: int  # position in the package (datapackage.json, README, DuckDB), stable across releases
    may_be_empty: bool = False  # no row is a legitimate result, not a failed check


@dataclass(frozen=True)
class Table:
    name: str  # warehouse table = asset key (a contract: core_<source>__<what>, out__<what>)
    layer: Layer
    source: str  # declarations, cnil, anct, cog, observatoire (several sources crossed)
    schema: str  # Table Schema name: schemas/<schema>.json
    description: str
    build: str  # "module:function"; a loader (con, path, origin) when `raw` is set, else (con)
    deps: tuple[str, ...] = ()  # warehouse tables the build reads
    raw: str | None = None  # RawSource.name the table is loaded from
    published: Published | None = None
    # The whole schema contract holds once built (published tables, referential, typed declarations);
    # tables keeping identifiers as declared do not qualify.
    contract: bool = False
    preview: bool = False  # a steward opens it first: a few rows on its asset page

    @property
    def group(self) -> str:
        """Dagster group: layer and source, as in PUDL (`core_cnil`, `out_observatoire`…)."""
        return f"{self.layer}_{self.source}"
