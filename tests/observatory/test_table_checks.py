import duckdb

from observatory.table_checks import contract_violations


def test_every_broken_rule_is_counted_once_per_row_and_valid_rows_count_nothing():
    con = duckdb.connect()
    con.execute(
        """CREATE TABLE opsn AS SELECT * FROM (VALUES
            ('200000172', 'Syndicat A', 'declaration', 'syndicat_mixte', '22|29', 3, 2),
            ('200000172', 'Syndicat A bis', 'declaration', NULL, NULL, 0, 0),
            ('12345', NULL, 'inconnue', 'club', '22,29', -1, 0),
            ('213500051', 'Agence B', 'anct', NULL, '35', 0, 0)
        ) t(siren, nom, source_opsn, forme_juridique, departements, nb_adhesions_declarees, nb_services)"""
    )

    # Only the fields with a rule are read, so the other columns of the schema can be left out.
    # Row 1 and row 4 are valid; row 2 only repeats the key; row 3 breaks one rule per field.
    assert contract_violations(con, "opsn", "opsn") == {
        "cle_primaire_dupliquee(siren)": 1,
        "motif(siren)": 1,
        "obligatoire(nom)": 1,
        "vocabulaire(source_opsn)": 1,
        "vocabulaire(forme_juridique)": 1,
        "motif(departements)": 1,
        "minimum(nb_adhesions_declarees)": 1,
    }
    con.execute("DELETE FROM opsn WHERE nom IS NULL OR nom = 'Syndicat A bis'")
    assert contract_violations(con, "opsn", "opsn") == {}
