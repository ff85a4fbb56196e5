"""The fuzzy path: a misspelt name, compared with the names of its département only.

Blocking by département (the declared one, else the one of the declared postal code) keeps
each comparison to a few hundred names and makes homonyms of other départements
irrelevant; a name without either is never fuzzy-matched. rapidfuzz scores every query of
a block against every name of the block at once (`process.cdist`). A match is accepted
only when it is good enough AND clearly better than the best name of any other
collectivité: two close candidates make the row `ambigu`, with both listed.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
from rapidfuzz import process
from rapidfuzz.distance import OSA

# A misspelling changes at most a quarter of the name (one letter of "vars") …
FUZZY_THRESHOLD = 0.75
# … and at most two letters: an unknown long name is not a misspelling of every name
# that shares most of its words ("Saint-Odilon-les-Tilleuls").
FUZZY_MAX_EDITS = 2
# The best collectivité must beat the runner-up (the best other one) by this much.
FUZZY_MARGIN = 0.06


def osa_scores(queries: list[str], keys: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(similarities, edits), queries × keys. Optimal string alignment: a swapped, dropped,
    doubled or replaced letter is one edit, as a typist makes them; similarity = 1 - edits /
    length of the longer key. Jaro-Winkler and Indel were measured too (benchmarks/README.md):
    Jaro-Winkler rewards the long prefixes French names share ("saint martin de …"), Indel
    counts a swap as two edits."""
    edits = process.cdist(queries, keys, scorer=OSA.distance, dtype=np.int32, workers=1)
    longest = np.maximum.outer(np.array([len(k) for k in queries]), np.array([len(k) for k in keys]))
    return 1.0 - edits / np.maximum(longest, 1), edits


SCORES = osa_scores

_RESULT_COLUMNS = ["row_id", "statut", "type_collectivite", "code", "score", "candidats"]


def match_in_blocks(queries: pd.DataFrame, references: pd.DataFrame) -> pd.DataFrame:
    """Best reference per query within its block.

    `queries`: row_id, key, block; `references`: block, key, code (a code may have several
    keys: current and former names). Returns row_id, statut (rapproche|ambigu), code,
    score, candidats, for the queries that reach the threshold.
    """
    results = []
    references_by_block = {block: group for block, group in references.groupby("block", sort=False)}
    for block, group in queries.groupby("block", sort=False):
        refs = references_by_block.get(block)
        if refs is None or refs.empty:
            continue
        keys = refs["key"].tolist()
        codes = refs["code"].to_numpy()
        scores, edits = SCORES(group["key"].tolist(), keys)
        for row_id, row, row_edits in zip(group["row_id"].to_numpy(), scores, edits, strict=True):
            best_index = int(row.argmax())
            best = float(row[best_index])
            if best < FUZZY_THRESHOLD or row_edits[best_index] > FUZZY_MAX_EDITS:
                continue
            best_code = codes[best_index]
            # Runner-up: the best name of any *other* collectivité.
            others = row[codes != best_code]
            runner_up = float(others.max()) if others.size else 0.0
            if best - runner_up >= FUZZY_MARGIN:
                results.append((row_id, "rapproche", best_code, best, None))
            else:
                close = sorted(
                    {
                        str(c)
                        for c, s, e in zip(codes, row, row_edits, strict=True)
                        if s >= max(best - FUZZY_MARGIN, FUZZY_THRESHOLD) and e <= FUZZY_MAX_EDITS
                    }
                )
                results.append((row_id, "ambigu", None, None, close))
    return pd.DataFrame(results, columns=["row_id", "statut", "code", "score", "candidats"])


# Per family of collectivité, the pending rows to compare: row_id, key, block. A block is a
# '|'-joined list of départements ('*': all of France); references are repeated for every
# block they sit in, so that each block is one cdist call.
_QUERIES = {
    "commune": """SELECT row_id, lookup_key AS key,
                         array_to_string(list_sort(coalesce(departements, departements_postaux)), '|') AS block
                  FROM pending
                  WHERE declared_type IN ('commune', 'absent') AND lookup_key IS NOT NULL
                    AND coalesce(departements, departements_postaux) IS NOT NULL""",
    "epci": """SELECT row_id, epci_key AS key, coalesce(array_to_string(list_sort(departements), '|'), '*') AS block
               FROM pending WHERE declared_type = 'epci' AND epci_key IS NOT NULL""",
    "departement": """SELECT row_id, collectivite_key AS key, '*' AS block FROM pending
                      WHERE declared_type = 'departement' AND collectivite_key IS NOT NULL""",
    "region": """SELECT row_id, collectivite_key AS key, '*' AS block FROM pending
                 WHERE declared_type = 'region' AND collectivite_key IS NOT NULL""",
}


# Every block's reference names in one query, in rc_key order within a block (the first of two
# equal scores wins): the names of the block's départements, each once ('*': all of France).
_REFERENCES = """
WITH blocks AS (SELECT unnest(CAST(? AS VARCHAR[])) AS block),
named AS (
    SELECT DISTINCT b.block, n.position, n.key, n.code
    FROM (SELECT block, unnest(string_split(block, '|')) AS departement FROM blocks WHERE block <> '*') b
    JOIN rc_key_departement n USING (departement)
    WHERE n.type_collectivite = $kind
    UNION ALL
    SELECT b.block, k.position, k.key, k.code
    FROM blocks b JOIN (SELECT rowid AS position, key, code FROM rc_key WHERE type_collectivite = $kind) k
      ON b.block = '*'
)
SELECT block, key, code FROM named ORDER BY block, position
"""


def _references(con: duckdb.DuckDBPyConnection, kind: str, blocks: list[str]) -> pd.DataFrame:
    """Reference names of every block: those of its départements ('*': all of France)."""
    return con.execute(_REFERENCES.replace("$kind", "?"), [blocks, kind, kind]).df()


def fuzzy_decisions(con: duckdb.DuckDBPyConnection, pending: str) -> pd.DataFrame:
    """Fuzzy matches for the pending rows of every family (row_id, statut, type, code, score, candidats)."""
    results = []
    for kind, query_sql in _QUERIES.items():
        queries = con.execute(f"WITH pending AS ({pending}) {query_sql}").df()
        if queries.empty:
            continue
        references = _references(con, kind, sorted(queries["block"].unique()))
        found = match_in_blocks(queries, references)
        if not found.empty:
            results.append(found.assign(type_collectivite=kind))
    if not results:
        return pd.DataFrame(columns=_RESULT_COLUMNS)
    return pd.concat(results, ignore_index=True)[_RESULT_COLUMNS]
