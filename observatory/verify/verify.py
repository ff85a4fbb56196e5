"""`verify_declaration`: check one OPSN's member file before it is published.

Asset-free so that the CLI today and a web front end later call the same function. It
writes three files into `out_dir`: the HTML report, the per-row CSV and a stub of
reviewed decisions (mappings/rapprochements.csv format) pre-filled with the rows to choose.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

import duckdb
import pandas as pd

from observatory.declarations import read_adherents_csv
from observatory.errors import SourceError, SourceErrors
from observatory.paths import DEFAULT_EXPORTS_DIR, MAPPINGS_DIR
from observatory.referential import load_referential
from observatory.schemas import field_names
from observatory.sources.csvfile import LINE_NUMBER, read_csv_strings, require_columns
from observatory.verify import outputs
from observatory.verify.matching import load_collectivites, reconcile_rows
from observatory.verify.release import (
    ReleaseView,
    find_release,
    load_opsn_identity,
    other_declarants,
    read_release,
)
from observatory.verify.rows import build_rows
from observatory.verify.schema_check import SCHEMA, Problem, check_rows, unknown_columns
from observatory.verify.summary import counts, territory_of, verdict

REPORT_FILE = "rapport-verification.html"
ROWS_FILE = "verification-lignes.csv"
STUB_FILE = "rapprochements.csv"


@dataclass
class VerificationResult:
    declaration: Path
    verdict: str
    reason: str
    report: Path
    rows_csv: Path
    stub_csv: Path
    siren_opsn: str | None = None
    nom_opsn: str | None = None
    release: str | None = None
    demonstration: bool = False
    counts: dict = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    rows: pd.DataFrame = field(default_factory=pd.DataFrame)
    choices: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    fatal: str | None = None
    seconds: float = 0.0


def _existing(path: Path) -> Path | None:
    return path if path.exists() else None


def _errors_of(error: SourceError | SourceErrors) -> list[SourceError]:
    return error.errors if isinstance(error, SourceErrors) else [error]


def _as_problem(error: SourceError) -> Problem:
    return Problem(
        error.row or 0,
        error.field or "",
        "",
        error.reason,
        "corrigez le fichier à cet endroit (voir le schéma adherents)",
        True,
    )


def _pipeline_errors(path: Path) -> list[SourceError]:
    """What the pipeline's own loader rejects in this file: the authority on blocking defects."""
    try:
        read_adherents_csv(path)
    except (SourceError, SourceErrors) as error:
        return _errors_of(error)
    return []


def _align_blocking(problems: list[Problem], pipeline: list[SourceError]) -> list[Problem]:
    """Blocking means "the pipeline rejects it": mark ours accordingly, add what only it saw."""
    rejected = {(e.row, e.field) for e in pipeline}
    aligned = [replace(p, blocking=(p.line, p.field) in rejected) for p in problems]
    ours = {(p.line, p.field) for p in problems}
    return aligned + [_as_problem(e) for e in pipeline if (e.row, e.field) not in ours]


def _concerns(warning: str, siren_opsn: str | None) -> bool:
    """The engine warns stewards about every OPSN's reviewed decisions; an OPSN reads its own."""
    named = set(re.findall(r"OPSN (\d{9})", warning))
    return not named or siren_opsn in named


def _declaring_opsn(raw: pd.DataFrame, siren_opsn: str | None) -> tuple[str | None, list[Problem]]:
    """The OPSN checked (given, else the one most rows name) and the rows naming another one."""
    named = Counter(value for value in raw["siren_opsn"] if value)
    chosen = siren_opsn or (named.most_common(1)[0][0] if named else None)
    foreign = [
        Problem(
            int(line),
            "siren_opsn",
            value,
            f"ligne déclarée par un autre OPSN que {chosen}",
            "un fichier par OPSN : retirez cette ligne ou corrigez le SIREN de l'OPSN",
            False,
        )
        for line, value in zip(raw[LINE_NUMBER], raw["siren_opsn"], strict=True)
        if len(value) == 9 and value.isdigit() and value != chosen
    ]
    return chosen, foreign


def verify_declaration(
    path: Path | str,
    siren_opsn: str | None = None,
    release_dir: Path | str | None = None,
    out_dir: Path | str = ".",
    *,
    exports_dir: Path = DEFAULT_EXPORTS_DIR,
    mappings: Path | None = None,
    exclusions: Path | None = None,
) -> VerificationResult:
    """Check `path` (schemas/declaration/adherents.json format) and write the report into `out_dir`.

    `release_dir`: a published release to find the other OPSN in (default: exports/LATEST if
    any). `mappings`/`exclusions`: reviewed decisions (default: the project's, as the pipeline).
    """
    started = time.perf_counter()
    path, out_dir = Path(path), Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    result = VerificationResult(path, "", "", out_dir / REPORT_FILE, out_dir / ROWS_FILE, out_dir / STUB_FILE)
    con = duckdb.connect()
    try:
        load_referential(con)
        release = find_release(Path(release_dir) if release_dir else None, exports_dir)
        view: ReleaseView | None = read_release(con, release) if release else None
        if view is not None:
            result.release, result.demonstration = str(view.directory), view.demonstration
        problems: list[Problem] = []
        try:
            raw = read_csv_strings(path)
            require_columns(path, raw, field_names(SCHEMA))
        except (SourceError, SourceErrors) as error:
            # The whole file is unreadable for the pipeline: say where, check nothing else.
            found = _errors_of(error)
            result.fatal = "; ".join(
                str(e.reason) + (f" (ligne {e.row}, champ {e.field})" if e.row else "") for e in found[:5]
            )
            problems = [_as_problem(e) for e in found]
            raw = pd.DataFrame(columns=[LINE_NUMBER, *field_names(SCHEMA)])
        if extra := unknown_columns(raw):
            result.notes.append(f"colonne(s) inconnue(s), ignorée(s) : {', '.join(extra)}")
        if not raw.empty:
            problems = _align_blocking(check_rows(raw), _pipeline_errors(path))
        rejected = {p.line for p in problems if p.blocking}
        result.siren_opsn, foreign = _declaring_opsn(raw, siren_opsn)
        problems = sorted(problems + foreign, key=lambda p: (p.line, p.field))
        identity = load_opsn_identity(con, view, result.siren_opsn) if result.siren_opsn else None
        if identity is not None:
            result.nom_opsn = identity.get("nom")
        elif view is not None:
            result.notes.append(
                f"l'OPSN {result.siren_opsn} n'a pas de déclaration d'identité (opsn.csv) dans la "
                "version utilisée : publiez-la aussi, sans elle ses adhérents ne sont pas consolidés"
            )
        if raw.empty:
            matched, warnings = pd.DataFrame(), []
        else:
            matched, warnings = reconcile_rows(
                con,
                path,
                raw,
                rejected,
                with_opsn=identity is not None,
                mappings=mappings if mappings is not None else _existing(MAPPINGS_DIR / "rapprochements.csv"),
                exclusions=exclusions if exclusions is not None else _existing(MAPPINGS_DIR / "exclusions.csv"),
            )
        result.notes += [w for w in warnings if _concerns(w, result.siren_opsn)]
        load_collectivites(con)
        others = other_declarants(view, result.siren_opsn)
        # A first pass for the territory when the OPSN's identity is unknown; candidates need none.
        declared_territory, _ = territory_of(
            identity, pd.DataFrame(columns=["type_collectivite", "departement_officiel"])
        )
        result.rows, result.choices = build_rows(con, raw, matched, problems, others, declared_territory)
        territory, territory_label = territory_of(identity, result.rows)
        result.counts = counts(con, result.rows, territory)
        result.counts["territoire"] = territory
        result.counts["territoire_source"] = territory_label
        result.problems = problems
        result.verdict, result.reason = verdict(result.fatal, problems, result.counts, len(foreign))
    finally:
        con.close()
    result.seconds = time.perf_counter() - started
    outputs.write_all(result)
    return result
