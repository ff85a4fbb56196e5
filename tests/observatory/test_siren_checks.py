import duckdb

from observatory.siren_checks import invalid_sirens


def test_a_published_siren_failing_its_check_digit_is_a_violation_unless_flagged():
    con = duckdb.connect()
    con.execute(
        """CREATE TABLE adhesions AS SELECT * FROM (VALUES
            ('252405147', '212403224', '212403224', NULL),
            ('252405147', '212403225', NULL, 'siren_invalide'),
            ('252405148', '21240322A', NULL, NULL),
            ('252405147', NULL, '212403225', 'code_insee_inconnu'),
            ('252405147|284800026', NULL, NULL, NULL),
            ('252405147|284800027', NULL, NULL, NULL)
        ) t(siren_opsn, siren_adherent, siren_collectivite, anomalies)"""
    )
    # Row 2: declared, wrong, flagged -> fine. Row 3: wrong OPSN and unflagged declared SIREN.
    # Row 4: a matched collectivité's SIREN that fails: never acceptable. Lists: each SIREN counts.
    assert invalid_sirens(con, "adhesions", "adhesions") == {
        "siren_opsn": 2,
        "siren_adherent": 1,
        "siren_collectivite": 1,
    }
