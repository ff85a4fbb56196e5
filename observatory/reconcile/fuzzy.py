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


def match_block(row_ids, keys: list[str], reference_keys: list[str], reference_codes) -> list[tuple]:
    """Best reference for each query of one block: (row_id, statut, code, score, candidats) for
    the queries that reach the threshold. `reference_codes` may repeat a code (current and former
    names); between equal scores the first reference wins."""
    codes = np.asarray(reference_codes, dtype=object)
    scores, edits = SCORES(keys, reference_keys)
    rows = np.arange(len(keys))
    best_index = scores.argmax(axis=1)
    best = scores[rows, best_index]
    best_codes = codes[best_index]
    # Runner-up: the best name of any *other* collectivité (0 when the block has no other).
    others = np.where(codes[None, :] != best_codes[:, None], scores, -np.inf).max(axis=1)
    runner_up = np.where(np.isneginf(others), 0.0, others)
    results = []
    for i in np.flatnonzero((best >= FUZZY_THRESHOLD) & (edits[rows, best_index] <= FUZZY_MAX_EDITS)):
        if best[i] - runner_up[i] >= FUZZY_MARGIN:
            results.append((row_ids[i], "rapproche", best_codes[i], float(best[i]), None))
        else:
            close = sorted(
                {
                    str(c)
                    for c, s, e in zip(codes, scores[i], edits[i], strict=True)
                    if s >= max(best[i] - FUZZY_MARGIN, FUZZY_THRESHOLD) and e <= FUZZY_MAX_EDITS
                }
            )
            results.append((row_ids[i], "ambigu", None, None, close))
    return results


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
        results += match_block(
            group["row_id"].tolist(), group["key"].tolist(), refs["key"].tolist(), refs["code"].tolist()
        )
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


def _blocks(rows: dict) -> dict[str, tuple[int, int]]:
    """Where each block's rows start and end in columns sorted by block."""
    blocks = rows["block"]
    starts = [0, *(np.flatnonzero(blocks[1:] != blocks[:-1]) + 1).tolist()]
    ends = [*starts[1:], len(blocks)]
    return {str(blocks[start]): (start, end) for start, end in zip(starts, ends, strict=True)}


def fuzzy_decisions(con: duckdb.DuckDBPyConnection, pending: str) -> pd.DataFrame:
    """Fuzzy matches for the pending rows of every family (row_id, statut, type, code, score, candidats)."""
    # The pending rows of every family in one query, sorted by block so each block is a slice.
    union = " UNION ALL ".join(f"SELECT '{kind}' AS kind, * FROM ({sql})" for kind, sql in _QUERIES.items())
    queries = con.execute(f"WITH pending AS ({pending}) SELECT * FROM ({union}) ORDER BY kind, block").fetchnumpy()
    results = []
    for kind in _QUERIES:
        mine = np.flatnonzero(queries["kind"] == kind)
        if not mine.size:
            continue
        rows = {column: np.asarray(values[mine[0] : mine[-1] + 1]) for column, values in queries.items()}
        query_blocks = _blocks(rows)
        references = con.execute(_REFERENCES.replace("$kind", "?"), [sorted(query_blocks), kind, kind]).fetchnumpy()
        reference_blocks = _blocks(references) if len(references["block"]) else {}
        for block, (start, end) in query_blocks.items():
            if block not in reference_blocks:
                continue
            low, high = reference_blocks[block]
            found = match_block(
                rows["row_id"][start:end].tolist(),
                rows["key"][start:end].tolist(),
                references["key"][low:high].tolist(),
                references["code"][low:high].tolist(),
            )
            results += [
                (row_id, statut, kind, code, score, candidats) for row_id, statut, code, score, candidats in found
            ]
    return pd.DataFrame(results, columns=_RESULT_COLUMNS)
