"""The fuzzy decision rule on its own: threshold, maximum edits, margin over the runner-up."""

from __future__ import annotations

import pandas as pd

from observatory.reconcile.fuzzy import FUZZY_MARGIN, FUZZY_MAX_EDITS, FUZZY_THRESHOLD, match_in_blocks

REFERENCES = pd.DataFrame(
    {
        "block": ["22"] * 5 + ["39"] * 2,
        "key": ["saint brieuc", "plouha", "paimpol", "perros guirec", "annecy le vieux", "cramans", "crans"],
        "code": ["22278", "22222", "22162", "22168", "22999", "39176", "39178"],
    }
)


def decide(key: str, block: str = "22") -> tuple:
    queries = pd.DataFrame({"row_id": [1], "key": [key], "block": [block]})
    found = match_in_blocks(queries, REFERENCES)
    if found.empty:
        return ("rien",)
    row = found.iloc[0]
    return (row["statut"], row["code"], row["candidats"]) if row["statut"] == "ambigu" else (row["statut"], row["code"])


def test_constants_are_what_the_benchmark_chose():
    assert (FUZZY_THRESHOLD, FUZZY_MAX_EDITS, FUZZY_MARGIN) == (0.75, 2, 0.06)


def test_one_or_two_slips_are_accepted():
    assert decide("saint breiuc") == ("rapproche", "22278")  # swap
    assert decide("plouhaa") == ("rapproche", "22222")  # double
    assert decide("pimpol") == ("rapproche", "22162")  # drop
    assert decide("perros guirrc") == ("rapproche", "22168")  # replace


def test_too_different_or_too_many_edits_is_nothing():
    assert decide("plo") == ("rien",)  # 3 edits out of 6
    assert decide("saint briacx") == ("rien",)  # 3 edits
    assert decide("saint brieuc", block="39") == ("rien",)  # other département


def test_two_close_candidates_are_ambiguous():
    assert decide("crmans", block="39") == ("ambigu", None, ["39176", "39178"])
