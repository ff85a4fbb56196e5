"""What a matching path is, and how a sequence of paths decides the pending rows in one statement.

A path is a condition on a pending row of `rc_evidence` (alias `p`, with the 1:1 lookups it
joins) and the `rc_decision` columns it then writes: (row_id, statut, methode, score,
type_collectivite, code, candidats, anomalies). Paths are tried in order and the first whose
condition holds decides the row: one CASE cascade over the rows, instead of one INSERT per
path each re-reading the rows still pending (the same decisions, the rows read once).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import duckdb


@dataclass(frozen=True)
class Lookup:
    """A LEFT JOIN a path reads, at most one row per declared row (so it never repeats a row);
    `alias` names it in the path's expressions."""

    alias: str
    sql: str


@dataclass(frozen=True)
class MatchingPath:
    """One way of deciding a row: its name (as in `methode_rapprochement` where it has one), when
    it applies, and what it writes. `requires` is what its lookups must have found (a path that
    needs a reviewed decision or a partial match applies only to rows that have one)."""

    name: str
    where: str
    statut: str
    methode: str
    type_: str = "NULL"
    code: str = "NULL"
    score: str = "NULL"
    candidats: str = "NULL"
    anomalies: str = "[]"
    lookups: tuple[Lookup, ...] = ()
    requires: str = "true"

    def outputs(self) -> tuple[str, ...]:
        """The rc_decision columns after row_id, typed as the table is."""
        return (
            self.statut,
            self.methode,
            f"CAST({self.score} AS DOUBLE)",
            self.type_,
            self.code,
            f"CAST({self.candidats} AS VARCHAR[])",
            f"list_filter(CAST({self.anomalies} AS VARCHAR[]), lambda a: a IS NOT NULL)",
        )


# What a path writes when it says nothing of a column.
_DEFAULT = MatchingPath("", "true", statut="NULL", methode="NULL")


def matched(score: str = "1") -> dict:
    """The outputs of a path that matches: `rapproche`, with this score."""
    return {"statut": "'rapproche'", "score": score}


def matched_when(condition: str, *, type_: str, code: str, score: str = "1") -> dict:
    """The outputs of a path that matches only when `condition` holds, and otherwise leaves the row
    `ambigu` (its candidates say between what): the condition is written once for all four columns."""
    return {
        "statut": f"CASE WHEN {condition} THEN 'rapproche' ELSE 'ambigu' END",
        "score": f"CASE WHEN {condition} THEN {score} END",
        "type_": f"CASE WHEN {condition} THEN {type_} END",
        "code": f"CASE WHEN {condition} THEN {code} END",
    }


def cascade_sql(paths: tuple[MatchingPath, ...], pending: str) -> str:
    """INSERT INTO rc_decision the decision of the first path that applies to each row of `pending`;
    rows no path applies to stay pending."""
    lookups: list[Lookup] = []
    for path in paths:
        for lookup in path.lookups:
            if lookup not in lookups:
                if any(other.alias == lookup.alias for other in lookups):
                    raise ValueError(f"alias {lookup.alias} joint deux fois autrement ({path.name})")
                lookups.append(lookup)
    which = " ".join(
        f"WHEN ({path.requires}) AND ({path.where}) THEN {index}" for index, path in enumerate(paths, start=1)
    )
    # A column most paths leave at its default (NULL, no anomaly) lists only the other paths: a
    # shorter statement, quicker to plan.
    defaults = _DEFAULT.outputs()
    columns = []
    for column, default in enumerate(defaults):
        branches = " ".join(
            f"WHEN {index} THEN {path.outputs()[column]}"
            for index, path in enumerate(paths, start=1)
            if path.outputs()[column] != default
        )
        otherwise = "[]::VARCHAR[]" if column == len(defaults) - 1 else "NULL"
        columns.append(f"CASE path_index {branches} ELSE {otherwise} END" if branches else otherwise)
    # The outputs are computed above the joins from only the columns they read, renamed
    # `alias__column` (`p.code` -> `p__code`): reading whole rows would scan every column.
    reference = re.compile(r"\b(" + "|".join(["p", *(lookup.alias for lookup in lookups)]) + r")\.(\w+)\b")
    outputs = [reference.sub(r"\1__\2", column) for column in ["p.row_id", *columns]]
    read = sorted({match.group(0) for column in ["p.row_id", *columns] for match in reference.finditer(column)})
    carried = ", ".join(f"{name} AS {name.replace('.', '__')}" for name in read)
    return f"""
        INSERT INTO rc_decision
        WITH scope AS (
            SELECT {carried}, CASE {which} END AS path_index
            FROM ({pending}) p {" ".join(lookup.sql for lookup in lookups)}
        )
        SELECT {", ".join(outputs)}
        FROM scope
        WHERE path_index IS NOT NULL
    """


def run_cascade(con: duckdb.DuckDBPyConnection, paths: tuple[MatchingPath, ...], pending: str) -> None:
    con.execute(cascade_sql(paths, pending))
