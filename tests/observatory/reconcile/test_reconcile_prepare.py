"""`rc_rows`: the code fields are cleaned once per distinct raw value and joined back, so rows that
share a value, and rows whose codes are missing or blank, must each keep exactly their own row."""

from __future__ import annotations

from reconcile_helpers import load_members

from observatory.reconcile.prepare import prepare_rows

SHORT = {  # every code with its leading zero lost, the type not in its normal form
    "type_adherent": "Commune",
    "siren_adherent": "200042943",
    "code_insee_adherent": "1001",
    "code_postal": "1000",
    "code_departement": "1",
}
MISSING = dict.fromkeys(SHORT)
BLANK = {**dict.fromkeys(SHORT, ""), "code_insee_adherent": " "}
SPACED = {
    "type_adherent": "commune",
    "siren_adherent": "200 042 943",
    "code_insee_adherent": "01001",
    "code_postal": "01000",
    "code_departement": "01",
}
SHORT_CLEANED = (
    "commune",
    "200042943",
    "01001",
    "01000",
    ["01"],
    ["type_adherent_non_normalise", "code_insee_sans_zero", "code_departement_sans_zero", "code_postal_sans_zero"],
)
NOTHING = ("absent", None, None, None, None, ["type_adherent_absent"])


def test_rows_sharing_or_missing_their_codes_each_keep_their_own_cleaned_row(con):
    load_members(con, [SHORT, SHORT, MISSING, BLANK, SPACED, SHORT])
    prepare_rows(con, "core_declarations__adherents", "core_declarations__opsn")
    assert con.execute("SELECT count(*) FROM rc_rows").fetchall()[0][0] == 6
    rows = con.execute("""
        SELECT row_id, declared_type, valid_siren, declared_insee, code_postal, departements, anomalies
        FROM rc_rows ORDER BY row_id
    """).fetchall()
    assert [row[0] for row in rows] == [1, 2, 3, 4, 5, 6]
    assert [row[1:] for row in rows] == [
        SHORT_CLEANED,
        SHORT_CLEANED,
        NOTHING,
        NOTHING,
        ("commune", "200042943", "01001", "01000", ["01"], []),
        SHORT_CLEANED,
    ]
