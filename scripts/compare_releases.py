"""Compare the published tables of two releases, table by table, and say what differs.

Usage:
    python scripts/compare_releases.py exports/<avant> exports/<apres> \
        [--renomme collectivites.siren_opsn=sirens_opsn ...] [--nouveau adhesions.source_adhesion ...]

A refactoring that must not change behaviour is proved by this script: every table present in
both releases holds the same rows (compared as text, whatever their order), once the renamed
fields declared on the command line are mapped and the fields declared new are set aside (their
values are printed, so that a new column holding one constant is seen as such). Tables
computed against the previous release (`historique_indicateurs`, `changements`) depend on the
history of `exports/` and are compared like the others: build both releases on an empty
`exports/` for a fair comparison.
Exit status 0 when nothing differs, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import duckdb


def _resources(release: Path) -> dict[str, list[str]]:
    package = json.loads((release / "datapackage.json").read_text(encoding="utf-8"))
    return {
        resource["name"]: [field["name"] for field in resource["schema"]["fields"]]
        for resource in package["resources"]
        if resource.get("format", "csv") == "csv" and "schema" in resource
    }


def _renames(values: list[str]) -> dict[str, dict[str, str]]:
    """`table.ancien=nouveau` -> {table: {ancien: nouveau}}."""
    renames: dict[str, dict[str, str]] = {}
    for value in values:
        qualified, new = value.split("=", 1)
        table, old = qualified.split(".", 1)
        renames.setdefault(table, {})[old] = new
    return renames


def _new_fields(values: list[str]) -> dict[str, set[str]]:
    """`table.champ` -> {table: {champ}}."""
    new: dict[str, set[str]] = {}
    for value in values:
        table, field = value.split(".", 1)
        new.setdefault(table, set()).add(field)
    return new


def _select(path: Path, columns: list[str], renamed: dict[str, str]) -> str:
    listing = ", ".join(f'"{column}" AS "{renamed.get(column, column)}"' for column in columns)
    return f"SELECT {listing} FROM read_csv('{path}', all_varchar = true, header = true)"


def compare(
    before: Path, after: Path, renames: dict[str, dict[str, str]], new: dict[str, set[str]] | None = None
) -> list[str]:
    """One line per table; lines starting with « DIFFÉRENT » or « ABSENT » are failures."""
    old, after_fields = _resources(before), _resources(after)
    lines = []
    con = duckdb.connect()
    for table in sorted(old.keys() | after_fields.keys()):
        if table not in old or table not in after_fields:
            where = "la seconde" if table in after_fields else "la première"
            lines.append(f"ABSENT    {table} : seulement dans {where}")
            continue
        renamed = renames.get(table, {})
        added = (new or {}).get(table, set())
        expected = [renamed.get(column, column) for column in old[table]]
        kept = [column for column in after_fields[table] if column not in added]
        if expected != kept:
            lines.append(f"DIFFÉRENT {table} : champs {expected} -> {after_fields[table]}")
            continue
        left = _select(before / f"{table}.csv", old[table], renamed)
        right = _select(after / f"{table}.csv", kept, {})
        for column in sorted(added & set(after_fields[table])):
            values = con.execute(
                f"SELECT string_agg(DISTINCT coalesce(\"{column}\", ''), ', ' ORDER BY coalesce(\"{column}\", '')) "
                f"FROM read_csv('{after / f'{table}.csv'}', all_varchar = true, header = true)"
            ).fetchone()[0]
            lines.append(f"nouveau   {table}.{column} : valeurs {values}")
        rows = con.execute(f"SELECT count(*) FROM ({left})").fetchone()[0]
        only_left = con.execute(f"SELECT count(*) FROM ({left} EXCEPT ALL {right})").fetchone()[0]
        only_right = con.execute(f"SELECT count(*) FROM ({right} EXCEPT ALL {left})").fetchone()[0]
        note = f" (renommés : {', '.join(f'{a} -> {b}' for a, b in renamed.items())})" if renamed else ""
        if only_left or only_right:
            lines.append(f"DIFFÉRENT {table} : {only_left} ligne(s) perdue(s), {only_right} ajoutée(s) sur {rows}")
        else:
            lines.append(f"identique {table} : {rows} lignes, {len(expected)} champs{note}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--renomme", action="append", default=[], metavar="TABLE.ANCIEN=NOUVEAU")
    parser.add_argument("--nouveau", action="append", default=[], metavar="TABLE.CHAMP")
    args = parser.parse_args()
    lines = compare(args.before, args.after, _renames(args.renomme), _new_fields(args.nouveau))
    print("\n".join(lines))
    sys.exit(1 if any(line.startswith(("DIFFÉRENT", "ABSENT")) for line in lines) else 0)


if __name__ == "__main__":
    main()
