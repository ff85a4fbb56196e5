"""Raw snapshots: an immutable, content-addressed copy of each source file with its provenance.

Downstream assets read the snapshot, never the original path, so a steward editing a file
mid-run cannot change what a run computed, and a run can always say exactly what it read.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from observatory.faults import checkpoint


@dataclass(frozen=True)
class Snapshot:
    name: str
    origin: str
    path: str
    sha256: str
    size_bytes: int
    read_at: str
    mode: str

    def as_metadata(self) -> dict:
        return asdict(self)


def sha256_file(path: Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def take_snapshot(name: str, source: Path, snapshots_dir: Path, mode: str) -> Snapshot:
    """Copy `source` under `snapshots_dir/<name>/<sha256>/` (once per content) and record it."""
    digest = sha256_file(source)
    target_dir = snapshots_dir / name / digest
    target = target_dir / source.name
    if not target.exists():
        target_dir.mkdir(parents=True, exist_ok=True)
        temporary = target.with_suffix(target.suffix + ".tmp")
        shutil.copyfile(source, temporary)
        checkpoint("instantanes")
        temporary.replace(target)
    snapshot = Snapshot(
        name=name,
        origin=str(source),
        path=str(target),
        sha256=digest,
        size_bytes=target.stat().st_size,
        read_at=datetime.now(UTC).isoformat(timespec="seconds"),
        mode=mode,
    )
    (target_dir / "provenance.json").write_text(
        json.dumps(snapshot.as_metadata(), ensure_ascii=False, indent=2), encoding="utf-8"
    )
    return snapshot
