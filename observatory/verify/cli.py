"""`observatory verifier DECLARATION.csv [--siren-opsn SIREN] [--out DIR] [--release DIR]`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from observatory.verify.summary import REFUSEE
from observatory.verify.verify import verify_declaration

EXIT_REFUSED = 1
EXIT_BAD_INPUT = 2


def _run(args: argparse.Namespace) -> int:
    try:
        result = verify_declaration(
            args.declaration, siren_opsn=args.siren_opsn, release_dir=args.release, out_dir=args.out
        )
    except FileNotFoundError as error:  # a --release folder that is not a release
        print(f"erreur : {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    c = result.counts
    print(
        f"{c.get('lignes', 0)} ligne(s) : {c.get('rapprochees', 0)} rapprochée(s), {c.get('a_choisir', 0)} à "
        f"choisir, {c.get('introuvables', 0)} introuvable(s), {len(result.problems)} erreur(s) de format"
    )
    print(f"Version publiée utilisée : {result.release or 'aucune'}")
    print(f"Rapport : {result.report} — verdict : {result.verdict} ({result.reason})")
    return EXIT_REFUSED if result.verdict == REFUSEE else 0


def add_command(commands) -> None:
    parser = commands.add_parser(
        "verifier",
        help="vérifier une déclaration d'adhérents avant de la publier",
        description="Vérifie le fichier d'adhérents d'un OPSN (format schemas/declaration/adherents.json) : "
        "erreurs de format ligne par ligne, rapprochement de chaque ligne du COG, adhérents aussi "
        "déclarés par d'autres OPSN ; écrit un rapport HTML, le résultat de chaque ligne (CSV) et un "
        "fichier rapprochements.csv à compléter.",
    )
    parser.add_argument("declaration", type=Path, help="fichier CSV des adhérents d'un OPSN")
    parser.add_argument("--siren-opsn", help="SIREN de l'OPSN vérifié (défaut : celui de la plupart des lignes)")
    parser.add_argument("--out", type=Path, default=Path("."), help="dossier où écrire le rapport (défaut : .)")
    parser.add_argument(
        "--release",
        type=Path,
        help="version publiée de l'observatoire (dossier exports/<version>) "
        "où chercher les autres OPSN (défaut : exports/LATEST s'il existe)",
    )
    parser.set_defaults(handler=_run)
