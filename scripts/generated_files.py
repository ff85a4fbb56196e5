"""Files a script generates, compared with or written over their committed copies.

The schema generators (build_schemas.py, build_declaration_schemas.py) render every file into a
{relative path: text} mapping first; `stale` says which committed copies differ (the up-to-date
tests and `--check`), `write` replaces them.
"""

from __future__ import annotations

from pathlib import Path


def stale(rendered: dict[Path, str], target: Path) -> list[Path]:
    """Relative paths whose file under `target` is missing or differs from its rendering."""
    return [
        path
        for path, text in rendered.items()
        if not (target / path).exists() or (target / path).read_text(encoding="utf-8") != text
    ]


def write(rendered: dict[Path, str], target: Path) -> None:
    for path, text in rendered.items():
        (target / path).parent.mkdir(parents=True, exist_ok=True)
        (target / path).write_text(text, encoding="utf-8")
