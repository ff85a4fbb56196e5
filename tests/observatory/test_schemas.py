import pyarrow as pa
import pytest
from frictionless import validate

from observatory.opsn_tables import service_labels
from observatory.paths import SCHEMAS_DIR
from observatory.schemas import arrow_schema, duckdb_columns, enum_values, field_names, primary_key

ALL_SCHEMAS = sorted(str(p.relative_to(SCHEMAS_DIR).with_suffix("")) for p in SCHEMAS_DIR.rglob("*.json"))
PUBLISHED = [
    "opsn",
    "services_opsn",
    "adhesions",
    "adhesions_multiples",
    "qualite_declarations",
    "indicateurs",
    "definitions_indicateurs",
    "collectivites",
    "declarations_exclues",
    "comparaison_sources",
]


@pytest.mark.parametrize("name", ALL_SCHEMAS)
def test_every_schema_is_a_valid_table_schema(name):
    report = validate(str(SCHEMAS_DIR / f"{name}.json"), type="schema")
    assert report.valid, report.flatten(["type", "note"])


@pytest.mark.parametrize("name", PUBLISHED + ["declaration/opsn", "declaration/adherents", "declaration/services"])
def test_schema_data_gouv_conventions(name):
    from observatory.schemas import load_descriptor

    descriptor = load_descriptor(name)
    for key in ("title", "description", "version", "homepage"):
        assert descriptor.get(key), f"{name}: {key} manquant"
    for field in descriptor["fields"]:
        assert field.get("description"), f"{name}.{field['name']} sans description"
        assert "example" in field, f"{name}.{field['name']} sans exemple"


def test_identifiers_are_strings_everywhere():
    for name in ALL_SCHEMAS:
        from observatory.schemas import field_descriptors

        for field in field_descriptors(name):
            if field["name"].startswith(("siren", "code_")) and field["name"] != "code_service":
                assert field.get("type", "string") == "string", f"{name}.{field['name']}"


def test_duckdb_and_arrow_types_follow_the_schema():
    assert duckdb_columns("declaration/services") == '"siren_opsn" VARCHAR, "code_service" VARCHAR'
    schema = arrow_schema("qualite_declarations")
    assert schema.field("nb_lignes").type == pa.int64()
    assert schema.field("part_rapproche").type == pa.float64()
    assert field_names("indicateurs")[:3] == ["code_indicateur", "niveau", "code_territoire"]
    assert primary_key("indicateurs") == ["code_indicateur", "niveau", "code_territoire", "modalite"]


def test_contract_vocabularies():
    assert enum_values("adhesions", "statut_rapprochement") == [
        "rapproche",
        "ambigu",
        "non_trouve",
        "invalide",
        "hors_referentiel",
    ]
    assert enum_values("adhesions", "type_collectivite") == ["commune", "epci", "departement", "region"]
    assert enum_values("declaration/adherents", "type_adherent") == [
        "commune",
        "epci",
        "departement",
        "region",
        "syndicat",
        "autre",
    ]


def test_every_service_code_has_a_label():
    codes = enum_values("declaration/services", "code_service")
    assert set(service_labels()) == set(codes)
    assert {"dematerialisation", "marches_publics", "dpd_mutualise", "sig", "open_data"} <= set(codes)


def test_cnil_schema_has_the_26_published_columns_in_order():
    names = field_names("sources/cnil-organismes-avec-dpo")
    assert len(names) == 26
    assert names[0] == "SIREN organisme désignant" and names[9] == "Date de la désignation"
    assert names[18:] == [
        f"Moyen contact DPO {x}"
        for x in ("email", "url", "téléphone", "adresse postale", "code postal", "ville", "pays", "autre")
    ]
