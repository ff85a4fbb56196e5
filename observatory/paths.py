"""Where the repository keeps things. Every other module asks here instead of guessing."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SCHEMAS_DIR = REPO_ROOT / "schemas"
DATA_DIR = REPO_ROOT / "data"
# Vendored official referential (COG), rebuilt by scripts/build_referential.py.
REFERENTIAL_DIR = DATA_DIR / "referentiel"
# Embedded demonstration sources, rebuilt by scripts/generate_demo_sources.py.
EMBEDDED_SOURCES_DIR = DATA_DIR / "sources-demo"
MAPPINGS_DIR = REPO_ROOT / "mappings"
DEFAULT_BUILD_DIR = REPO_ROOT / "build"
DEFAULT_EXPORTS_DIR = REPO_ROOT / "exports"
