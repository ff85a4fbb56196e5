"""Read a release folder the way any reader would: its published files and datapackage.json, nothing else."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from observatory.publish.catalog import PUBLISHED_TABLES

# Short names of the producers, as a report cites them, recognised in the titles of datapackage `sources`.
_PRODUCERS = [
    ("declaration", "déclarations des OPSN"),
    ("cnil", "CNIL"),
    ("cog 2026", "INSEE COG 2026"),
    ("anct", "ANCT"),
]


@dataclass
class ReleaseData:
    path: Path
    version: str
    demonstration: bool
    sources: list[dict]
    # Read on first use: the charts need six small tables, never `adhesions` (400,000 rows at
    # 10× France scale), which would otherwise set the run's peak memory.
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    available: tuple[str, ...] = ()

    def table(self, name: str) -> pd.DataFrame:
        if name not in self.tables and name in self.available:
            self.tables[name] = _read_table(self.path, name)
        return self.tables[name]

    def has(self, name: str) -> bool:
        return name in self.tables or name in self.available

    @property
    def source_line(self) -> str:
        """« Source : Observatoire des OPSN, version …, d'après CNIL, INSEE COG 2026 »."""
        titles = " | ".join(str(s.get("title", "")) for s in self.sources).lower().replace("é", "e")
        cited = [label for key, label in _PRODUCERS if key in titles]
        after = f", d'après {', '.join(cited)}" if cited else ""
        return f"Source : Observatoire des OPSN, version {self.version}{after}"


def _read_table(folder: Path, name: str) -> pd.DataFrame | None:
    parquet, csv = folder / f"{name}.parquet", folder / f"{name}.csv"
    if parquet.exists():
        # Arrow-backed strings would leak pandas NA semantics into the charts; plain objects are simpler.
        return pq.read_table(parquet).to_pandas()
    if csv.exists():
        return pd.read_csv(csv, dtype=str, keep_default_na=False)
    return None


def load_release(release_dir: Path | str) -> ReleaseData:
    folder = Path(release_dir)
    descriptor_path = folder / "datapackage.json"
    if not descriptor_path.exists():
        raise FileNotFoundError(f"{descriptor_path} : introuvable, ce dossier n'est pas une version publiée")
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    release = ReleaseData(
        path=folder,
        version=str(descriptor.get("version") or folder.name),
        demonstration=bool(descriptor.get("demonstration", False)),
        sources=list(descriptor.get("sources", [])),
    )
    # historique_indicateurs is optional: it only exists once the release history is published.
    release.available = tuple(
        name
        for name in dict.fromkeys([*PUBLISHED_TABLES, "historique_indicateurs"])
        if (folder / f"{name}.parquet").exists() or (folder / f"{name}.csv").exists()
    )
    return release
