"""Rewrite the table list of docs/chercheur.md from the table catalogue (observatory/table_catalog.py).

Run after adding or changing a published table: `python scripts/generate_table_docs.py`.
tests/observatory/publish/test_documentation.py fails while the committed page is out of date.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from observatory.publish.documentation import with_table_list  # noqa: E402

RESEARCHER_PAGE = ROOT / "docs" / "chercheur.md"


def main() -> None:
    page = RESEARCHER_PAGE.read_text(encoding="utf-8")
    updated = with_table_list(page)
    if updated != page:
        RESEARCHER_PAGE.write_text(updated, encoding="utf-8")
    print(f"{RESEARCHER_PAGE.relative_to(ROOT)} : {'mis à jour' if updated != page else 'déjà à jour'}")


if __name__ == "__main__":
    main()
