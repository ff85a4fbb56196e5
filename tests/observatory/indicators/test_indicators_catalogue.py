"""The catalogue is the one definition: every computed indicator has an entry, at exactly its levels."""

from __future__ import annotations

from observatory.indicators.base import Sources
from observatory.indicators.build import indicator_queries
from observatory.indicators.catalogue import load_catalogue, render_definitions_markdown, render_definitions_page
from observatory.paths import REPO_ROOT
from observatory.schemas import field_names
from observatory.table_checks import contract_violations


def test_every_query_has_a_definition_and_every_definition_a_query():
    computed = {code for code, _ in indicator_queries(Sources())}
    assert computed == set(load_catalogue().codes)


def test_published_levels_are_exactly_the_catalogue_levels(warehouse):
    published = {
        code: tuple(levels)
        for code, levels in warehouse.execute("""
            SELECT code_indicateur, list(DISTINCT niveau) FROM out__indicateurs GROUP BY 1""").fetchall()
    }
    for indicator in load_catalogue().indicators:
        assert set(published[indicator.code_indicateur]) == set(indicator.niveaux), indicator.code_indicateur


def test_labels_and_units_come_from_the_catalogue(warehouse):
    rows = warehouse.execute("SELECT DISTINCT code_indicateur, libelle, unite FROM out__indicateurs").fetchall()
    catalogue = load_catalogue()
    assert len(rows) == len(catalogue.indicators)
    for code, label, unit in rows:
        assert (label, unit) == (catalogue.get(code).libelle, catalogue.get(code).unite)


def test_definitions_table_follows_its_schema(warehouse):
    columns = [row[0] for row in warehouse.execute("DESCRIBE out__definitions_indicateurs").fetchall()]
    assert columns == field_names("definitions_indicateurs")
    assert contract_violations(warehouse, "out__definitions_indicateurs", "definitions_indicateurs") == {}
    row = warehouse.execute("""
        SELECT niveaux, unite FROM out__definitions_indicateurs WHERE code_indicateur = 'nb_communes_adherentes'
    """).fetchall()
    assert row == [("france|region|departement|opsn", "nombre")]


def test_rates_say_what_happens_when_the_denominator_is_zero():
    # The convention is stated once for all rates; each rate's own text names its denominator.
    catalogue = load_catalogue()
    assert any("dénominateur est nul" in text for text in catalogue.conventions)
    for indicator in catalogue.indicators:
        if indicator.unite == "pourcentage":
            assert "×" in indicator.definition or "divis" in indicator.definition, indicator.code_indicateur


def test_markdown_holds_every_definition_and_the_recomputations():
    markdown = render_definitions_markdown()
    for indicator in load_catalogue().indicators:
        assert f"`{indicator.code_indicateur}`" in markdown
        assert indicator.definition in markdown
    assert markdown.count("```sql") == 3
    assert "34 875 communes" in markdown and "collectivités d'outre-mer" in markdown


def test_docs_page_is_up_to_date():
    page = (REPO_ROOT / "docs" / "indicateurs.md").read_text(encoding="utf-8")
    assert page == render_definitions_page(), "régénérer docs/indicateurs.md avec render_definitions_page()"
