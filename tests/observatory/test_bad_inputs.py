"""Every case of the bad-input corpus through the library loaders: rejected with one message
naming file, line and field, or repaired with an anomaly on the row, or read faithfully."""

from __future__ import annotations

import duckdb
import pytest

from observatory.errors import SourceError, SourceErrors
from observatory.reconcile.engine import reconcile_members
from observatory.reconcile.referential_index import ensure_index
from observatory.referential import load_referential
from tests.bad_corpus import case_names, errors_of, expected, load_tree, source_tree

TABLES = (
    "core_declarations__opsn",
    "core_declarations__adherents",
    "core_declarations__services",
    "core_cnil__designations",
)


def _rows(con, table: str) -> list[tuple]:
    columns = [c[0] for c in con.execute(f"DESCRIBE {table}").fetchall() if c[0] != "numero_ligne"]
    return sorted(
        con.execute(f"SELECT {', '.join(chr(34) + c + chr(34) for c in columns)} FROM {table}").fetchall(), key=repr
    )


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    con = duckdb.connect()
    load_tree(con, source_tree(None, tmp_path_factory.mktemp("mini") / "sources"))
    return {table: _rows(con, table) for table in TABLES}


@pytest.fixture(scope="module")
def indexed():
    """One connection holding the referential and the engine's lookup tables, built once (about 1.5 s of CPU
    each) for every case that loads: the loaders replace their tables, so no case sees another's rows."""
    con = duckdb.connect()
    load_referential(con)
    ensure_index(con)
    return con


def test_the_corpus_covers_the_issue_list():
    names = case_names()
    assert len(names) >= 65
    outcomes = {expected(n)["outcome"] for n in names}
    assert outcomes == {"rejete", "repare", "accepte"}


@pytest.mark.parametrize("name", case_names())
def test_bad_input_case(name, tmp_path, reference, indexed):
    case = expected(name)
    root = source_tree(name, tmp_path / "sources")
    # A rejected load may stop halfway: it gets a connection of its own.
    con = duckdb.connect() if case["outcome"] == "rejete" else indexed
    if case["outcome"] == "rejete":
        with pytest.raises((SourceError, SourceErrors)) as raised:
            load_tree(con, root)
        errors = errors_of(raised.value)
        message = str(raised.value)
        assert str(root) in message, "the message names the steward's file"
        assert len(message.splitlines()[0]) < 200, "one short headline"
        matching = [
            e
            for e in errors
            if e.path.endswith("/" + case["file"])
            and e.row == case["line"]
            and e.field == case["field"]
            and case["message"] in e.reason
        ]
        assert matching, f"attendu {case}, obtenu :\n{message}"
        if "nombre" in case:
            assert len(errors) == case["nombre"]
        if "affichees" in case:
            assert len(message.splitlines()) == 1 + case["affichees"] + 1
        return
    load_tree(con, root)
    if case.get("identique"):
        for table in TABLES:
            assert _rows(con, table) == reference[table], table
    if case["outcome"] == "repare":
        reconcile_members(con)  # the `indexed` connection already holds the referential
        row = con.execute(
            "SELECT anomalies, nom_adherent, date_adhesion FROM core_declarations__adhesions WHERE numero_ligne = ?",
            [case["line"]],
        ).fetchone()
        assert row is not None and case["anomalie"] in (row[0] or "").split("|"), row
    for field, value in case.get("valeurs", {}).items():
        published = con.execute(
            f'SELECT CAST("{field}" AS VARCHAR) FROM core_declarations__adherents WHERE numero_ligne = ?',
            [case.get("line", case.get("line"))],
        ).fetchone()
        assert published == (value,)
