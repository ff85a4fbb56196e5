"""How the fuzzy path's scorer, threshold, maximum edits and margin were chosen.

    .venv/bin/python benchmarks/fuzzy_tuning.py [--seed 11] [--typos 5000] [--unknown 2000]

Misspelt names with their département (one slip each: swapped, dropped, doubled or replaced
letter), and names that do not exist, also with a département so that they reach the fuzzy
path. For each setting: precision and recall on the misspelt names, share of unknown names
left unmatched. The engine's choice (observatory/reconcile/fuzzy.py) is the last line.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

import duckdb
import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import Indel, JaroWinkler

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.messy_members import Generator  # noqa: E402
from benchmarks.messy_referential import load_referential_data  # noqa: E402
from benchmarks.reconciliation import accuracy_table, build_tables  # noqa: E402
from observatory.reconcile import fuzzy, reconcile_members  # noqa: E402
from observatory.referential import load_referential  # noqa: E402


def scores_from(similarity):
    """A `fuzzy.SCORES` replacement from a rapidfuzz normalized similarity."""

    def scores(queries: list[str], keys: list[str]):
        similarities = process.cdist(queries, keys, scorer=similarity, dtype=np.float32, workers=1)
        # No edit count for these scorers: the cap on edits does not apply.
        return similarities, np.zeros(similarities.shape, dtype=np.int32)

    return scores


SETTINGS = [
    # (label, scores, threshold, max edits, margin)
    *[
        (f"jaro-winkler {t}, marge {m}", scores_from(JaroWinkler.normalized_similarity), t, 99, m)
        for t in (0.90, 0.92, 0.94)
        for m in (0.02, 0.04)
    ],
    *[(f"indel {t}, marge 0.04", scores_from(Indel.normalized_similarity), t, 99, 0.04) for t in (0.80, 0.85, 0.90)],
    *[(f"osa {t}, sans plafond, marge 0.06", fuzzy.osa_scores, t, 99, 0.06) for t in (0.70, 0.75, 0.78)],
    *[(f"osa 0.75, 2 fautes, marge {m}", fuzzy.osa_scores, 0.75, 2, m) for m in (0.04, 0.08)],
    ("osa 0.75, 2 fautes, marge 0.06 (retenu)", fuzzy.osa_scores, 0.75, 2, 0.06),
]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--typos", type=int, default=5000)
    parser.add_argument("--unknown", type=int, default=2000)
    args = parser.parse_args(argv)
    con = duckdb.connect()
    load_referential(con)
    generator = Generator(load_referential_data(con), args.seed)
    rows = generator.generate({"faute_frappe": args.typos, "nom_inexistant": args.unknown})
    rng = random.Random(args.seed)
    departements = sorted({c.dept for c in generator.ref.communes})
    for kind, row, _, _ in rows:
        if kind == "nom_inexistant" and not row["code_departement"]:
            row["code_departement"] = rng.choice(departements)
    truth = build_tables(con, rows, args.seed)
    saved = (fuzzy.SCORES, fuzzy.FUZZY_THRESHOLD, fuzzy.FUZZY_MAX_EDITS, fuzzy.FUZZY_MARGIN)
    print(f"{'réglage':42} {'précision':>10} {'rappel':>8} {'faux':>5} {'inconnus non rapprochés':>24}")
    try:
        for label, scores, threshold, edits, margin in SETTINGS:
            fuzzy.SCORES, fuzzy.FUZZY_THRESHOLD, fuzzy.FUZZY_MAX_EDITS, fuzzy.FUZZY_MARGIN = (
                scores,
                threshold,
                edits,
                margin,
            )
            reconcile_members(con)
            result = con.execute("SELECT * FROM core_declarations__adhesions").df().merge(truth, on="id_adhesion")
            table = accuracy_table(result).set_index("type")
            typos, unknown = table.loc["faute_frappe"], table.loc["nom_inexistant"]
            print(
                f"{label:42} {100 * typos.precision:9.2f} % {100 * typos.rappel:6.2f} % {typos.faux:5d} "
                f"{100 * unknown.non_rapproche_attendu:23.2f} %",
                flush=True,
            )
    finally:
        fuzzy.SCORES, fuzzy.FUZZY_THRESHOLD, fuzzy.FUZZY_MAX_EDITS, fuzzy.FUZZY_MARGIN = saved


if __name__ == "__main__":
    main()
