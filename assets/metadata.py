"""Catalogue metadata: what the Dagster UI shows about each asset.

Columns come from the Table Schemas (the one source of truth), at definition time so the UI
shows them before the first run, and again at materialization from the real warehouse table.
Every asset gets the same owner and tags naming the team and the source, applied once in
definitions.py with `dg.map_asset_specs`, so the asset factories need not repeat them.
"""

from __future__ import annotations

import dagster as dg
import duckdb

from observatory import table_catalog as catalog
from observatory.schemas import field_descriptors, primary_key, schema_path

OWNER = "team:observatoire"
ROW_COUNT = "dagster/row_count"
COLUMN_SCHEMA = "dagster/column_schema"

# warehouse table (= asset key) -> Table Schema name (schemas/<name>.json), where the schema exists
TABLE_SCHEMAS: dict[str, str] = {
    entry.name: entry.schema for entry in catalog.warehouse_tables() if schema_path(entry.schema).exists()
}

# The tables a steward opens first get a few rows shown on their asset page.
PREVIEW_TABLES = {entry.name for entry in catalog.warehouse_tables() if entry.preview}
PREVIEW_ROWS = 5
_SOURCES = {
    **{entry.name: entry.source for entry in catalog.warehouse_tables()},
    **{source.asset: source.source for source in catalog.RAW_SOURCES},
}


def asset_source(asset_name: str) -> str:
    """The catalogue's source of a table (`cnil`, `declarations`, `observatoire`…); other assets
    are named `<layer>_<source>__<what>`, and names without a source part are the observatory's."""
    if asset_name in _SOURCES:
        return _SOURCES[asset_name]
    head = asset_name.split("__", 1)[0]
    layer, _, source = head.partition("_")
    return source or "observatoire"


def _constraints(field: dict) -> dg.TableColumnConstraints:
    declared = field.get("constraints", {})
    other = []
    if "enum" in declared:
        other.append("valeurs : " + ", ".join(str(v) for v in declared["enum"]))
    if "pattern" in declared:
        other.append(f"motif : {declared['pattern']}")
    for key, label in (
        ("minimum", "minimum"),
        ("maximum", "maximum"),
        ("minLength", "longueur min."),
        ("maxLength", "longueur max."),
    ):
        if key in declared:
            other.append(f"{label} : {declared[key]}")
    if field.get("x-bloquant"):
        other.append("bloquant : une violation rejette la ligne")
    if field.get("x-personnel"):
        other.append("donnée personnelle : jamais publiée")
    return dg.TableColumnConstraints(
        nullable=not declared.get("required", False), unique=bool(declared.get("unique", False)), other=other
    )


def _column(field: dict, type_name: str | None = None) -> dg.TableColumn:
    return dg.TableColumn(
        name=field["name"],
        type=type_name or field.get("type", "string"),
        description=field.get("description"),
        constraints=_constraints(field),
    )


def column_schema(schema_name: str) -> dg.TableSchema:
    """The columns of schemas/<schema_name>.json as Dagster shows them."""
    key = primary_key(schema_name)
    constraints = dg.TableConstraints(other=[f"clé primaire : {', '.join(key)}"]) if key else None
    return dg.TableSchema(columns=[_column(f) for f in field_descriptors(schema_name)], constraints=constraints)


def definition_metadata(asset_name: str) -> dict:
    schema_name = TABLE_SCHEMAS.get(asset_name)
    if schema_name is None or not schema_path(schema_name).exists():
        return {}
    return {COLUMN_SCHEMA: column_schema(schema_name)}


def catalogue_spec(spec: dg.AssetSpec) -> dg.AssetSpec:
    """Owner, team and source tags, and columns where a Table Schema exists."""
    name = spec.key.to_user_string()
    tags = {"equipe": "observatoire", "source": asset_source(name)}
    metadata = {**definition_metadata(name), **spec.metadata}
    return spec.replace_attributes(owners=sorted({*spec.owners, OWNER}), tags={**tags, **spec.tags}, metadata=metadata)


def _table_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str]]:
    return con.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
        [table],
    ).fetchall()


def _markdown_cell(value, limit: int = 80) -> str:
    text = "" if value is None else str(value)
    return text.replace("|", "\\|").replace("\n", " ")[:limit]


def markdown_table(headers: list[str], rows: list[tuple]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(_markdown_cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def table_metadata(con: duckdb.DuckDBPyConnection, table: str) -> dict:
    """Row count, the real columns (described from the Table Schema when there is one) and a preview."""
    rows = con.execute(f'SELECT count(*) FROM "{table}"').fetchall()[0][0]
    metadata: dict = {ROW_COUNT: dg.MetadataValue.int(rows)}
    schema_name = TABLE_SCHEMAS.get(table)
    described = {f["name"]: f for f in field_descriptors(schema_name)} if schema_name else {}
    columns = _table_columns(con, table)
    if columns:
        metadata[COLUMN_SCHEMA] = dg.TableSchema(
            columns=[_column(described.get(name, {"name": name}), type_name=kind) for name, kind in columns]
        )
    if table in PREVIEW_TABLES and rows:
        names = [name for name, _ in columns]
        sample = con.execute(f'SELECT * FROM "{table}" LIMIT {PREVIEW_ROWS}').fetchall()
        metadata["apercu"] = dg.MetadataValue.md(
            f"{min(rows, PREVIEW_ROWS)} premières lignes sur {rows} :\n\n{markdown_table(names, sample)}"
        )
    return metadata


def snapshot_metadata(snapshot) -> dict:
    """A raw asset's provenance. `path` is the snapshot copy: see assets/snapshot_io.py for why that holds."""
    metadata = {
        "path": dg.MetadataValue.path(snapshot.path),
        "origine": dg.MetadataValue.path(snapshot.origin),
        "sha256": snapshot.sha256,
        "octets": dg.MetadataValue.int(snapshot.size_bytes),
        "lu_le": snapshot.read_at,
        "mode": snapshot.mode,
    }
    url = getattr(snapshot, "url", None)
    if url:
        metadata["url"] = dg.MetadataValue.url(url)
    return metadata


REVIEW_STATUSES = ("ambigu", "non_trouve", "invalide")
REVIEW_ROWS_PER_OPSN = 25


def review_markdown(con: duckdb.DuckDBPyConnection, warnings: list[str], adhesions: str) -> str:
    """Reconciliation warnings and, per OPSN, the declared rows a steward should review."""
    parts = []
    if warnings:
        parts.append("### Avertissements\n\n" + "\n".join(f"- {_markdown_cell(w, limit=400)}" for w in warnings))
    statuses = ", ".join(f"'{s}'" for s in REVIEW_STATUSES)
    rows = con.execute(
        f"""SELECT siren_opsn, numero_ligne, nom_adherent, code_insee_adherent, statut_rapprochement, candidats
            FROM {adhesions} WHERE statut_rapprochement IN ({statuses}) ORDER BY siren_opsn, numero_ligne"""
    ).fetchall()
    by_opsn: dict[str, list[tuple]] = {}
    for row in rows:
        by_opsn.setdefault(row[0], []).append(row[1:])
    for siren, items in by_opsn.items():
        shown = items[:REVIEW_ROWS_PER_OPSN]
        more = f"\n\n… et {len(items) - len(shown)} autres lignes" if len(items) > len(shown) else ""
        table = markdown_table(["ligne", "nom déclaré", "code INSEE déclaré", "statut", "candidats"], shown)
        parts.append(f"### OPSN {siren} : {len(items)} ligne(s) à revoir\n\n{table}{more}")
    if not parts:
        return "Aucun avertissement, aucune ligne à revoir."
    parts.append("Résoudre une ligne : une décision dans `mappings/rapprochements.csv` (voir docs/intendant.md).")
    return "\n\n".join(parts)
