"""A Table Schema field as SQL conditions that hold for every bad cell of a text column.

The published CSV is read back with every column as text, exactly as a reusers' tool
would see it, and each rule of the schema becomes one DuckDB expression. A schema
feature this module does not know raises instead of being skipped: validation must
never become silently partial when a schema grows.
"""

from __future__ import annotations

from dataclasses import dataclass

# What frictionless accepts by default for each type, written as full-match RE2 patterns.
# Some are stricter than frictionless (no leading '+', no NaN): DuckDB never writes those.
_TYPE_PATTERNS = {
    "integer": r"-?\d+",
    "number": r"-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?",
    "date": r"\d{4}-\d{2}-\d{2}",
    "datetime": r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z?",
    "year": r"-?\d{4}",
}
_DUCKDB_TYPES = {"integer": "BIGINT", "number": "DOUBLE", "date": "DATE", "datetime": "TIMESTAMP", "year": "INTEGER"}
_TRUE = ("true", "True", "TRUE", "1")
_FALSE = ("false", "False", "FALSE", "0")
# rfc3986 with a scheme, as frictionless' `uri` format requires; no blank inside.
_URI = r"[A-Za-z][A-Za-z0-9+.\-]*:[^\s]+"
# x-libelles documents a vocabulary (its keys are the enum); x-separateur marks a list-valued field.
_KNOWN_FIELD_KEYS = {
    "name",
    "type",
    "format",
    "constraints",
    "description",
    "example",
    "title",
    "x-bloquant",
    "x-libelles",
    "x-separateur",
}
_KNOWN_CONSTRAINTS = {"required", "unique", "enum", "pattern", "minimum", "maximum", "minLength", "maxLength"}


@dataclass(frozen=True)
class Rule:
    field: str
    label: str  # French, for the error message
    bad: str  # SQL: true on a cell that breaks the rule


def literal(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def missing(column: str) -> str:
    """`missingValues: [""]`: DuckDB reads an empty cell, quoted or not, as NULL."""
    return f"({column} IS NULL OR {column} = '')"


def typed(field: dict, column: str) -> str:
    """The cell as a typed value, NULL when missing or malformed (so range rules skip it)."""
    kind = field.get("type", "string")
    if kind == "boolean":
        yes, no = _tuple(_true(field)), _tuple(_false(field))
        return f"CASE WHEN {column} IN {yes} THEN true WHEN {column} IN {no} THEN false END"
    if kind == "date":
        return f"TRY_CAST(TRY_STRPTIME({column}, '%Y-%m-%d') AS DATE)"
    if kind in _DUCKDB_TYPES:
        return f"TRY_CAST({column} AS {_DUCKDB_TYPES[kind]})"
    return column


def _true(field: dict) -> tuple:
    return tuple(field.get("trueValues", _TRUE))


def _false(field: dict) -> tuple:
    return tuple(field.get("falseValues", _FALSE))


def _tuple(values) -> str:
    return "(" + ", ".join(literal(v) for v in values) + ")"


def field_rules(field: dict) -> list[Rule]:
    name = field["name"]
    unknown = (set(field) - _KNOWN_FIELD_KEYS) | (set(field.get("constraints", {})) - _KNOWN_CONSTRAINTS)
    if unknown:
        raise ValueError(f"champ {name} : propriété de schéma non vérifiée par la validation : {sorted(unknown)}")
    v = quoted(name)
    present = f"NOT {missing(v)}"
    kind = field.get("type", "string")
    fmt = field.get("format", "default")
    rules: list[Rule] = []
    constraints = field.get("constraints", {})
    if constraints.get("required"):
        rules.append(Rule(name, "valeur obligatoire manquante", missing(v)))
    if kind == "string":
        if fmt == "uri":
            rules.append(Rule(name, "n'est pas une URI", f"{present} AND NOT regexp_full_match({v}, {literal(_URI)})"))
        elif fmt != "default":
            raise ValueError(f"champ {name} : format {fmt!r} non vérifié par la validation")
    elif kind == "boolean":
        allowed = _true(field) + _false(field)
        rules.append(Rule(name, "n'est pas un booléen", f"{present} AND {v} NOT IN {_tuple(allowed)}"))
    elif kind in _TYPE_PATTERNS:
        if fmt != "default":
            raise ValueError(f"champ {name} : format {fmt!r} non vérifié par la validation")
        pattern = literal(_TYPE_PATTERNS[kind])
        rules.append(
            Rule(
                name,
                f"n'est pas du type {kind}",
                f"{present} AND (NOT regexp_full_match({v}, {pattern}) OR {typed(field, v)} IS NULL)",
            )
        )
    else:
        raise ValueError(f"champ {name} : type {kind!r} non vérifié par la validation")
    value = typed(field, v)
    if "enum" in constraints:
        values = constraints["enum"]
        rules.append(Rule(name, f"hors de l'énumération {values}", f"{present} AND {value} NOT IN {_tuple(values)}"))
    vocabulary = field.get("x-libelles")
    if "x-separateur" in field and vocabulary:
        # A list-valued enum: its pattern is generated from the vocabulary (scripts/build_schemas.py);
        # checking item by item says which vocabulary was left instead of quoting that long pattern.
        items = f"string_split({v}, {literal(field['x-separateur'])})"
        allowed = "[" + ", ".join(literal(value) for value in vocabulary) + "]"
        rules.append(
            Rule(
                name,
                "contient une valeur hors du vocabulaire (x-libelles du schéma)",
                f"{present} AND len(list_filter({items}, lambda a: NOT list_contains({allowed}, a))) > 0",
            )
        )
    elif "pattern" in constraints:
        pattern = constraints["pattern"]
        rules.append(
            Rule(
                name, f"ne suit pas le motif {pattern}", f"{present} AND NOT regexp_full_match({v}, {literal(pattern)})"
            )
        )
    for key, operator in (("minimum", "<"), ("maximum", ">")):
        if key in constraints:
            bound = constraints[key]
            bound_sql = f"DATE {literal(bound)}" if kind == "date" else literal(bound)
            rules.append(Rule(name, f"{key} {bound} non respecté", f"{value} {operator} {bound_sql}"))
    for key, operator in (("minLength", "<"), ("maxLength", ">")):
        if key in constraints:
            rules.append(
                Rule(
                    name,
                    f"{key} {constraints[key]} non respecté",
                    f"{present} AND length({v}) {operator} {constraints[key]}",
                )
            )
    return rules


def check_schema_keys(descriptor: dict, name: str) -> None:
    missing_values = descriptor.get("missingValues", [""])
    if missing_values != [""]:
        raise ValueError(f"{name} : missingValues {missing_values} non vérifié par la validation")
