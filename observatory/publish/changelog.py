"""What changed since the previous release, as rows (`changements`) and as prose (`CHANGELOG.md`).

"Why did nb_communes_adherentes move by +120?" is answered by the rows beside it: members
added or removed per OPSN, statuses that changed, communes merged or renamed in the referential.
Both sides are read from the published Parquet files, so any two releases can be compared.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from observatory.publish.tables import number_text

TABLE = "publish__changements"

_CATEGORY_TITLES = {
    "lignes_table": "Lignes par table",
    "indicateur": "Indicateurs nationaux et régionaux",
    "adhesion_ajoutee": "Adhésions ajoutées (par OPSN)",
    "adhesion_retiree": "Adhésions retirées (par OPSN)",
    "adhesion_multiple_apparue": "Adhésions multiples apparues",
    "adhesion_multiple_disparue": "Adhésions multiples disparues",
    "statut_rapprochement": "Statuts de rapprochement modifiés",
    "commune_disparue": "Communes disparues du référentiel (fusionnées ou supprimées)",
    "commune_renommee": "Communes renommées dans le référentiel",
    "commune_apparue": "Communes apparues dans le référentiel (nouvelles ou issues d'une fusion)",
}
_SHOWN_PER_CATEGORY = 40


def _q(path: Path) -> str:
    return "read_parquet('" + str(path).replace("'", "''") + "')"


def _both(new_dir: Path, old_dir: Path, table: str) -> tuple[str, str] | None:
    new, old = new_dir / f"{table}.parquet", old_dir / f"{table}.parquet"
    return (_q(new), _q(old)) if new.is_file() and old.is_file() else None


def _indicators(n: str, o: str) -> str:
    keep = "WHERE niveau IN ('france', 'region')"
    return f"""
        SELECT 'indicateur', code_indicateur, concat_ws('/', niveau, code_territoire, modalite),
               coalesce(n.libelle, o.libelle) || ' — ' || coalesce(n.libelle_territoire, o.libelle_territoire),
               {number_text("o.valeur")}, {number_text("n.valeur")}, n.valeur - o.valeur
        FROM (SELECT * FROM {n} {keep}) n
        FULL JOIN (SELECT * FROM {o} {keep}) o USING (code_indicateur, niveau, code_territoire, modalite)
        WHERE n.valeur IS DISTINCT FROM o.valeur OR n.code_indicateur IS NULL OR o.code_indicateur IS NULL"""


def _members(n: str, o: str) -> str:
    members = (
        "SELECT DISTINCT siren_opsn, type_collectivite, code_collectivite, nom_officiel FROM {} "
        "WHERE statut_rapprochement = 'rapproche'"
    )
    new, old = members.format(n), members.format(o)
    row = "siren_opsn, type_collectivite || '/' || code_collectivite, nom_officiel"
    return f"""
        SELECT 'adhesion_ajoutee', {row}, NULL, 'adhérent', NULL FROM ({new} EXCEPT {old})
        UNION ALL
        SELECT 'adhesion_retiree', {row}, 'adhérent', NULL, NULL FROM ({old} EXCEPT {new})"""


# Releases before 2026-11-30 name the list of declaring OPSN `siren_opsn` (schemas/CHANGELOG.md).
_SIRENS_OPSN = "COLUMNS('^sirens?_opsn$')"


def _multiples(n: str, o: str) -> str:
    keys = "SELECT type_collectivite, code_collectivite, nom_officiel FROM {}"
    new, old = keys.format(n), keys.format(o)
    return f"""
        SELECT 'adhesion_multiple_apparue', code_collectivite, type_collectivite, nom_officiel, NULL,
               (SELECT {_SIRENS_OPSN} FROM {n} m WHERE m.type_collectivite = x.type_collectivite
                  AND m.code_collectivite = x.code_collectivite), NULL
        FROM ({new} EXCEPT {old}) x
        UNION ALL
        SELECT 'adhesion_multiple_disparue', code_collectivite, type_collectivite, nom_officiel,
               (SELECT {_SIRENS_OPSN} FROM {o} m WHERE m.type_collectivite = x.type_collectivite
                  AND m.code_collectivite = x.code_collectivite), NULL, NULL
        FROM ({old} EXCEPT {new}) x"""


def _statuses(n: str, o: str) -> str:
    return f"""
        SELECT 'statut_rapprochement', n.siren_opsn, n.id_adhesion, n.nom_adherent,
               o.statut_rapprochement, n.statut_rapprochement, NULL
        FROM {n} n JOIN {o} o USING (id_adhesion)
        WHERE n.statut_rapprochement IS DISTINCT FROM o.statut_rapprochement"""


def _communes(n: str, o: str) -> str:
    communes = "SELECT code_insee, nom FROM {} WHERE type_collectivite = 'commune'"
    new, old = communes.format(n), communes.format(o)
    return f"""
        SELECT 'commune_disparue', o.code_insee, 'commune', o.nom, o.nom, NULL, NULL
        FROM ({old}) o ANTI JOIN ({new}) n USING (code_insee)
        UNION ALL
        SELECT 'commune_apparue', n.code_insee, 'commune', n.nom, NULL, n.nom, NULL
        FROM ({new}) n ANTI JOIN ({old}) o USING (code_insee)
        UNION ALL
        SELECT 'commune_renommee', n.code_insee, 'commune', n.nom, o.nom, n.nom, NULL
        FROM ({new}) n JOIN ({old}) o USING (code_insee) WHERE n.nom <> o.nom"""


_COMPARISONS = [
    ("indicateurs", _indicators),
    ("adhesions", _members),
    ("adhesions_multiples", _multiples),
    ("adhesions", _statuses),
    ("collectivites", _communes),
]


def build_changes(
    con: duckdb.DuckDBPyConnection,
    *,
    new_dir: Path,
    previous_dir: Path | None,
    rows: dict[str, int],
    previous_rows: dict[str, int],
) -> str:
    """Creates the temporary table `TABLE` on `con` (empty for a first release) and returns its name."""
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {TABLE} (categorie VARCHAR, objet VARCHAR, detail VARCHAR, libelle VARCHAR, "
        "ancienne_valeur VARCHAR, nouvelle_valeur VARCHAR, ecart DOUBLE, version_precedente VARCHAR)"
    )
    if previous_dir is None:
        return TABLE
    previous = previous_dir.name
    for table in sorted(set(rows) | set(previous_rows)):
        old, new = previous_rows.get(table), rows.get(table)
        if old != new:
            gap = None if old is None or new is None else new - old
            con.execute(
                f"INSERT INTO {TABLE} VALUES ('lignes_table', ?, 'lignes', NULL, ?, ?, ?, ?)",
                [table, None if old is None else str(old), None if new is None else str(new), gap, previous],
            )
    for table, comparison in _COMPARISONS:
        pair = _both(new_dir, previous_dir, table)
        if pair is not None:
            con.execute(f"INSERT INTO {TABLE} SELECT *, ? FROM ({comparison(*pair)})", [previous])
    return TABLE


def _cell(value) -> str:
    return "—" if value is None else str(value).replace("|", "\\|")


def render_changelog(con: duckdb.DuckDBPyConnection, *, version: str, previous: str | None) -> str:
    lines = [f"# Changements — publication {version}", ""]
    if previous is None:
        lines += ["Première publication : il n'y a rien à comparer (la table `changements` est vide).", ""]
        return "\n".join(lines)
    lines += [
        f"Comparée à la publication précédente `{previous}`. Le détail complet est dans la table "
        "`changements` (une ligne par changement).",
        "",
    ]
    counts = dict(con.execute(f"SELECT categorie, count(*) FROM {TABLE} GROUP BY 1").fetchall())
    if not counts:
        lines += ["Aucun changement dans les données publiées.", ""]
    for category, title in _CATEGORY_TITLES.items():
        total = counts.get(category, 0)
        if not total:
            continue
        lines += [
            f"## {title} ({total})",
            "",
            "| objet | détail | libellé | avant | après | écart |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        shown = con.execute(
            f"SELECT objet, detail, libelle, ancienne_valeur, nouvelle_valeur, {number_text('ecart')} FROM {TABLE} "
            f"WHERE categorie = ? ORDER BY objet, detail LIMIT {_SHOWN_PER_CATEGORY}",
            [category],
        ).fetchall()
        lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in shown]
        if total > len(shown):
            lines.append(f"\n… et {total - len(shown)} autres lignes dans la table `changements`.")
        lines.append("")
    return "\n".join(lines)
