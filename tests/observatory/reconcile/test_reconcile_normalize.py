"""Name keys: the Python function and the DuckDB macros are the same function."""

from __future__ import annotations

import pandas as pd
import pytest

from observatory.reconcile.normalize import (
    ALL_KEYS,
    SHORT_KEY,
    collectivite_key,
    epci_key,
    normalize_name,
    short_key,
    without_civic_prefix,
)


@pytest.mark.parametrize(
    ("declared", "key"),
    [
        ("ST BRIEUC", "saint brieuc"),
        ("Ste-Marie", "sainte marie"),
        ("ROCHELLE (LA)", "la rochelle"),
        ("Abergement-Clémenciat (L')", "l abergement clemenciat"),
        ("Abergement-Clémenciat (L’)", "l abergement clemenciat"),
        ("L'Abergement-Clémenciat", "l abergement clemenciat"),
        ("Bar s/ Seine", "bar sur seine"),
        ("SAINT-BRIEUC CEDEX 1", "saint brieuc"),
        ("  Saint -  Brieuc  ", "saint brieuc"),
        ("ŒUVRE", "oeuvre"),
        ("L'Haÿ-les-Roses", "l hay les roses"),
        ("MARSEILLE 15EME", "marseille 15e arrondissement"),
        ("PARIS 16", "paris 16e arrondissement"),
        ("LYON 3E", "lyon 3e arrondissement"),
        ("Paris 1er Arrondissement", "paris 1e arrondissement"),
        ("PARIS CEDEX 08", "paris"),
        ("N D DE BOISSET", "notre dame de boisset"),
        ("N.-D.-de-Boisset", "notre dame de boisset"),
        ("FLEURY DT DOUAUMONT", "fleury devant douaumont"),
        ("ND", "nd"),
        ("", ""),
        (None, ""),
    ],
)
def test_normalize_name(declared, key):
    assert normalize_name(declared) == key


def test_the_derived_keys():
    assert without_civic_prefix(normalize_name("Mairie de Brest")) == "brest"
    assert without_civic_prefix(normalize_name("Mairie du Havre")) == "le havre"
    assert without_civic_prefix(normalize_name("Ville de Marolle-en-Sologne (La)")) == "la marolle en sologne"
    spelt_out = epci_key(normalize_name("Communauté de communes du Cap Corse"))
    assert spelt_out == epci_key(normalize_name("CC du Cap Corse")) == "cc du cap corse"
    assert epci_key(normalize_name("Communauté d'agglomération du Grand Annecy")) == "ca du grand annecy"
    assert collectivite_key(normalize_name("Conseil départemental des Côtes-d'Armor")) == "cotes d armor"
    assert collectivite_key(normalize_name("Ain (Département)")) == "ain"
    assert collectivite_key(normalize_name("Région Île-de-France")) == "ile de france"
    assert short_key(normalize_name("Jau-Dignac-et-Loirac")) == short_key(normalize_name("JAU-DIGNAC-LOIRAC"))
    assert short_key(normalize_name("LE LAUSSOU")) == short_key(normalize_name("Laussou")) == "laussou"
    assert short_key(normalize_name("La Trinité")) == "trinite"
    assert short_key("les") == "les"  # a name of little words only keeps its key


MESSY = [
    "ST-MARTIN-S/-SEINE (LE) CEDEX 04",
    "Mairie des Mureaux",
    "Commune nouvelle d'Annecy",
    "Sainte  Marie ",
    "saint-brieuc cedex",
    "Évry-Courcouronnes",
    "ÆSOP",
    "L’Île-d’Yeu",
    "Rochelle, La",
    "(La) Rochelle",
    "Conseil régional de Bretagne",
    "Communauté urbaine de Dunkerque",
    "St. Jean-de-Luz",
    "Bar-s/-Aube",
    "MARSEILLE 15EME",
    "Lyon 3ème arrondissement",
    "PARIS CEDEX 08",
    "N D DE BOISSET",
    "MONT DT SASSEY",
    "ND",
]


def test_python_and_sql_keys_agree_on_every_referential_name_and_messy_ones(con):
    names = [
        row[0]
        for row in con.execute("""
        SELECT nom FROM core_cog__communes UNION SELECT nom_ancien FROM core_cog__communes_historiques
        UNION SELECT nom FROM core_cog__epci UNION SELECT nom FROM core_cog__departements
        UNION SELECT nom FROM core_cog__regions""").fetchall()
    ]
    names += MESSY + [name.upper() for name in names[:2000]]
    con.register("names_frame", pd.DataFrame({"nom": names}))
    macros = ", ".join(f"{key.macro}(rc_name_key(nom))" for key in ALL_KEYS[1:])
    rows = con.execute(f"SELECT nom, rc_name_key(nom), {macros} FROM names_frame").fetchall()
    con.unregister("names_frame")
    assert len(rows) > 39_000
    disagreements = []
    for name, *sql_keys in rows:
        key = normalize_name(name)
        python_keys = [key, without_civic_prefix(key), epci_key(key), collectivite_key(key), SHORT_KEY.python(key)]
        if python_keys != sql_keys:
            disagreements.append((name, python_keys, sql_keys))
    assert disagreements == []


def test_sql_keys_skipping_absent_rules_equal_every_rule_run(con):
    """The macros skip the rules none of whose patterns occurs (normalize.py): on every name of the
    referential, raw and keyed, and on messes (double spaces, abbreviations, sigles), each key is the
    one the whole chain of rules gives."""
    names = [
        row[0]
        for row in con.execute("""
        SELECT nom FROM core_cog__communes UNION SELECT nom_ancien FROM core_cog__communes_historiques
        UNION SELECT nom FROM core_cog__epci UNION SELECT nom FROM core_cog__departements""").fetchall()
    ]
    messes = MESSY + ["saint  brieuc", " le  mans ", "mairie de  la  ville", "communaute de communes  du pays", "st"]
    keys = [normalize_name(n) for n in names + messes]
    con.register(
        "texts_frame",
        pd.DataFrame({"text": names + messes + keys, "is_key": [False] * len(names + messes) + [True] * len(keys)}),
    )
    differences = []
    for key in ALL_KEYS:
        skipping, every_rule = key.sql("text"), key.sql("text", skip_absent=False)
        assert skipping != every_rule or len(key.rules) <= 2
        # The second key is only ever taken of a name key (normalize._without_words).
        domain = "is_key" if key.drops_words else "true"
        differences += con.execute(
            f"SELECT ?, text, {skipping}, {every_rule} FROM texts_frame "
            f"WHERE {domain} AND {skipping} IS DISTINCT FROM {every_rule}",
            [key.macro],
        ).fetchall()
    con.unregister("texts_frame")
    assert differences == []
