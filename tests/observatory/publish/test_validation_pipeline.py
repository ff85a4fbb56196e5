"""Tables validated as they are written: what the caller sees does not depend on the order or
timing of `ready`, and an abandoned validation stops without raising."""

import pytest

from observatory.publish.errors import InvalidPackage
from observatory.publish.validation import ReleaseValidator
from tests.observatory.publish.test_validation import edit_csv, staging, written  # noqa: F401 - fixtures

TABLES = ["opsn", "services_opsn"]


def test_a_table_announced_before_the_one_it_references_is_checked_after_it(staging):  # noqa: F811
    messages = []
    validator = ReleaseValidator(staging, TABLES)
    validator.ready("services_opsn", 3)  # its foreign key needs opsn's keys: it waits for them
    validator.ready("opsn", 2)
    counts = validator.finish(messages.append)
    assert counts == {"opsn": 2, "services_opsn": 3}
    assert messages == [
        "validation : opsn, 2 lignes conformes au schéma",
        "validation : services_opsn, 3 lignes conformes au schéma",
    ]


def test_errors_are_raised_in_validation_order_whatever_the_order_written(staging):  # noqa: F811
    edit_csv(staging / "opsn.csv", 2, "nb_services", "deux")
    edit_csv(staging / "services_opsn.csv", 2, "code_service", "")
    messages = []
    validator = ReleaseValidator(staging, TABLES)
    validator.ready("services_opsn")
    validator.ready("opsn")
    with pytest.raises(InvalidPackage) as error:
        validator.finish(messages.append)
    assert "opsn.csv, ligne 2, champ nb_services : n'est pas du type integer" in str(error.value)
    assert "services_opsn.csv" not in str(error.value)
    assert messages == []


def test_a_table_never_announced_is_an_error_not_a_pass(staging):  # noqa: F811
    validator = ReleaseValidator(staging, TABLES)
    validator.ready("opsn", 2)
    with pytest.raises(InvalidPackage, match="services_opsn.csv : jamais validé"):
        validator.finish()


def test_an_abandoned_validation_stops_and_raises_nothing(staging):  # noqa: F811
    with ReleaseValidator(staging, TABLES) as validator:
        validator.ready("opsn", 2)
    assert not any(thread.is_alive() for thread in validator._threads)


def test_one_worker_or_several_give_the_same_outcome(staging):  # noqa: F811
    outcomes = []
    for workers in (1, 2, 3):
        messages = []
        validator = ReleaseValidator(staging, TABLES, workers=workers)
        validator.ready("services_opsn", 3)
        validator.ready("opsn", 2)
        outcomes.append((validator.finish(messages.append), messages))
    assert outcomes[0] == outcomes[1] == outcomes[2]
    assert outcomes[0][0] == {"opsn": 2, "services_opsn": 3}
