"""`observatory` command line: the library's entry points for people, without Dagster.

    observatory reconcile INPUT.csv --out OUTPUT.csv [--opsn opsn.csv] [--mappings F] [--exclusions F]

Runs the same reconciliation as the pipeline asset on any file in the `adherents`
declaration format and writes it back with the result columns of `adhesions` appended,
one output row per input row, in the same order. Bad input: a message naming the file,
the row and the field, and exit code 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb
import pandas as pd

from observatory.declarations import MEMBERS_TABLE, OPSN_TABLE, load_opsn, read_adherents_csv, write_members
from observatory.errors import SourceError, SourceErrors
from observatory.paths import MAPPINGS_DIR
from observatory.reconcile import ReconcileReport, reconcile_members
from observatory.reconcile.vocabulary import AMBIGUOUS, MATCHED
from observatory.referential import load_referential
from observatory.schemas import enum_values, field_names
from observatory.verify import cli as verifier

EXIT_BAD_INPUT = 2
# Columns appended to the declared ones: the result of the reconciliation, i.e. the adhesions
# contract minus what the file already says (and its line number, which the file's order gives).
RESULT_COLUMNS = tuple(
    name for name in field_names("adhesions") if name not in {*field_names("declaration/adherents"), "numero_ligne"}
)
# In the order of the published vocabulary (schemas/adhesions.json).
STATUSES = tuple(enum_values("adhesions", "statut_rapprochement"))
# Ambiguous rows printed with their candidates; the output file has them all.
AMBIGUOUS_SHOWN = 10
DEFAULT_MAPPINGS = MAPPINGS_DIR / "rapprochements.csv"
DEFAULT_EXCLUSIONS = MAPPINGS_DIR / "exclusions.csv"


def _existing(path: Path | None) -> Path | None:
    return path if path is not None and path.exists() else None


def reconcile_file(
    source: Path,
    output: Path,
    *,
    opsn: Path | None = None,
    mappings: Path | None = None,
    exclusions: Path | None = None,
) -> ReconcileReport:
    """Reconcile a declared-members CSV into `output`; return what the run did (rows per status…)."""
    con = duckdb.connect()
    try:
        load_referential(con)
        known = None
        if opsn is not None:
            known = set(load_opsn(con, opsn)["siren"])
        frame = read_adherents_csv(source, known)
        declared = field_names("declaration/adherents")
        write_members(con, frame)
        report = reconcile_members(
            con,
            members=MEMBERS_TABLE,
            opsn=OPSN_TABLE if opsn else None,
            mappings=mappings,
            exclusions=exclusions,
            output="rc_cli_adhesions",
            only_rows_of_this_file=True,
        )
        selected = ", ".join(f'"{column}"' for column in RESULT_COLUMNS)
        result = con.execute(f"SELECT {selected} FROM rc_cli_adhesions").df()
        # Declared values as read (not as emptied to NULL for the warehouse), in file order.
        written = frame[declared + ["id_adhesion"]].merge(result, on="id_adhesion", how="left", validate="one_to_one")
        written = written[[*declared, *RESULT_COLUMNS]]
        written["date_adhesion"] = written["date_adhesion"].map(lambda d: d.isoformat() if d else "")
        # Table Schema's default boolean spelling, as every published CSV.
        written["adhesion_multiple"] = written["adhesion_multiple"].map({True: "true", False: "false"})
        output.parent.mkdir(parents=True, exist_ok=True)
        written.to_csv(output, index=False, encoding="utf-8")
        return report
    finally:
        con.close()


def _reconcile(args: argparse.Namespace) -> int:
    mappings = args.mappings if args.mappings is not None else _existing(DEFAULT_MAPPINGS)
    exclusions = args.exclusions if args.exclusions is not None else _existing(DEFAULT_EXCLUSIONS)
    report = reconcile_file(args.input, args.out, opsn=args.opsn, mappings=mappings, exclusions=exclusions)
    for warning in report.warnings:
        print(f"avertissement : {warning}", file=sys.stderr)
    for line in summary_lines(report, args.out):
        print(line)
    for line in ambiguous_lines(args.out):
        print(line)
    return 0


def summary_lines(report: ReconcileReport, output: Path) -> list[str]:
    """What a steward reads first: rows read, rows matched, then every status with its count."""
    matched = report.by_status.get(MATCHED, 0)
    lines = [f"{report.rows} ligne(s) lue(s), {matched} rapprochée(s) -> {output}"]
    for status in STATUSES:
        lines.append(f"  {status:17} {report.by_status.get(status, 0):7d}")
    return lines


def ambiguous_lines(output: Path, limit: int = AMBIGUOUS_SHOWN) -> list[str]:
    """The first ambiguous rows of the written file, with their candidates' names and départements."""
    result = pd.read_csv(output, dtype=str, keep_default_na=False)
    ambiguous = result[result["statut_rapprochement"] == AMBIGUOUS]
    lines = [
        f"  ligne {index + 2} « {row.nom_adherent} » : {row.candidats_libelles.replace('|', ' ; ')}"
        for index, row in ambiguous.head(limit).iterrows()
    ]
    if len(ambiguous) > limit:
        lines.append(f"  … et {len(ambiguous) - limit} autre(s) ligne(s) ambiguë(s) : colonne candidats_libelles")
    return (["Lignes ambiguës (candidates) :"] if lines else []) + lines


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="observatory", description="Observatoire des OPSN")
    commands = parser.add_subparsers(dest="command", required=True)
    reconcile = commands.add_parser(
        "reconcile",
        help="rapprocher une déclaration d'adhérents du COG",
        description="Rapproche chaque ligne d'un fichier au format de déclaration `adherents` du Code officiel "
        "géographique et écrit les colonnes déclarées suivies du résultat.",
    )
    reconcile.add_argument("input", type=Path, help="fichier CSV au format schemas/declaration/adherents.json")
    reconcile.add_argument("--out", type=Path, required=True, help="fichier CSV à écrire")
    reconcile.add_argument(
        "--opsn",
        type=Path,
        help="déclaration d'identité des OPSN (opsn.csv), facultative : "
        "vérifie les SIREN d'OPSN et classe les candidats de leurs départements en premier",
    )
    reconcile.add_argument(
        "--mappings", type=Path, help=f"décisions revues (défaut : {DEFAULT_MAPPINGS.relative_to(MAPPINGS_DIR.parent)})"
    )
    reconcile.add_argument(
        "--exclusions",
        type=Path,
        help=f"lignes écartées (défaut : {DEFAULT_EXCLUSIONS.relative_to(MAPPINGS_DIR.parent)})",
    )
    reconcile.set_defaults(handler=_reconcile)
    verifier.add_command(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except (SourceError, SourceErrors) as error:
        print(f"erreur : {error}", file=sys.stderr)
        return EXIT_BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())
