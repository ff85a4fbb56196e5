"""Type a string table against its Table Schema, collecting every blocking error at once.

Only fields marked `x-bloquant` in the schema stop a run: they are the keys the pipeline
cannot do without (the declaring OPSN, a date). Identification fields of members are kept
as declared, since the reconciliation reports their defects row by row instead; a
non-blocking value that cannot be typed becomes empty.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from observatory.errors import SourceError, SourceErrors
from observatory.schemas import field_descriptors
from observatory.sources.csvfile import LINE_NUMBER

_BOOLEANS = {
    "true": True,
    "vrai": True,
    "oui": True,
    "1": True,
    "false": False,
    "faux": False,
    "non": False,
    "0": False,
}


def _typed_column(field: dict, raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(typed values, mask of non-empty values that could not be typed)."""
    kind = field.get("type", "string")
    present = raw != ""
    if kind == "date":
        fmt = field.get("format", "default")
        fmt = "%Y-%m-%d" if fmt in ("default", "any") else fmt
        parsed = pd.to_datetime(raw.where(present), format=fmt, errors="coerce")
        values = pd.Series(parsed.dt.date, index=raw.index, dtype=object).where(parsed.notna(), None)
        return values, present & parsed.isna()
    if kind == "boolean":
        mapped = raw.str.lower().map(_BOOLEANS)
        return mapped.astype(object).where(mapped.notna(), None), present & mapped.isna()
    return raw, pd.Series(False, index=raw.index)


def _constraint_failures(field: dict, raw: pd.Series) -> pd.Series:
    """Per row: an error message, or '' when the value satisfies the field's constraints."""
    constraints = field.get("constraints", {})
    messages = pd.Series("", index=raw.index, dtype=object)
    present = raw != ""
    if constraints.get("required"):
        messages = messages.mask(~present, "valeur obligatoire manquante")
    if pattern := constraints.get("pattern"):
        bad = present & ~raw.str.fullmatch(pattern)
        messages = messages.mask(
            bad & (messages == ""), raw.map(lambda v: f"« {v} » ne respecte pas le motif {pattern}")
        )
    if enum := constraints.get("enum"):
        bad = present & ~raw.isin(enum)
        messages = messages.mask(
            bad & (messages == ""), raw.map(lambda v: f"« {v} » hors vocabulaire ({', '.join(enum)})")
        )
    return messages


# A date outside these years is a typing slip (1850, 2099, an Excel serial read as a year).
FIRST_PLAUSIBLE_YEAR = 1950


def implausible_date(value: date | None) -> bool:
    return value is not None and not (FIRST_PLAUSIBLE_YEAR <= value.year <= date.today().year + 1)


def _date_message(field: dict):
    fmt = field.get("format", "default")
    shown = "AAAA-MM-JJ" if fmt in ("default", "any") else fmt.replace("%d", "JJ").replace("%m", "MM")
    shown = shown.replace("%Y", "AAAA")
    return lambda value: f"date « {value} » illisible (attendu {shown})"


def type_frame(
    path: Path | str,
    frame: pd.DataFrame,
    schema_name: str,
    *,
    strict: bool = False,
    errors: list[SourceError] | None = None,
) -> pd.DataFrame:
    """Return a copy with schema columns typed; raise SourceErrors listing every blocking defect.

    `strict`: every field is blocking (files with no row-level record of anomalies: the CNIL
    file, opsn.csv, services.csv). `errors`: defects already found in the file (reading), so
    that a steward gets them all in one message."""
    errors = list(errors or [])
    typed = frame.copy()
    for field in field_descriptors(schema_name):
        name = field["name"]
        raw = frame[name].astype(str)
        values, untypable = _typed_column(field, raw)
        if strict or field.get("x-bloquant"):
            messages = _constraint_failures(field, raw)
            messages = messages.mask(untypable & (messages == ""), raw.map(lambda v: f"« {v} » illisible"))
            if field.get("type") == "date":
                messages = messages.mask(untypable, raw.map(_date_message(field)))
                odd = values.map(implausible_date) & (messages == "")
                messages = messages.mask(odd, raw.map(lambda v: f"date « {v} » invraisemblable"))
            for line, message in zip(frame.loc[messages != "", LINE_NUMBER], messages[messages != ""], strict=True):
                errors.append(SourceError(path, message, row=int(line), field=name))
        typed[name] = values.where(~untypable, None) if untypable.any() else values
    if errors:
        raise SourceErrors(errors)
    return typed
