"""Lookup tables keyed as the evidence reads them: one row per name key, per collectivité.

Built with the index (referential_index.ensure_index), once per connection, from `rc_key`:
each declared row then finds everything a key leads to by one equality join, instead of
joining every matching name and grouping the rows again on every call (evidence.py). The
order within a list is never read: candidates are sorted when published, and a single code
is only ever taken from a list of one.
- `rc_commune_names` / `rc_commune_short_names`: name key / second key -> the communes it leads to,
  with what the contexts test (départements, postal codes, how the name leads there);
- `rc_epci_names`: EPCI name key -> EPCI with their départements;
- `rc_area_names`: name key -> départements and régions;
- `rc_code_keys`: commune or EPCI, by code alone (5 characters for a commune, 9 for an EPCI's
  SIREN: no code is both) -> every name key it bears (or bore). A join on one column lets the scan
  skip the codes no declared row points to (the join's filter is pushed into the scan), which a
  join on (type, code) does not;
- `rc_commune`: the communes of rc_collectivite, by code alone (the paths' lookups);
- `rc_postal_code`: every postal code of the COG, once;
- `rc_postal_departements`: postal code -> the départements of its communes.
"""

from __future__ import annotations

import duckdb

KEY_LIST_TABLES = (
    "rc_commune_names",
    "rc_commune_short_names",
    "rc_epci_names",
    "rc_area_names",
    "rc_code_keys",
    "rc_commune",
    "rc_postal_code",
    "rc_postal_departements",
)


def codes_where(entries: str, condition: str) -> str:
    """The codes of the `entries` meeting `condition` (on `x`), NULL when none does (as `list()`
    with a FILTER gives them)."""
    return f"nullif(list_transform(list_filter({entries}, lambda x: {condition}), lambda x: x.code), []::VARCHAR[])"


# Per key, what does not depend on the declared row is listed here once: every commune, those
# reached only by a name long out of use, by a former name, by an arrondissement's name. The
# entries keep what the row's contexts test (départements, postal codes). Nineteen keys in
# twenty lead to one commune: their lists are written out directly, since aggregating lists of
# STRUCTs holding lists is several times slower in DuckDB; only the keys shared by several
# communes are grouped.
def _commune_names(table: str, key: str) -> str:
    return f"""CREATE OR REPLACE TEMP TABLE {table} AS
        WITH communes AS (
            SELECT {key}, code, departements, codes_postaux, source, outdated,
                   count(*) OVER (PARTITION BY {key}) AS commune_count
            FROM rc_key WHERE type_collectivite = 'commune' AND {key} IS NOT NULL
        )
        SELECT {key}, [{{'code': code, 'departements': departements, 'codes_postaux': codes_postaux}}] AS entries,
               [code] AS codes,
               CASE WHEN outdated THEN [code] END AS outdated_codes,
               CASE WHEN source = 'ancien' THEN [code] END AS old_codes,
               CASE WHEN source = 'arrondissement' THEN [code] END AS arrondissement_codes
        FROM communes WHERE commune_count = 1
        UNION ALL
        SELECT {key}, list({{'code': code, 'departements': departements, 'codes_postaux': codes_postaux}}),
               list(code),
               list(code) FILTER (WHERE outdated),
               list(code) FILTER (WHERE source = 'ancien'),
               list(code) FILTER (WHERE source = 'arrondissement')
        FROM communes WHERE commune_count > 1
        GROUP BY {key}"""


_STATEMENTS = (
    _commune_names("rc_commune_names", "key"),
    _commune_names("rc_commune_short_names", "short_key"),
    """CREATE OR REPLACE TEMP TABLE rc_epci_names AS
       SELECT key, list({'code': code, 'departements': departements}) AS entries
       FROM rc_key WHERE type_collectivite = 'epci'
       GROUP BY key""",
    """CREATE OR REPLACE TEMP TABLE rc_area_names AS
       SELECT key,
              list(code) FILTER (WHERE type_collectivite = 'departement') AS departements,
              list(code) FILTER (WHERE type_collectivite = 'region') AS regions
       FROM rc_key WHERE type_collectivite IN ('departement', 'region')
       GROUP BY key""",
    """CREATE OR REPLACE TEMP TABLE rc_code_keys AS
       SELECT code, list(key) AS keys FROM rc_key WHERE type_collectivite IN ('commune', 'epci') GROUP BY code""",
    # The communes of rc_collectivite, joined by code alone for the same reason as rc_code_keys.
    """CREATE OR REPLACE TEMP TABLE rc_commune AS
       SELECT * EXCLUDE (type_collectivite) FROM rc_collectivite WHERE type_collectivite = 'commune'""",
    "CREATE OR REPLACE TEMP TABLE rc_postal_code AS SELECT DISTINCT code_postal FROM rc_postal",
    """CREATE OR REPLACE TEMP TABLE rc_postal_departements AS
       SELECT pc.code_postal, list(DISTINCT c.code_departement) AS departements
       FROM rc_postal pc JOIN rc_collectivite c ON c.type_collectivite = 'commune' AND c.code = pc.code_insee
       GROUP BY pc.code_postal""",
)


def build_key_lists(con: duckdb.DuckDBPyConnection) -> None:
    for statement in _STATEMENTS:
        con.execute(statement)
