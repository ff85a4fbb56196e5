"""Where things live. Every other module asks here instead of guessing.

What the library needs at run time (Table Schemas, the vendored COG referential, the reviewed
decisions shipped by default) is package data under `observatory/resources/`, found through
`importlib.resources` so that a plain `pip install .` works outside the checkout. The top-level
`schemas/`, `mappings/` and `data/referentiel/` of the repository are links to those folders,
kept because the docs and the schema catalogue name them.

What belongs to the checkout only (the embedded demonstration sources) and what a run writes
(`build/`, `exports/`) is resolved from the repository when there is one, else from the
working directory.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

# Installed from a wheel or in editable mode, the package sits on the file system: a Path is
# what DuckDB, pandas and frictionless expect.
RESOURCES_DIR = Path(str(files("observatory").joinpath("resources")))
SCHEMAS_DIR = RESOURCES_DIR / "schemas"
# Vendored official referential (COG), rebuilt by scripts/build_referential.py.
REFERENTIAL_DIR = RESOURCES_DIR / "referentiel"
MAPPINGS_DIR = RESOURCES_DIR / "mappings"

# The folder holding the `observatory` and `assets` packages: the checkout, or site-packages.
CODE_ROOT = Path(__file__).resolve().parent.parent
# In a checkout, build/ and exports/ sit beside pyproject.toml whatever the working directory;
# an installed library writes them where it is run.
REPO_ROOT = CODE_ROOT if (CODE_ROOT / "pyproject.toml").exists() else Path.cwd()
DATA_DIR = REPO_ROOT / "data"
# Embedded demonstration sources (checkout only), rebuilt by scripts/generate_demo_sources.py.
EMBEDDED_SOURCES_DIR = DATA_DIR / "sources-demo"
DEFAULT_BUILD_DIR = REPO_ROOT / "build"
DEFAULT_EXPORTS_DIR = REPO_ROOT / "exports"
