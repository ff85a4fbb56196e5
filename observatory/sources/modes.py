"""Resolve a source mode to the directory tree the pipeline reads."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from observatory.paths import EMBEDDED_SOURCES_DIR
from observatory.sources.layout import SourceTree


class SourceMode(StrEnum):
    EMBEDDED = "embedded"  # demo files committed in the repo: a fresh clone runs offline
    LOCAL = "local"  # the same layout in a steward's folder
    LIVE = "live"  # data.gouv.fr, downloaded into a snapshot folder first


class LiveModeUnavailable(RuntimeError):
    pass


class EmbeddedSourcesUnavailable(FileNotFoundError):
    """Embedded mode run from an installed library, away from the checkout that holds the demo data."""


def resolve_source_tree(mode: str, directory: str | None = None) -> SourceTree:
    mode = SourceMode(mode)
    if mode is SourceMode.EMBEDDED:
        # The demonstration sources live in the repository, not in the installed package.
        if not EMBEDDED_SOURCES_DIR.is_dir():
            raise EmbeddedSourcesUnavailable(
                f"mode embedded : sources de démonstration introuvables ({EMBEDDED_SOURCES_DIR}) ; elles ne "
                "sont livrées qu'avec le dépôt. Hors du dépôt, indiquez le dossier des sources : "
                "OBSERVATORY_SOURCES=/chemin (mode local)"
            )
        return SourceTree(EMBEDDED_SOURCES_DIR)
    if mode is SourceMode.LOCAL:
        if not directory:
            raise ValueError("mode local : indiquez le dossier des sources (OBSERVATORY_SOURCES=/chemin)")
        root = Path(directory).expanduser().resolve()
        if not root.is_dir():
            raise FileNotFoundError(f"mode local : dossier des sources introuvable : {root}")
        return SourceTree(root)
    # Live: `directory` is the tree the last live fetch switched to (observatory/sources/live.py).
    tree = Path(directory or "")
    if not directory or not tree.is_dir():
        raise LiveModeUnavailable(
            f"mode live : aucune source téléchargée de data.gouv.fr dans {tree} ; "
            "lancez le graphe complet (il télécharge avant de lire)"
        )
    return SourceTree(tree)
