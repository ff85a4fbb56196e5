"""Accuracy and speed of the reconciliation engine, on messy declarations built from the real COG.

    .venv/bin/python benchmarks/reconciliation.py [--seed 2026] [--per-kind 500] [--speed-rows 200000]

Accuracy: `--per-kind` rows of every kind of mess (benchmarks/messy_members.py), with
their ground truth. Precision is taken on the rows the engine matched, recall on the rows
that can be matched; homonyms without département must all be `ambigu`, names that do not
exist must all stay unmatched. Speed: `--speed-rows` rows with the referential and its
lookup tables already loaded, for a realistic mix, for rows that only need exact paths,
and for rows that all go through the fuzzy path.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

import duckdb
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.messy_members import FIELDS, Generator, valid_siren  # noqa: E402
from benchmarks.messy_referential import load_referential_data  # noqa: E402
from observatory.reconcile import reconcile_members  # noqa: E402
from observatory.reconcile.referential_index import ensure_index  # noqa: E402
from observatory.referential import load_referential  # noqa: E402

EXACT_KINDS = (
    "propre_complet",
    "siren",
    "code_insee",
    "corse_2a_2b",
    "nom_departement",
    "code_postal_nom",
    "zero_initial_perdu",
    "majuscules_sans_accents",
    "st_abrege",
    "article_deplace",
    "ancien_code",
    "ancien_nom",
    "prefixe_mairie",
    "epci_siren",
)
# Shares of a realistic declaration (the demo sources' proportions, rounded).
REALISTIC_MIX = {
    "propre_complet": 20,
    "siren": 14,
    "code_insee": 20,
    "nom_departement": 10,
    "code_postal_nom": 9,
    "nom_seul_unique": 3,
    "homonyme_sans_departement": 2,
    "majuscules_sans_accents": 4,
    "st_abrege": 4,
    "article_deplace": 2,
    "faute_frappe": 2,
    "prefixe_mairie": 1,
    "ancien_nom": 2,
    "ancien_code": 1,
    "zero_initial_perdu": 1,
    "siren_cle_invalide": 1,
    "code_postal_pour_insee": 1,
    "epci_siren": 2,
    "epci_sigle": 1,
    "nom_inexistant": 0.5,
    "cedex": 0.5,
}
OPSN_COUNT = 25


def build_tables(con: duckdb.DuckDBPyConnection, rows: list, seed: int) -> pd.DataFrame:
    """core_declarations__adherents and core_declarations__opsn from generated rows; returns the truth."""
    rng = random.Random(seed)
    depts = [
        d for (d,) in con.execute("SELECT code_departement FROM core_cog__departements WHERE zone <> 'com'").fetchall()
    ]
    opsn = pd.DataFrame({"siren": [valid_siren(rng) for _ in range(OPSN_COUNT)]})
    opsn["nom"] = [f"OPSN {i}" for i in range(OPSN_COUNT)]
    opsn["departements"] = ["|".join(sorted(rng.sample(depts, rng.randint(1, 4)))) for _ in range(OPSN_COUNT)]
    con.execute("CREATE OR REPLACE TABLE core_declarations__opsn AS SELECT * FROM opsn")
    frame = pd.DataFrame([row for _, row, _, _ in rows], columns=list(FIELDS))
    frame = frame.replace({"": None})
    frame.insert(0, "siren_opsn", [opsn["siren"].iloc[i % OPSN_COUNT] for i in range(len(frame))])
    frame.insert(0, "numero_ligne", range(2, len(frame) + 2))
    frame.insert(0, "id_adhesion", [f"{i:016x}" for i in range(len(frame))])
    frame["date_adhesion"] = None
    con.execute("""CREATE OR REPLACE TABLE core_declarations__adherents AS
                   SELECT * REPLACE (CAST(date_adhesion AS DATE) AS date_adhesion) FROM frame""")
    return pd.DataFrame(
        {
            "id_adhesion": frame["id_adhesion"],
            "kind": [k for k, _, _, _ in rows],
            "expected": [e for _, _, e, _ in rows],
            "expected_code": [c for _, _, _, c in rows],
        }
    )


def accuracy_table(result: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for kind, group in [("TOUT", result), *sorted(result.groupby("kind"))]:
        matchable = group["expected"].isin(["commune", "epci", "departement", "region"])
        matched = group["statut_rapprochement"] == "rapproche"
        correct = (
            matched
            & (group["type_collectivite"] == group["expected"])
            & (group["code_collectivite"] == group["expected_code"])
        )
        homonyms = group["expected"] == "ambigu"
        missing = group["expected"] == "non_trouve"
        rows.append(
            {
                "type": kind,
                "n": len(group),
                "precision": correct.sum() / matched.sum() if matched.any() else None,
                "rappel": correct[matchable].sum() / matchable.sum() if matchable.any() else None,
                "ambigu_attendu": (
                    (group.loc[homonyms, "statut_rapprochement"] == "ambigu").mean() if homonyms.any() else None
                ),
                "non_rapproche_attendu": (~matched[missing]).mean() if missing.any() else None,
                "faux": int((matched & ~correct).sum()),
            }
        )
    return pd.DataFrame(rows)


def _pct(value) -> str:
    return "" if value is None or pd.isna(value) else f"{100 * value:6.2f} %"


def print_accuracy(table: pd.DataFrame) -> None:
    print(
        f"{'type de désordre':32} {'n':>6} {'précision':>10} {'rappel':>10} {'ambigu':>10} "
        f"{'non rappr.':>10} {'faux':>5}"
    )
    for row in table.itertuples():
        print(
            f"{row.type:32} {row.n:6d} {_pct(row.precision):>10} {_pct(row.rappel):>10} "
            f"{_pct(row.ambigu_attendu):>10} {_pct(row.non_rapproche_attendu):>10} {row.faux:5d}"
        )


def run_accuracy(con, generator, per_kind: int, seed: int, show_errors: int) -> None:
    rows = generator.generate(dict.fromkeys(generator.kinds, per_kind))
    truth = build_tables(con, rows, seed)
    reconcile_members(con)
    result = con.execute("SELECT * FROM core_declarations__adhesions").df().merge(truth, on="id_adhesion")
    print(
        f"\nPrécision et rappel : {len(result)} lignes, {per_kind} par type de désordre "
        f"({generator.ref.discarded_typos} fautes de frappe retirées : elles écrivaient une autre commune "
        f"du département ; {generator.ref.discarded_spellings} graphies réelles retirées : une autre commune "
        "de leur contexte s'écrivait ainsi)\n"
    )
    print_accuracy(accuracy_table(result))
    if show_errors:
        differs = (result["code_collectivite"] != result["expected_code"]) | (
            result["type_collectivite"] != result["expected"]
        )
        wrong = result[(result["statut_rapprochement"] == "rapproche") & differs]
        missed = result[
            result["expected"].isin(["commune", "epci", "departement"])
            & (result["statut_rapprochement"] != "rapproche")
        ]
        columns = [
            "kind",
            "nom_adherent",
            "code_insee_adherent",
            "code_postal",
            "code_departement",
            "statut_rapprochement",
            "methode_rapprochement",
            "score",
            "code_collectivite",
            "expected",
            "expected_code",
            "candidats",
        ]
        with pd.option_context("display.width", 250, "display.max_columns", 20, "display.max_colwidth", 40):
            print("\nFaux rapprochements :\n", wrong[columns].head(show_errors).to_string())
            print("\nNon rapprochés rapprochables :\n", missed[columns].head(show_errors).to_string())


def timed_run(con, generator, kinds: dict[str, float], total: int, seed: int, label: str, repeat: int) -> None:
    """Median of `repeat` runs on the same rows: the machine is shared, single runs vary by ±30 %."""
    weights = sum(kinds.values())
    counts = {kind: round(total * share / weights) for kind, share in kinds.items()}
    build_tables(con, generator.generate(counts), seed)
    runs = []
    for _ in range(repeat):
        start, cpu_start = time.perf_counter(), time.process_time()
        report = reconcile_members(con)
        runs.append((time.perf_counter() - start, report, time.process_time() - cpu_start))
    runs.sort(key=lambda run: run[0])
    seconds, report, cpu = runs[len(runs) // 2]
    stages = ", ".join(f"{stage} {value:.2f}" for stage, value in report.seconds.items() if value >= 0.005)
    fuzzy = report.by_method.get("nom_flou", 0) + report.by_method.get("nom_epci_flou", 0)
    # CPU seconds of this process (all its threads): what a shared, loaded machine changes least.
    print(
        f"{label:30} {report.rows:8d} lignes {seconds:6.2f} s {report.rows / seconds:9,.0f} lignes/s "
        f"({cpu:6.2f} s CPU, {report.rows / cpu:9,.0f} lignes par seconde CPU) "
        f"[min {runs[0][0]:.2f} s, max {runs[-1][0]:.2f} s] rapprochées {100 * report.matched_share():5.1f} %, "
        f"par le chemin flou {fuzzy} ; étapes (s) : {stages}"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--per-kind", type=int, default=500)
    parser.add_argument("--speed-rows", type=int, default=200_000)
    parser.add_argument("--fuzzy-rows", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs per speed measure (median reported)")
    parser.add_argument("--errors", type=int, default=0, help="show that many wrong and missed rows")
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--skip-accuracy", action="store_true")
    args = parser.parse_args(argv)

    con = duckdb.connect()
    con.execute("SET threads = 2")
    load_referential(con)
    start = time.perf_counter()
    ensure_index(con)
    print(f"Tables de correspondance construites en {time.perf_counter() - start:.2f} s (une fois par connexion)")
    generator = Generator(load_referential_data(con), args.seed)
    if not args.skip_accuracy:
        run_accuracy(con, generator, args.per_kind, args.seed, args.errors)
    if args.skip_speed:
        return
    threads = con.execute("SELECT current_setting('threads')").fetchall()[0][0]
    print(f"\nDébit (référentiel et tables de correspondance déjà chargés, {threads} threads)\n")
    timed_run(con, generator, REALISTIC_MIX, args.speed_rows, args.seed, "mélange réaliste", args.repeat)
    timed_run(
        con, generator, dict.fromkeys(EXACT_KINDS, 1), args.speed_rows, args.seed, "chemins exacts seuls", args.repeat
    )
    timed_run(con, generator, {"faute_frappe": 1}, args.fuzzy_rows, args.seed, "chemin flou seul (fautes)", args.repeat)


if __name__ == "__main__":
    main()
