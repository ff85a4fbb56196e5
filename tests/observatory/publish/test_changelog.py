"""`changements` answers "why did it move" with rows, from two releases' Parquet files."""

import duckdb

from observatory.publish.changelog import TABLE, build_changes, render_changelog


def _write(con, directory, name, sql):
    directory.mkdir(exist_ok=True)
    con.execute(f"COPY ({sql}) TO '{directory / (name + '.parquet')}' (FORMAT parquet)")


def _release(con, directory, *, members, multiples, communes, value, sirens_column="sirens_opsn"):
    _write(
        con,
        directory,
        "adhesions",
        f"""
        SELECT * FROM (VALUES {members}) t(id_adhesion, siren_opsn, nom_adherent, statut_rapprochement,
                                              type_collectivite, code_collectivite, nom_officiel)""",
    )
    _write(
        con,
        directory,
        "adhesions_multiples",
        f"""
        SELECT * FROM (VALUES {multiples}) t(type_collectivite, code_collectivite, nom_officiel, {sirens_column})""",
    )
    _write(
        con,
        directory,
        "collectivites",
        f"""
        SELECT 'commune' AS type_collectivite, * FROM (VALUES {communes}) t(code_insee, nom)""",
    )
    _write(
        con,
        directory,
        "indicateurs",
        f"""
        SELECT * FROM (VALUES ('nb_communes_adherentes', 'france', 'FR', 'France', 'ensemble', {value}::DOUBLE,
                               'Communes adhérentes'),
                              ('nb_communes_adherentes', 'departement', '24', 'Dordogne', 'ensemble', {value}::DOUBLE,
                               'Communes adhérentes'))
            t(code_indicateur, niveau, code_territoire, libelle_territoire, modalite, valeur, libelle)""",
    )


def test_changes_name_members_multiples_statuses_communes_and_indicators(tmp_path):
    con = duckdb.connect()
    old, new = tmp_path / "2026-01-01-aaaaaaaa", tmp_path / "new"
    _release(
        con,
        old,
        members="('a1', '252405147', 'Périgueux', 'rapproche', 'commune', '24322', 'Périgueux'),"
        "('a2', '252405147', 'Bourg', 'non_trouve', NULL, NULL, NULL),"
        "('a3', '284800026', 'Mende', 'rapproche', 'commune', '48095', 'Mende')",
        multiples="('commune', '24064', 'Brantôme en Périgord', '252405147|284800026')",
        communes="('24322', 'Périgueux'), ('24087', 'Castels'), ('24001', 'Disparue')",
        value=7,
        sirens_column="siren_opsn",  # a release from before the rename to sirens_opsn
    )
    _release(
        con,
        new,
        members="('a1', '252405147', 'Périgueux', 'rapproche', 'commune', '24322', 'Périgueux'),"
        "('a2', '252405147', 'Bourg', 'rapproche', 'commune', '24037', 'Bergerac')",
        multiples="('commune', '24322', 'Périgueux', '252405147|284800026')",
        communes="('24322', 'Périgueux'), ('24087', 'Castels et Bézenac')",
        value=8,
    )
    build_changes(con, new_dir=new, previous_dir=old, rows={"adhesions": 2}, previous_rows={"adhesions": 3})
    rows = set(
        con.execute(
            f"SELECT categorie, objet, detail, ancienne_valeur, nouvelle_valeur, ecart, version_precedente FROM {TABLE}"
        ).fetchall()
    )
    previous = "2026-01-01-aaaaaaaa"
    assert rows == {
        ("lignes_table", "adhesions", "lignes", "3", "2", -1.0, previous),
        ("indicateur", "nb_communes_adherentes", "france/FR/ensemble", "7", "8", 1.0, previous),
        ("adhesion_ajoutee", "252405147", "commune/24037", None, "adhérent", None, previous),
        ("adhesion_retiree", "284800026", "commune/48095", "adhérent", None, None, previous),
        ("adhesion_multiple_apparue", "24322", "commune", None, "252405147|284800026", None, previous),
        ("adhesion_multiple_disparue", "24064", "commune", "252405147|284800026", None, None, previous),
        ("statut_rapprochement", "252405147", "a2", "non_trouve", "rapproche", None, previous),
        ("commune_disparue", "24001", "commune", "Disparue", None, None, previous),
        ("commune_renommee", "24087", "commune", "Castels", "Castels et Bézenac", None, previous),
    }  # the departmental indicator moved too, but only national and regional ones are listed
    text = render_changelog(con, version="2026-02-01-bbbbbbbb", previous=previous)
    assert "## Adhésions ajoutées (par OPSN) (1)" in text and "Castels et Bézenac" in text


def test_a_first_release_has_nothing_to_compare(tmp_path):
    con = duckdb.connect()
    build_changes(con, new_dir=tmp_path, previous_dir=None, rows={"opsn": 2}, previous_rows={})
    assert con.execute(f"SELECT count(*) FROM {TABLE}").fetchone() == (0,)
    assert "rien à comparer" in render_changelog(con, version="2026-02-01-bbbbbbbb", previous=None)
