"""Reviewed decisions as data: mappings/rapprochements.csv and mappings/exclusions.csv.

The pattern OWID uses for country names: a person decides once, the decision is a line in
a versioned file (who, when, why), applied before every automatic path, and each run says
which lines no longer serve and which rows still need a decision. An entry designates
declared rows by OPSN (empty: every OPSN), declared name (compared as a name key) and/or
one declared code; the most specific entry wins, OPSN-specific before generic.
Decisions may come from several files of one schema (the repository's, then those that belong
to a source tree, such as the demonstration's): read in that order, each line keeps its file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from observatory.errors import SourceError
from observatory.schemas import field_names
from observatory.sources.csvfile import LINE_NUMBER, read_csv_strings, require_columns
from observatory.sources.field_types import type_frame

MAPPINGS_SCHEMA = "mappings/rapprochements"
EXCLUSIONS_SCHEMA = "mappings/exclusions"
# Rows without a decision listed by name in the warning, per OPSN.
EXAMPLES_PER_OPSN = 5
# The file a decision was read from, so that warnings name it with its line.
SOURCE_FILE = "fichier"

DecisionFiles = Path | str | Sequence[Path | str] | None


@dataclass(frozen=True)
class ReviewedDecisions:
    """Mappings and exclusions, read and checked, each row with its file (SOURCE_FILE); either may be empty."""

    mappings: pd.DataFrame
    exclusions: pd.DataFrame


def _empty(schema: str) -> pd.DataFrame:
    return pd.DataFrame(
        {LINE_NUMBER: pd.Series(dtype="int64"), **{name: pd.Series(dtype=object) for name in field_names(schema)}}
    )


def _files(paths: DecisionFiles) -> list[Path]:
    if paths is None:
        return []
    if isinstance(paths, str | Path):
        return [Path(paths)]
    return [Path(path) for path in paths]


def read_decision_files(paths: DecisionFiles, schema: str) -> pd.DataFrame:
    """Every file of one kind, in order (earlier files win ties), each row tagged with its file."""
    frames = [read_decisions(path, schema).assign(**{SOURCE_FILE: str(path)}) for path in _files(paths)]
    if not frames:
        return _empty(schema).assign(**{SOURCE_FILE: pd.Series(dtype=object)})
    return pd.concat(frames, ignore_index=True)


def read_decisions(path: Path | str | None, schema: str) -> pd.DataFrame:
    """One reviewed-decision file, typed by its Table Schema; an absent path means no decisions."""
    if path is None:
        return _empty(schema)
    path = Path(path)
    frame = read_csv_strings(path)
    require_columns(path, frame, field_names(schema))
    if frame.empty:
        return _empty(schema)
    frame = type_frame(path, frame[[LINE_NUMBER, *field_names(schema)]], schema)
    designated = (frame["nom_adherent"] != "") | (frame["code_declare"] != "")
    if not designated.all():
        line = int(frame.loc[~designated, LINE_NUMBER].iloc[0])
        raise SourceError(
            path, "ni nom ni code déclaré : la décision ne désigne aucune ligne", row=line, field="nom_adherent"
        )
    return frame


def load_decisions(mappings: DecisionFiles, exclusions: DecisionFiles) -> ReviewedDecisions:
    """`mappings`/`exclusions`: one file, several files (read in order) or None (no decisions)."""
    return ReviewedDecisions(
        read_decision_files(mappings, MAPPINGS_SCHEMA), read_decision_files(exclusions, EXCLUSIONS_SCHEMA)
    )


def _register(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame, with_target: bool) -> None:
    # The frame has the columns of its schema plus its file (read_decision_files): the SQL below
    # picks what designates a row.
    data = frame.astype({LINE_NUMBER: "int64"}).reset_index(drop=True)
    # `rank` orders and identifies entries across files; `source`/`source_line` name them in warnings.
    data.insert(0, "rank", range(1, len(data) + 1))
    con.register("rc_incoming_decisions", data)
    try:
        target = ", type_collectivite, trim(code_collectivite) AS code" if with_target else ""
        con.execute(f"""
            CREATE OR REPLACE TEMP TABLE {table} AS
            SELECT CAST(rank AS BIGINT) AS line, {SOURCE_FILE} AS source,
                   CAST({LINE_NUMBER} AS BIGINT) AS source_line, nullif(trim(siren_opsn), '') AS siren_opsn,
                   nullif(rc_name_key(nullif(trim(nom_adherent), '')), '') AS name_key,
                   nullif(trim(code_declare), '') AS code_declare {target}
            FROM rc_incoming_decisions
        """)
    finally:
        con.unregister("rc_incoming_decisions")


# The rows as the entries designate them. The codes as declared (trimmed, non-empty) are read
# from the members, joined to their rows by id_adhesion (as the output joins them), only when some
# entry designates rows by code: most runs have none (the benchmarks, a file checked alone), and
# listing them on every row of rc_rows cost 7 % of its statement.
_DESIGNATED_ROWS = """
    CREATE OR REPLACE TEMP TABLE rc_designated_rows AS
    SELECT r.row_id, r.siren_opsn, r.name_key, c.declared_codes
    FROM rc_rows r
    JOIN (SELECT id_adhesion,
                 list_filter([trim(coalesce(siren_adherent, '')), trim(coalesce(code_insee_adherent, '')),
                              trim(coalesce(code_postal, '')), trim(coalesce(code_departement, ''))],
                             lambda v: v <> '') AS declared_codes
          FROM {members}) c USING (id_adhesion)
"""
_UNCODED_ROWS = "(SELECT row_id, siren_opsn, name_key, []::VARCHAR[] AS declared_codes FROM rc_rows)"


def _hits(table: str, extra: str, rows: str) -> str:
    """Rows designated by an entry, keeping per row the most specific entry."""
    return f"""
        SELECT row_id, line {extra} FROM (
            SELECT r.row_id, m.*,
                   row_number() OVER (PARTITION BY r.row_id
                                      ORDER BY m.siren_opsn IS NULL,
                                               (m.name_key IS NULL)::INT + (m.code_declare IS NULL)::INT,
                                               m.line) AS rank
            FROM {rows} r
            JOIN {table} m
              ON (m.siren_opsn IS NULL OR m.siren_opsn = r.siren_opsn)
             AND (m.name_key IS NULL OR m.name_key = r.name_key)
             AND (m.code_declare IS NULL OR list_contains(r.declared_codes, m.code_declare))
        ) WHERE rank = 1
    """


def apply_decisions(
    con: duckdb.DuckDBPyConnection,
    decisions: ReviewedDecisions,
    *,
    members: str,
    only_rows_of_this_file: bool = False,
) -> list[str]:
    """Create `rc_mapping_hits` and `rc_exclusion_hits` from `rc_rows` (prepared from `members`);
    return the warnings.

    `only_rows_of_this_file`: the decisions are a shared repository and the rows one file
    among many (`observatory reconcile`): warn only about decisions that designate its rows.
    """
    if decisions.mappings.empty and decisions.exclusions.empty:
        # No decision at all (a file checked alone, the benchmarks): nothing to match or warn about.
        con.execute(
            "CREATE OR REPLACE TEMP TABLE rc_mapping_hits (row_id BIGINT, line BIGINT, "
            "type_collectivite VARCHAR, code VARCHAR)"
        )
        con.execute("CREATE OR REPLACE TEMP TABLE rc_exclusion_hits (row_id BIGINT, line BIGINT)")
        return []
    _register(con, "rc_mappings", decisions.mappings, with_target=True)
    _register(con, "rc_exclusions", decisions.exclusions, with_target=False)
    try:
        return _apply(con, members, only_rows_of_this_file)
    finally:
        con.execute("DROP TABLE IF EXISTS rc_designated_rows")


def _apply(con: duckdb.DuckDBPyConnection, members: str, only_rows_of_this_file: bool) -> list[str]:
    by_code = con.execute(
        "SELECT EXISTS (SELECT 1 FROM rc_mappings WHERE code_declare IS NOT NULL)"
        " OR EXISTS (SELECT 1 FROM rc_exclusions WHERE code_declare IS NOT NULL)"
    ).fetchall()[0][0]
    rows = "rc_designated_rows" if by_code else _UNCODED_ROWS
    if by_code:
        con.execute(_DESIGNATED_ROWS.format(members=members))
    warnings = []
    concerned = f"AND line IN (SELECT line FROM ({_hits('rc_mappings', '', rows)}))" if only_rows_of_this_file else ""
    # A decision pointing nowhere (a commune merged since the review) is ignored, loudly.
    for source, line, kind, code in con.execute(f"""
        SELECT source, source_line, type_collectivite, code FROM rc_mappings m
        WHERE NOT EXISTS (SELECT 1 FROM rc_collectivite c
                          WHERE c.type_collectivite = m.type_collectivite AND c.code = m.code)
        {concerned}
        ORDER BY line""").fetchall():
        warnings.append(f"{source}, ligne {line} : {kind} {code} absent du COG 2026, décision ignorée")
    con.execute("""DELETE FROM rc_mappings m WHERE NOT EXISTS (
        SELECT 1 FROM rc_collectivite c WHERE c.type_collectivite = m.type_collectivite AND c.code = m.code)""")
    mapping_hits = _hits("rc_mappings", ", type_collectivite, code", rows)
    con.execute(f"CREATE OR REPLACE TEMP TABLE rc_mapping_hits AS {mapping_hits}")
    con.execute(f"CREATE OR REPLACE TEMP TABLE rc_exclusion_hits AS {_hits('rc_exclusions', '', rows)}")
    # An unused decision concerns no row of this run: worth a warning only when the run holds
    # every declaration (the pipeline), not one file among many.
    checked = (
        () if only_rows_of_this_file else (("rc_mappings", "rc_mapping_hits"), ("rc_exclusions", "rc_exclusion_hits"))
    )
    for table, hits in checked:
        unused = con.execute(f"""
            SELECT source, source_line, coalesce(siren_opsn, 'tous'), coalesce(name_key, ''), coalesce(code_declare, '')
            FROM {table} WHERE line NOT IN (SELECT line FROM {hits}) ORDER BY line""").fetchall()
        for path, line, opsn, name, code in unused:
            warnings.append(
                f"{path}, ligne {line} : décision inutilisée (OPSN {opsn}, nom « {name} », "
                f"code « {code} ») : aucune ligne déclarée ne la désigne plus"
            )
    return warnings


def undecided_warnings(con: duckdb.DuckDBPyConnection, adhesions: str) -> list[str]:
    """One warning per OPSN whose rows are still `ambigu` or `non_trouve` with no reviewed decision."""
    rows = con.execute(f"""
        SELECT siren_opsn, count(*) AS n,
               count(*) FILTER (WHERE statut_rapprochement = 'ambigu') AS ambigu,
               list(coalesce(nom_adherent, '') || ' (ligne ' || numero_ligne || ')' ORDER BY numero_ligne)
                   [1:{EXAMPLES_PER_OPSN}] AS examples
        FROM {adhesions}
        WHERE statut_rapprochement IN ('ambigu', 'non_trouve')
        GROUP BY siren_opsn ORDER BY siren_opsn""").fetchall()
    return [
        f"OPSN {siren} : {n} ligne(s) sans décision revue ({ambigu} ambiguë(s), {n - ambigu} non trouvée(s)), "
        f"par exemple : {', '.join(examples)}"
        for siren, n, ambigu, examples in rows
    ]
