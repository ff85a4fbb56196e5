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

from observatory.reconcile.fuzzy_references import block_names, sorted_runs

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


def match_block(row_ids, keys: list[str], reference_keys: list[str], reference_codes, code_numbers=None) -> list[tuple]:
    """Best reference for each query of one block: (row_id, statut, code, score, candidats) for
    the queries that reach the threshold. `reference_codes` may repeat a code (current and former
    names); between equal scores the first reference wins. `code_numbers`, one number per distinct
    code, lets the runner-up be found by comparing numbers rather than strings."""
    codes = np.asarray(reference_codes, dtype=object)
    if code_numbers is None:
        code_numbers = np.unique(codes, return_inverse=True)[1] if len(codes) else np.empty(0, dtype=np.int64)
    scores, edits = SCORES(keys, reference_keys)
    rows = np.arange(len(keys))
    best_index = scores.argmax(axis=1)
    best = scores[rows, best_index]
    best_codes = codes[best_index]
    # Runner-up: the best name of any *other* collectivité (0 when the block has no other).
    others = np.where(code_numbers[None, :] != code_numbers[best_index][:, None], scores, -np.inf).max(axis=1)
    runner_up = np.where(np.isneginf(others), 0.0, others)
    results = []
    for i in np.flatnonzero((best >= FUZZY_THRESHOLD) & (edits[rows, best_index] <= FUZZY_MAX_EDITS)):
        if best[i] - runner_up[i] >= FUZZY_MARGIN:
            results.append((row_ids[i], "rapproche", best_codes[i], float(best[i]), None))
        else:
            close = (scores[i] >= max(best[i] - FUZZY_MARGIN, FUZZY_THRESHOLD)) & (edits[i] <= FUZZY_MAX_EDITS)
            results.append((row_ids[i], "ambigu", None, None, sorted({str(c) for c in codes[close]})))
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


# The pending rows that can take the fuzzy path, with what the check of their match reads: per
# family its key and its block, a '|'-joined list of départements ('*': all of France); a row
# with no key or no block cannot take it. The pending rows are found by their row_id alone, and
# rc_evidence is then read for them only (a semi join, whose row_id filter the scan applies
# first): reading these columns for every row before the anti join cost three times as much.
# Sorted by family and block, so that each block is a slice.
_PENDING_ROWS = """
SELECT * FROM (
    SELECT row_id, CASE WHEN declared_type IN ('commune', 'absent') THEN 'commune' ELSE declared_type END AS kind,
           CASE WHEN declared_type IN ('commune', 'absent') THEN lookup_key
                WHEN declared_type = 'epci' THEN epci_key
                WHEN declared_type IN ('departement', 'region') THEN collectivite_key END AS key,
           CASE WHEN declared_type IN ('commune', 'absent')
                THEN array_to_string(list_sort(coalesce(departements, departements_postaux)), '|')
                WHEN declared_type = 'epci' THEN coalesce(array_to_string(list_sort(departements), '|'), '*')
                ELSE '*' END AS block,
           postal_code_used, name_matches_france, departements IS NOT NULL AS has_departements
    FROM rc_evidence WHERE row_id IN (SELECT row_id FROM ({pending}))
)
WHERE key IS NOT NULL AND block IS NOT NULL
ORDER BY kind, block
"""

_METHODS = {"commune": "nom_flou", "epci": "nom_epci_flou", "departement": "nom_flou", "region": "nom_flou"}

# A commune found by a misspelt name is not taken when the declared postal code is not one of
# its own, or when the declared name is exactly that of several communes elsewhere (a homonym
# whose context holds none of them): the row is `ambigu`, with that commune and the others as
# candidates. A name borne by one commune elsewhere does not stop it: the declared département
# is read as the stronger field (typos that spell a commune of another département are 0.8 % of
# the benchmark's typos). The matches come as parameters, one list per column, with the pending
# row's columns the check reads.
_INSERT_CHECKED = """
INSERT INTO rc_decision
WITH found AS (
    SELECT unnest(CAST($1 AS BIGINT[])) AS row_id, unnest(CAST($2 AS VARCHAR[])) AS statut,
           unnest(CAST($3 AS VARCHAR[])) AS methode, unnest(CAST($4 AS VARCHAR[])) AS type_collectivite,
           unnest(CAST($5 AS VARCHAR[])) AS code, unnest(CAST($6 AS DOUBLE[])) AS score,
           unnest(CAST($7 AS VARCHAR[][])) AS candidats, unnest(CAST($8 AS VARCHAR[])) AS postal_code_used,
           unnest(CAST($9 AS VARCHAR[][])) AS name_matches_france, unnest(CAST($10 AS BOOLEAN[])) AS has_departements
), checked AS (
    SELECT f.*,
           CASE WHEN f.statut = 'rapproche' AND f.type_collectivite = 'commune'
                     AND f.postal_code_used IS NOT NULL
                     AND NOT list_contains(t.codes_postaux, f.postal_code_used)
                THEN 'code_postal_incoherent'
                WHEN f.statut = 'rapproche' AND f.type_collectivite = 'commune'
                     AND len(f.name_matches_france) > 1
                THEN CASE WHEN f.has_departements THEN 'conflit_departement' ELSE 'code_postal_incoherent' END
           END AS contradiction
    FROM found f
    LEFT JOIN rc_collectivite t ON t.type_collectivite = f.type_collectivite AND t.code = f.code
)
SELECT row_id, CASE WHEN contradiction IS NULL THEN statut ELSE 'ambigu' END, methode,
       CASE WHEN statut = 'rapproche' AND contradiction IS NULL THEN round(score, 4) END,
       CASE WHEN statut = 'rapproche' AND contradiction IS NULL THEN type_collectivite END,
       CASE WHEN statut = 'rapproche' AND contradiction IS NULL THEN code END,
       CASE WHEN contradiction IS NULL THEN candidats
            ELSE list_distinct([code] || coalesce(name_matches_france, []::VARCHAR[])) END,
       CASE WHEN statut = 'rapproche'
            THEN list_filter(['nom_inexact', contradiction], lambda a: a IS NOT NULL) ELSE [] END
FROM checked
"""


def _blocks(blocks: np.ndarray) -> dict[str, tuple[int, int]]:
    """Where each block's rows start and end in a column sorted by block."""
    return {str(blocks[start]): (start, end) for start, end in sorted_runs(blocks)}


def _values(column) -> list:
    """A fetched column as Python values, NULL as None and a list as a list."""
    mask = np.ma.getmaskarray(column)
    return [
        None if masked else (value.tolist() if isinstance(value, np.ndarray) else value)
        for value, masked in zip(np.ma.getdata(column), mask, strict=True)
    ]


def insert_fuzzy_decisions(con: duckdb.DuckDBPyConnection, pending: str) -> None:
    """INSERT INTO rc_decision the rows of `pending` (a query on rc_evidence) found by a misspelt name."""
    rows = con.execute(_PENDING_ROWS.replace("{pending}", pending)).fetchnumpy()
    matches = []  # (index of the pending row, family, statut, code, score, candidats)
    slices = {
        kind: {
            block: (first + start, first + end) for block, (start, end) in _blocks(rows["block"][first:last]).items()
        }
        for kind, (first, last) in _blocks(rows["kind"]).items()
    }
    names = block_names(con, {kind: list(blocks) for kind, blocks in slices.items()}) if slices else {}
    for kind, blocks in slices.items():
        for block, (start, end) in blocks.items():
            if (kind, block) in names:
                found = match_block(range(start, end), rows["key"][start:end].tolist(), *names[kind, block])
                matches += [(index, kind, *match) for index, *match in found]
    if not matches:
        return
    at, kinds, statuts, codes, scores, candidats = (list(column) for column in zip(*matches, strict=True))
    con.execute(
        _INSERT_CHECKED,
        [
            rows["row_id"][at].tolist(),
            statuts,
            [_METHODS[kind] for kind in kinds],
            kinds,
            [None if code is None else str(code) for code in codes],
            scores,
            candidats,
            _values(rows["postal_code_used"][at]),
            _values(rows["name_matches_france"][at]),
            rows["has_departements"][at].tolist(),
        ],
    )
