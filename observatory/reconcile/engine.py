"""Reconcile declared members with the COG: the paths, in their documented order.

1. reviewed decisions (mappings/rapprochements.csv), then exclusions (mappings/exclusions.csv);
2. the declared type: out of vocabulary -> `invalide`; syndicat/autre -> `hors_referentiel`;
   nothing to match on -> `invalide`;
3. codes: SIREN passing Luhn (commune or EPCI), INSEE code (current, former, délégué/associé,
   arrondissement; leading zero restored), département/région code; a name that
   contradicts them is settled or makes the row `ambigu` (code_paths.CODE_PATHS);
4. exact names, current and former (a name ended before 2010 gives way to a current one), in
   the declared département, else the declared postal code, else the département of that
   postal code, else all of France; a name unique in France with a neighbouring
   département's postal code; the second key (no little words, no articles); one commune of
   the postal code by word prefix or subset; EPCI by name; départements and régions by name
   (name_paths.NAME_PATHS);
5. fuzzy names within the département (fuzzy.py), `ambigu` when the postal code or an
   exact homonym elsewhere contradicts them;
6. exact names under another declared type, word matches in the département, exact names
   found only outside the declared context (`ambigu`), and whatever is left: `non_trouve`
   (name_paths.LAST_PATHS).
Each path only sees the rows no earlier path decided, and records its `methode_rapprochement`;
the paths before the fuzzy one run as one CASE cascade, and those after it as another (path_cascade.py).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import duckdb

from observatory import table_catalog
from observatory.reconcile.assemble import write_adhesions
from observatory.reconcile.code_paths import CODE_PATHS, REVIEWED_PATHS
from observatory.reconcile.evidence import gather_evidence
from observatory.reconcile.fuzzy import insert_fuzzy_decisions
from observatory.reconcile.mappings import (
    DecisionFiles,
    ReviewedDecisions,
    apply_decisions,
    load_decisions,
    undecided_warnings,
)
from observatory.reconcile.name_paths import LAST_PATHS, NAME_PATHS
from observatory.reconcile.path_cascade import run_cascade
from observatory.reconcile.prepare import prepare_rows
from observatory.reconcile.referential_index import ensure_index
from observatory.reconcile.table_writes import written_once

_PENDING = "SELECT e.* FROM rc_evidence e ANTI JOIN rc_decision d USING (row_id)"
_DECISION_COLUMNS = """row_id BIGINT, statut VARCHAR, methode VARCHAR, score DOUBLE, type_collectivite VARCHAR,
                       code VARCHAR, candidats VARCHAR[], anomalies VARCHAR[]"""
_RUN_TABLES = (
    "rc_rows",
    "rc_opsn_departements",
    "rc_evidence",
    "rc_decision",
    "rc_mappings",
    "rc_exclusions",
    "rc_mapping_hits",
    "rc_exclusion_hits",
)


@dataclass
class ReconcileReport:
    """What a run did: rows per status and per method, warnings for stewards, seconds per stage."""

    rows: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    by_method: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    def matched_share(self) -> float:
        return self.by_status.get("rapproche", 0) / self.rows if self.rows else 0.0


def _relation_exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    try:
        con.execute(f"SELECT 1 FROM {name} LIMIT 0").fetchall()
        return True
    except duckdb.CatalogException:
        return False


def reconcile_members(
    con: duckdb.DuckDBPyConnection,
    *,
    members: str = table_catalog.DECLARED_MEMBERS,
    opsn: str | None = table_catalog.DECLARED_OPSN,
    mappings: DecisionFiles = None,
    exclusions: DecisionFiles = None,
    output: str = table_catalog.ADHESIONS,
    decisions: ReviewedDecisions | None = None,
    only_rows_of_this_file: bool = False,
) -> ReconcileReport:
    """Match every row of `members` and write `output` (schemas/adhesions.json), in input order.

    `mappings`/`exclusions` are reviewed-decision CSV files, one or several read in order (None: no
    decisions), or pass
    already read `decisions`; `only_rows_of_this_file` silences the warnings about decisions
    that designate none of these rows (a single file checked against the shared repository).
    The referential must be loaded in `con`; the lookup tables
    are built on the first call and reused by the next ones on the same connection.
    """
    report = ReconcileReport()
    clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        report.seconds[stage] = report.seconds.get(stage, 0.0) + now - clock
        clock = now

    ensure_index(con)
    lap("index")
    # Under a row group of rows, every working table and the output are written on one thread:
    # with two, DuckDB writes such a table in batches and then copies them all again
    # (table_writes.py). One switch for the whole call: each costs a restart of the thread pool.
    report.rows = con.execute(f"SELECT count(*) FROM {members}").fetchall()[0][0]
    with written_once(con, report.rows):
        prepare_rows(con, members, opsn if opsn and _relation_exists(con, opsn) else None)
        lap("prepare")
        decisions = decisions or load_decisions(mappings, exclusions)
        report.warnings += apply_decisions(
            con, decisions, members=members, only_rows_of_this_file=only_rows_of_this_file
        )
        lap("reviewed_decisions")
        gather_evidence(con)
        con.execute(f"CREATE OR REPLACE TEMP TABLE rc_decision ({_DECISION_COLUMNS})")
        lap("evidence")
        run_cascade(con, (*REVIEWED_PATHS, *CODE_PATHS, *NAME_PATHS), _PENDING)
        lap("exact_paths")
        insert_fuzzy_decisions(con, _PENDING)
        lap("fuzzy_path")
        run_cascade(con, LAST_PATHS, _PENDING)
        write_adhesions(con, members, output)
        lap("output")
    # Both tallies from one pass over the output: a run has a few dozen (status, method) pairs.
    pairs = con.execute(f"""SELECT coalesce(statut_rapprochement, '-'), coalesce(methode_rapprochement, '-'),
                                   count(*) FROM {output} GROUP BY ALL""").fetchall()
    for status, method, count in pairs:
        report.by_status[status] = report.by_status.get(status, 0) + count
        report.by_method[method] = report.by_method.get(method, 0) + count
    report.warnings += undecided_warnings(con, output)
    # The working tables of this run; the lookup tables stay for the next run on this connection.
    for table in _RUN_TABLES:
        con.execute(f"DROP TABLE IF EXISTS {table}")
    return report
