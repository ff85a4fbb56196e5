"""Table Schemas in `schemas/` are the single source of truth for columns.

Code never lists a published column by hand: it asks this module for names, DuckDB
types, Arrow types and the frictionless `Schema` to validate with.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path

import pyarrow as pa
from frictionless import Schema

from observatory.paths import SCHEMAS_DIR

# Table Schema type -> DuckDB type. `year` is an integer year; list-valued fields are
# `string` fields whose values are `|`-separated, so they need no special case here.
_DUCKDB_TYPES = {
    "string": "VARCHAR",
    "integer": "BIGINT",
    "number": "DOUBLE",
    "boolean": "BOOLEAN",
    "date": "DATE",
    "datetime": "TIMESTAMP",
    "year": "INTEGER",
}

_ARROW_TYPES = {
    "string": pa.string(),
    "integer": pa.int64(),
    "number": pa.float64(),
    "boolean": pa.bool_(),
    "date": pa.date32(),
    "datetime": pa.timestamp("us"),
    "year": pa.int32(),
}

LIST_SEPARATOR = "|"


def schema_path(name: str) -> Path:
    """`"adhesions"` -> schemas/adhesions.json; `"declaration/opsn"` -> schemas/declaration/opsn.json."""
    return SCHEMAS_DIR / f"{name}.json"


@cache
def _cached_descriptor(name: str) -> dict:
    path = schema_path(name)
    if not path.exists():
        raise FileNotFoundError(f"Table Schema introuvable: {path}")
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def load_descriptor(name: str) -> dict:
    """A private copy: callers may adapt it (e.g. a Parquet twin's foreign keys) safely."""
    return copy.deepcopy(_cached_descriptor(name))


def read_descriptor(name: str) -> dict:
    """The shared, cached descriptor, for reading only: no copy (publication reads schemas
    hundreds of times per release, and copying them cost more than the rest of its Python)."""
    return _cached_descriptor(name)


def load_schema(name: str) -> Schema:
    """A fresh frictionless Schema (callers may mutate it)."""
    return Schema.from_descriptor(load_descriptor(name))


def field_descriptors(name: str) -> list[dict]:
    return list(load_descriptor(name)["fields"])


def field_names(name: str) -> list[str]:
    return [field["name"] for field in read_descriptor(name)["fields"]]


def duckdb_type(field: dict) -> str:
    try:
        return _DUCKDB_TYPES[field.get("type", "string")]
    except KeyError as error:
        raise ValueError(f"type de champ non géré: {field}") from error


def duckdb_columns(name: str) -> str:
    """Column list for `CREATE TABLE t (...)`, in schema order, with declared types."""
    return ", ".join(f'"{f["name"]}" {duckdb_type(f)}' for f in read_descriptor(name)["fields"])


def duckdb_select(name: str, source: str = "") -> str:
    """`SELECT` list that casts every schema column of `source` to its declared type.

    Used to shape a working table into the published contract, in schema order.
    """
    prefix = f"{source}." if source else ""
    return ", ".join(
        f'CAST({prefix}"{f["name"]}" AS {duckdb_type(f)}) AS "{f["name"]}"' for f in read_descriptor(name)["fields"]
    )


def arrow_schema(name: str) -> pa.Schema:
    fields = read_descriptor(name)["fields"]
    return pa.schema([pa.field(f["name"], _ARROW_TYPES[f.get("type", "string")]) for f in fields])


def primary_key(name: str) -> list[str]:
    key = read_descriptor(name).get("primaryKey", [])
    return [key] if isinstance(key, str) else list(key)


def enum_values(name: str, field_name: str) -> list[str]:
    for field in field_descriptors(name):
        if field["name"] == field_name:
            return list(field.get("constraints", {}).get("enum", []))
    raise KeyError(f"{name}: pas de champ {field_name}")


def value_labels(name: str, field_name: str) -> dict[str, str]:
    """A field's vocabulary with what each value means (`x-libelles`), in the schema's order."""
    for field in field_descriptors(name):
        if field["name"] == field_name:
            return dict(field.get("x-libelles", {}))
    raise KeyError(f"{name}: pas de champ {field_name}")
