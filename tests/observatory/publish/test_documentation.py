"""Table lists generated from the table catalogue: docs/chercheur.md is up to date, the README follows the catalogue."""

from pathlib import Path

import pytest

from observatory import table_catalog as catalog
from observatory.publish.documentation import BLOCK_END, BLOCK_START, render_table_list, with_table_list

RESEARCHER_PAGE = Path(__file__).resolve().parents[3] / "docs" / "chercheur.md"


def test_the_researcher_page_lists_the_catalogue_tables_as_generated():
    page = RESEARCHER_PAGE.read_text(encoding="utf-8")
    assert with_table_list(page) == page, "docs/chercheur.md n'est plus à jour : python scripts/generate_table_docs.py"


def test_the_table_list_has_one_row_per_published_table_in_package_order():
    rows = render_table_list().splitlines()[2:]
    names = [row.split("`")[1] for row in rows]
    assert names == [entry.published.resource for entry in catalog.published_tables()]
    adhesions = rows[names.index("adhesions")]
    assert "`id_adhesion`" in adhesions and "COG 2026" in adhesions and "déclarations des OPSN" in adhesions


def test_a_page_without_markers_is_refused():
    with pytest.raises(ValueError):
        with_table_list("# page sans bloc généré\n")
    page = f"avant\n{BLOCK_START}\nancien contenu\n{BLOCK_END}\naprès\n"
    updated = with_table_list(page)
    assert updated.startswith("avant\n") and updated.endswith(f"{BLOCK_END}\naprès\n")
    assert "ancien contenu" not in updated
