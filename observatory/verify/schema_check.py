"""Check a declared-members file against schemas/declaration/adherents.json, row by row.

The pipeline only stops on blocking fields (`x-bloquant`) and keeps the rest as declared;
an OPSN preparing its file wants every defect at once, each said plainly with the way to
fix it. The messages are derived from the same schema file the pipeline reads, so a
constraint added there is checked here without a code change.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

import pandas as pd
from stdnum.fr import siren as stdnum_siren

from observatory.schemas import field_descriptors
from observatory.sources.csvfile import LINE_NUMBER

SCHEMA = "declaration/adherents"
TEXT_TIP = "dans le tableur, mettez la colonne au format « Texte » avant de saisir les codes"


@dataclass(frozen=True)
class Problem:
    """One defect of the file: where (line, header = 1; field), what, and how to fix it."""

    line: int
    field: str
    value: str
    message: str
    fix: str
    blocking: bool


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower().strip()


def _digits_lost_zero(value: str, width: int) -> bool:
    return value.isdigit() and len(value) == width - 1


def _pattern_problem(field: dict, value: str) -> tuple[str, str]:
    name = field["name"]
    example = field.get("example", "")
    compact = re.sub(r"[\s.]", "", value)
    if name.startswith("siren"):
        if compact.isdigit() and len(compact) == 14:
            return (
                f"« {value} » est un SIRET (14 chiffres), pas un SIREN",
                f"gardez les 9 premiers chiffres : {compact[:9]}",
            )
        if compact != value and re.fullmatch(r"\d{9}", compact):
            return f"« {value} » contient des espaces ou des points", f"écrivez les 9 chiffres collés : {compact}"
        return (
            f"« {value} » n'est pas un SIREN (9 chiffres)",
            f"recopiez le SIREN depuis l'annuaire Sirene (ex. {example})",
        )
    if name == "code_insee_adherent":
        if _digits_lost_zero(value, 5):
            return f"« {value} » n'a que 4 chiffres : le zéro initial a été perdu", f"écrivez 0{value} ; {TEXT_TIP}"
        return (
            f"« {value} » n'est pas un code INSEE",
            f"code officiel géographique à 5 caractères (2A/2B pour la Corse) pour une commune, "
            f"code du département ou de la région sinon (ex. {example}) ; ce n'est pas le code postal",
        )
    if name == "code_postal":
        if _digits_lost_zero(value, 5):
            return f"« {value} » n'a que 4 chiffres : le zéro initial a été perdu", f"écrivez 0{value} ; {TEXT_TIP}"
        return f"« {value} » n'est pas un code postal (5 chiffres)", f"écrivez les 5 chiffres (ex. {example})"
    if name.startswith("code_departement") or name == "departements":
        if value.isdigit() and len(value) == 1:
            return f"« {value} » : le zéro initial a été perdu", f"écrivez 0{value} ; {TEXT_TIP}"
        return (
            f"« {value} » n'est pas un code de département",
            f"2 chiffres, 2A/2B pour la Corse, 3 chiffres outre-mer (ex. {example})",
        )
    return f"« {value} » n'a pas la forme attendue", f"suivez l'exemple : {example}"


def _enum_problem(field: dict, value: str) -> tuple[str, str]:
    allowed = field["constraints"]["enum"]
    close = [option for option in allowed if _plain(option) == _plain(value)]
    listed = ", ".join(allowed)
    if close:
        return (
            f"« {value} » est presque une valeur admise",
            f"écrivez exactement « {close[0]} » (minuscules, sans accent)",
        )
    hint = " ; un syndicat ou une association : « syndicat » ou « autre »" if "syndicat" in allowed else ""
    return f"« {value} » ne fait pas partie des valeurs admises", f"choisissez parmi : {listed}{hint}"


def _date_problem(value: str) -> tuple[str, str]:
    for layout in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y/%m/%d"):
        try:
            parsed = datetime.strptime(value, layout).date()
        except ValueError:
            continue
        return (
            f"« {value} » n'est pas écrit AAAA-MM-JJ",
            f"écrivez {parsed.isoformat()} ; dans un tableur, format de cellule « AAAA-MM-JJ » ou « Texte »",
        )
    return f"« {value} » n'est pas une date", "écrivez la date sous la forme AAAA-MM-JJ, ou laissez la case vide"


def _field_problem(field: dict, value: str) -> tuple[str, str, bool] | None:
    """(message, fix, breaks the schema) or None; a wrong SIREN check digit is only a warning."""
    found = _schema_problem(field, value)
    if found is not None:
        return (*found, True)
    if value and field["name"].startswith("siren") and not stdnum_siren.is_valid(value):
        return (
            f"« {value} » : la clé de contrôle de ce SIREN est fausse (chiffre mal recopié)",
            "vérifiez le SIREN dans l'annuaire Sirene (annuaire-entreprises.data.gouv.fr)",
            False,
        )
    return None


def _schema_problem(field: dict, value: str) -> tuple[str, str] | None:
    constraints = field.get("constraints", {})
    if value == "":
        if constraints.get("required"):
            return (
                "valeur obligatoire manquante",
                f"renseignez ce champ sur chaque ligne (ex. {field.get('example', '')})",
            )
        return None
    if (pattern := constraints.get("pattern")) and not re.fullmatch(pattern, value):
        return _pattern_problem(field, value)
    if (enum := constraints.get("enum")) and value not in enum:
        return _enum_problem(field, value)
    if field.get("type") == "date":
        fmt = field.get("format", "default")
        try:
            datetime.strptime(value, "%Y-%m-%d" if fmt in ("default", "any") else fmt)
        except ValueError:
            return _date_problem(value)
    return None


def check_rows(frame: pd.DataFrame) -> list[Problem]:
    """Every field defect of a string frame read by `read_csv_strings` (with `numero_ligne`)."""
    problems: list[Problem] = []
    for field in field_descriptors(SCHEMA):
        name = field["name"]
        blocking = bool(field.get("x-bloquant"))
        # Distinct values first: a 2,000-row file repeats the same OPSN SIREN and dates.
        verdicts = {value: _field_problem(field, value) for value in frame[name].unique()}
        for line, value in zip(frame[LINE_NUMBER], frame[name], strict=True):
            if (found := verdicts[value]) is not None:
                problems.append(Problem(int(line), name, value, found[0], found[1], blocking and found[2]))
    return sorted(problems, key=lambda p: (p.line, p.field))


def unknown_columns(frame: pd.DataFrame) -> list[str]:
    expected = {field["name"] for field in field_descriptors(SCHEMA)}
    return [column for column in frame.columns if column not in expected and column != LINE_NUMBER]
