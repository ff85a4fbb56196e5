"""The three recomputations shown in the documentation give the published values."""

from __future__ import annotations

import pytest

from observatory.indicators.catalogue import load_catalogue

# Published resource name -> warehouse table, as in observatory/publish/catalog.py.
PUBLISHED = {"collectivites": "out__collectivites", "opsn": "core_declarations__opsn"}


@pytest.mark.parametrize("recomputation", load_catalogue().recomputations, ids=lambda r: r.code_indicateur)
def test_recomputation_from_published_rows(warehouse, recomputation):
    cursor = warehouse.cursor()
    for name, table in PUBLISHED.items():
        cursor.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT * FROM {table}")
    rows = cursor.execute(recomputation.sql).fetchall()
    published = dict(
        cursor.execute(
            """
        SELECT code_territoire, valeur FROM out__indicateurs
        WHERE code_indicateur = ? AND niveau = ? AND modalite = 'ensemble'""",
            [recomputation.code_indicateur, recomputation.niveau],
        ).fetchall()
    )
    assert rows
    if recomputation.niveau == "france":
        recomputed = {"FR": rows[0][0]}
    else:
        recomputed = dict(rows)
    for territory, value in recomputed.items():
        assert published[territory] == pytest.approx(value, rel=1e-12), territory
    # A territory the query cannot see (an OPSN serving no département) is published empty.
    for territory in set(published) - set(recomputed):
        assert published[territory] is None
    cursor.close()
