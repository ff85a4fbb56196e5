"""The reconciliation's vocabularies are read from schemas/adhesions.json, their one source."""

from observatory.reconcile import vocabulary
from observatory.schemas import enum_values, load_descriptor


def _field(name: str) -> dict:
    return next(f for f in load_descriptor("adhesions")["fields"] if f["name"] == name)


def test_statuses_named_in_code_are_the_published_enum():
    named = {vocabulary.MATCHED, vocabulary.AMBIGUOUS, vocabulary.NOT_FOUND, vocabulary.INVALID, vocabulary.OUTSIDE}
    assert named == set(enum_values("adhesions", "statut_rapprochement"))


def test_methods_and_anomalies_are_the_schema_vocabularies_with_their_meaning():
    assert list(vocabulary.METHODS) == _field("methode_rapprochement")["constraints"]["enum"]
    assert all(vocabulary.METHODS.values()) and all(vocabulary.ANOMALIES.values())
    anomalies = _field("anomalies")
    assert anomalies["x-separateur"] == "|"
    assert list(vocabulary.ANOMALIES) == list(anomalies["x-libelles"])
    for value in vocabulary.ANOMALIES:
        assert value in anomalies["constraints"]["pattern"]


def test_declared_types_split_into_collectivites_and_outside():
    assert vocabulary.COLLECTIVITE_TYPES == ("commune", "epci", "departement", "region")
    assert vocabulary.DECLARED_TYPES == vocabulary.COLLECTIVITE_TYPES + vocabulary.OUTSIDE_TYPES
    assert vocabulary.OUTSIDE_TYPES == ("syndicat", "autre")
