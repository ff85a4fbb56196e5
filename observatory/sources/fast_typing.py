"""Type a table of strings read by DuckDB (csv_duckdb) against its Table Schema, in SQL.

The judge stays `typing.type_frame`: each constrained or typed column's DISTINCT values (a
handful of enums, a few thousand dates) go through its very code, and the SQL typing is used
only when it agrees with pandas on every one of them. Any value it would refuse, or any
disagreement, returns None: the caller then runs the pandas path, which names the file, line
and field exactly as before. A million rows never become Python objects.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from observatory.schemas import field_descriptors
from observatory.sources.csv_duckdb import quoted, sql_string
from observatory.sources.field_types import _constraint_failures, _typed_column, implausible_date

# Formats pandas and DuckDB's strptime both read; a schema with another falls back to pandas.
_DATE_FORMATS = {"default": "%Y-%m-%d", "any": "%Y-%m-%d", "%Y-%m-%d": "%Y-%m-%d", "%d/%m/%Y": "%d/%m/%Y"}


def _distinct(con: duckdb.DuckDBPyConnection, view: str, column: str, extra: str = "") -> pd.DataFrame:
    return con.execute(f"SELECT DISTINCT {quoted(column)} AS v{extra} FROM {view}").df()


def date_parse(field: dict, column_sql: str) -> str | None:
    """The date a text column holds, NULL when empty or unreadable; None for a format DuckDB lacks."""
    fmt = _DATE_FORMATS.get(field.get("format", "default"))
    if fmt is None:
        return None
    return f"try_strptime(NULLIF({column_sql}, ''), {sql_string(fmt)})::DATE"


def _date_expression(con: duckdb.DuckDBPyConnection, view: str, field: dict, check: bool) -> str | None:
    parse = date_parse(field, quoted(field["name"]))
    if parse is None:
        return None
    values = _distinct(con, view, field["name"], f", {parse} AS sql")
    raw = values["v"].astype(str)
    typed, untypable = _typed_column(field, raw)
    if check and (untypable.any() or typed.map(implausible_date).any()):
        return None
    # Same date from both readers for every distinct value, or pandas decides.
    agree = [
        (a is None and (b is None or pd.isna(b))) or (b is not None and not pd.isna(b) and a == pd.Timestamp(b).date())
        for a, b in zip(typed.where(~untypable, None), values["sql"], strict=True)
    ]
    return parse if all(agree) else None


def typed_select(
    con: duckdb.DuckDBPyConnection, view: str, schema_name: str, *, strict: bool, names: list[str] | None = None
) -> list[str] | None:
    """One SQL expression per schema field (in schema order, aliased to the field's name), or None.

    `strict`: every field's constraints are checked, as `type_frame(strict=True)`; otherwise only
    the blocking (`x-bloquant`) fields' are. Empty text becomes NULL."""
    expressions = []
    for field in field_descriptors(schema_name):
        name = field["name"]
        check = strict or bool(field.get("x-bloquant"))
        kind = field.get("type", "string")
        if kind == "date":
            expression = _date_expression(con, view, field, check)
            if expression is None:
                return None
        elif kind == "string":
            if check and field.get("constraints"):
                raw = _distinct(con, view, name)["v"].astype(str)
                if (_constraint_failures(field, raw) != "").any():
                    return None
            expression = f"NULLIF({quoted(name)}, '')"
        else:
            return None
        expressions.append(f"{expression} AS {quoted(name)}")
    return expressions
