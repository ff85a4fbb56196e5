"""The end of a run: the release it produced on the run's tags, and a short summary in its log.

Called by the publishing step once the release is known (published or found identical).
The figures come from this run's own materialization events, so the summary says what this
run computed, whatever ran before it.
"""

from __future__ import annotations

import dagster as dg

from assets.metadata import ROW_COUNT
from observatory import table_catalog

VERSION_TAG = "observatoire/version"
RECONCILED = table_catalog.ADHESIONS


def _run_materializations(context: dg.AssetExecutionContext) -> dict[str, dict]:
    records = context.instance.all_logs(context.run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION)
    latest: dict[str, dict] = {}
    for record in records:
        materialization = record.asset_materialization
        if materialization is not None:
            latest[materialization.asset_key.to_user_string()] = materialization.metadata
    return latest


def _value(metadata: dict, key: str):
    entry = metadata.get(key)
    return None if entry is None else getattr(entry, "value", entry)


def summary_lines(version: str, created: bool, materializations: dict[str, dict]) -> list[str]:
    lines = [f"Résumé du run : version {version} ({'publiée' if created else 'identique, rien de nouveau'})"]
    counts = {key: _value(meta, ROW_COUNT) for key, meta in sorted(materializations.items())}
    tables = [f"{key} {rows:,}".replace(",", " ") for key, rows in counts.items() if rows is not None]
    if tables:
        lines.append("lignes : " + ", ".join(tables))
    reconciled = materializations.get(RECONCILED, {})
    statuses = _value(reconciled, "par_statut")
    if statuses:
        lines.append("rapprochement : " + ", ".join(f"{status} {n}" for status, n in statuses.items()))
    warnings = _value(reconciled, "avertissements")
    if warnings is not None:
        detail = " (détail : métadonnée « a_revoir » de core_declarations__adhesions)" if warnings else ""
        lines.append(f"avertissements : {warnings}{detail}")
    return lines


def announce_release(context: dg.AssetExecutionContext, version: str, created: bool) -> list[str]:
    """Tag the run with the release and log the summary; returns the summary's lines."""
    context.instance.add_run_tags(context.run_id, {VERSION_TAG: version})
    lines = summary_lines(version, created, _run_materializations(context))
    context.log.info("\n".join(lines))
    return lines
