"""The verifier's HTML report: one self-contained page (inline CSS, no script, no network).

An OPSN opens it from its file system, possibly offline; so nothing is fetched, and the
page reads top-down in the order a person fixes a file: verdict, errors, choices, the rest.
"""

from __future__ import annotations

from datetime import datetime
from html import escape
from typing import TYPE_CHECKING

from observatory.reconcile.vocabulary import ANOMALIES, METHODS
from observatory.schemas import load_descriptor

if TYPE_CHECKING:
    from observatory.verify.verify import VerificationResult

DEMO_LABEL = "données de démonstration"
_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1e1e1e;background:#f6f6f6}
main{max-width:1180px;margin:0 auto;padding:24px}
h1{font-size:1.6rem;margin:0 0 4px}h2{font-size:1.2rem;margin:32px 0 8px;border-bottom:2px solid #000091;
padding-bottom:4px}.meta{color:#555;margin:2px 0}.demo{background:#fff4d6;border:1px solid #c98a00;padding:8px 12px;
margin:12px 0;font-weight:600}.verdict{padding:14px 18px;margin:16px 0;border-radius:6px;font-size:1.1rem}
.v-conforme{background:#dff5e3;border-left:6px solid #18753c}.v-revoir{background:#fff4d6;border-left:6px solid #c98a00}
.v-refusee{background:#fde4e4;border-left:6px solid #ce0500}.cards{display:flex;flex-wrap:wrap;gap:12px}
.card{background:#fff;border:1px solid #ddd;border-radius:6px;padding:10px 14px;min-width:150px}
.card b{display:block;font-size:1.4rem}.card span{color:#555;font-size:.9rem}
table{border-collapse:collapse;width:100%;background:#fff;font-size:.9rem}
th,td{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}th{background:#eef}
td.num{text-align:right;white-space:nowrap}.bloquant{color:#ce0500;font-weight:600}.muted{color:#666}
.choice{background:#fff;border:1px solid #ddd;border-radius:6px;padding:8px 12px;margin:8px 0}
code{background:#eee;padding:0 3px}ul.candidates{margin:0;padding-left:18px}.territoire{color:#18753c;font-weight:600}
details summary{cursor:pointer;font-weight:600;margin:8px 0}
"""
_VERDICT_CLASS = {"conforme": "v-conforme", "à revoir": "v-revoir", "refusée": "v-refusee"}


def _e(value) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return escape(str(value))


def _number(value) -> str:
    return "—" if value is None else f"{int(value):,}".replace(",", " ")


def _table(headers: list[str], rows: list[list[str]], empty: str) -> str:
    if not rows:
        return f'<p class="muted">{escape(empty)}</p>'
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(cells) + "</tr>" for cells in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _td(value, cls: str = "") -> str:
    return f'<td class="{cls}">{_e(value)}</td>' if cls else f"<td>{_e(value)}</td>"


def _cards(r: VerificationResult) -> str:
    c = r.counts
    share = c.get("part_communes_territoire")
    items = [
        (_number(c.get("lignes")), "lignes déclarées"),
        (_number(c.get("rapprochees")), "lignes rapprochées"),
        (_number(c.get("adherents")), "adhérents distincts rapprochés"),
        (_number(c.get("communes")), "communes"),
        (_number(c.get("epci")), "EPCI"),
        (_number(c.get("population_communes")), "habitants des communes adhérentes"),
        (
            "—" if share is None else f"{share:.1%}".replace(".", ","),
            f"des {_number(c.get('communes_du_territoire'))} communes du territoire",
        ),
        (_number(c.get("a_choisir")), "lignes à choisir"),
        (_number(c.get("introuvables")), "lignes introuvables"),
        (_number(c.get("lignes_avec_erreurs")), "lignes avec une erreur de format"),
        (_number(c.get("aussi_declares_ailleurs")), "adhérents aussi déclarés par un autre OPSN"),
    ]
    cards = "".join(f'<div class="card"><b>{escape(v)}</b><span>{escape(label)}</span></div>' for v, label in items)
    territory = ", ".join(c.get("territoire", [])) or "inconnu"
    return (
        f'<div class="cards">{cards}</div><p class="meta">Territoire : {escape(territory)} '
        f"({escape(c.get('territoire_source', ''))}).</p>"
    )


def _errors(r: VerificationResult) -> str:
    rows = [
        [
            _td(p.line, "num"),
            _td(p.field),
            _td(p.value),
            _td(p.message),
            _td(p.fix),
            _td("oui" if p.blocking else "non", "bloquant" if p.blocking else ""),
        ]
        for p in r.problems
    ]
    return _table(
        ["Ligne", "Champ", "Valeur", "Problème", "Comment corriger", "Bloquant"], rows, "Aucune erreur de format."
    )


def _candidates_cell(candidates: list[dict], territory: list[str]) -> str:
    """Candidates in the engine's order; those in the OPSN's territory say so, they are the likely ones."""
    items = "".join(
        f'<li><code>{_e(c["code"])}</code> {_e(c["nom"])} <span class="muted">({_e(c["code_departement"]) or "—"}'
        f"{', ' + _number(c['population']) + ' hab.' if c['population'] else ''})</span>"
        f"{' <span class=territoire>dans votre territoire</span>' if c['code_departement'] in territory else ''}"
        "</li>"
        for c in candidates
    )
    return f'<td><ul class="candidates">{items}</ul></td>'


def _choices(r: VerificationResult) -> str:
    ambiguous = r.rows[r.rows["statut_rapprochement"] == "ambigu"]
    rows = [
        [
            _td(row.numero_ligne, "num"),
            _td(row.nom_adherent),
            _td(row.type_adherent or "non renseigné"),
            _td(row.code_departement),
            _candidates_cell(r.choices.get(row.numero_ligne, {}).get("candidats", []), r.counts.get("territoire", [])),
        ]
        for row in ambiguous.itertuples(index=False)
    ]
    intro = (
        (
            "<p>Plusieurs collectivités portent ce nom. Choisissez la bonne : ajoutez son code INSEE (ou SIREN) "
            f"à la ligne, ou écrivez-le dans <code>{escape(r.stub_csv.name)}</code>, pré-rempli avec ces "
            "lignes (colonnes code_collectivite, revu_par, date_revue, motif).</p>"
        )
        if rows
        else ""
    )
    return intro + _table(
        ["Ligne", "Nom déclaré", "Type", "Département déclaré", "Candidats (code, nom, département, population)"],
        rows,
        "Aucune ligne ambiguë.",
    )


def _not_found(r: VerificationResult) -> str:
    missing = r.rows[r.rows["statut_rapprochement"] == "non_trouve"]
    rows = [
        [
            _td(row.numero_ligne, "num"),
            _td(row.nom_adherent),
            _td(row.type_adherent),
            _td(row.code_departement),
            _td(row.noms_proches or "aucun nom proche"),
        ]
        for row in missing.itertuples(index=False)
    ]
    return _table(
        ["Ligne", "Nom déclaré", "Type", "Département", "Noms officiels les plus proches"],
        rows,
        "Aucune ligne introuvable.",
    )


def _overlaps(r: VerificationResult) -> str:
    if r.release is None:
        return (
            "<p class=\"muted\">Aucune version publiée de l'observatoire n'a été trouvée (option "
            "<code>--release</code>) : les adhésions à plusieurs OPSN ne sont pas vérifiées.</p>"
        )
    shared = r.rows[r.rows["aussi_declare_par"].fillna("") != ""]
    rows = [
        [_td(row.numero_ligne, "num"), _td(row.nom_officiel), _td(row.code_collectivite), _td(row.aussi_declare_par)]
        for row in shared.itertuples(index=False)
    ]
    return _table(
        ["Ligne", "Collectivité", "Code", "Aussi déclarée par"],
        rows,
        "Aucun de ces adhérents n'est déclaré par un autre OPSN dans cette version.",
    )


# What the path column says when no collectivité was retained: the engine's method names the
# last path tried, which reads as a match to a person.
_PATH_WITHOUT_MATCH = {
    "ambigu": "plusieurs collectivités possibles : voir « Lignes à choisir »",
    "non_trouve": "aucun nom ni code officiel ne correspond : voir « Lignes introuvables »",
    "hors_referentiel": "syndicat ou autre organisme : hors du référentiel des collectivités",
}


def _path(row) -> str:
    if row.statut_rapprochement in _PATH_WITHOUT_MATCH:
        return _PATH_WITHOUT_MATCH[row.statut_rapprochement]
    return METHODS.get(row.methode_rapprochement, row.methode_rapprochement)


def _all_rows(r: VerificationResult) -> str:
    def anomalies(value) -> str:
        return "; ".join(ANOMALIES.get(a, a) for a in str(value).split("|")) if isinstance(value, str) else ""

    rows = [
        [
            _td(row.numero_ligne, "num"),
            _td(row.nom_adherent),
            _td(row.type_adherent),
            _td(row.resultat),
            _td(row.nom_officiel),
            _td(row.code_collectivite),
            _td(_path(row)),
            _td("" if row.confiance is None or row.confiance != row.confiance else f"{row.confiance:.2f}", "num"),
            _td(anomalies(row.anomalies)),
        ]
        for row in r.rows.itertuples(index=False)
    ]
    return (
        f"<details><summary>Voir les {len(rows)} lignes</summary>"
        + _table(
            ["Ligne", "Nom déclaré", "Type", "Résultat", "Collectivité", "Code", "Chemin", "Confiance", "Remarques"],
            rows,
            "Aucune ligne.",
        )
        + "</details>"
    )


def render(r: VerificationResult) -> str:
    version = load_descriptor("declaration/adherents").get("version", "")
    opsn = f"{r.nom_opsn} ({r.siren_opsn})" if r.nom_opsn else (r.siren_opsn or "inconnu")
    release = f"version publiée utilisée : {r.release}" if r.release else "aucune version publiée utilisée"
    demo = (
        f'<div class="demo">{DEMO_LABEL.capitalize()} : ces chiffres ne décrivent pas la réalité.</div>'
        if r.demonstration
        else ""
    )
    notes = "".join(f"<li>{escape(n)}</li>" for n in r.notes)
    fatal = f'<p class="bloquant">{escape(r.fatal)}</p>' if r.fatal else ""
    return f"""<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Vérification de la déclaration — {escape(opsn)}</title><style>{_CSS}</style></head>
<body><main>
<h1>Vérification de la déclaration d'adhérents</h1>
<p class="meta">Fichier : <code>{escape(r.declaration.name)}</code> · OPSN : {escape(opsn)} ·
vérifié le {datetime.now().strftime("%d/%m/%Y à %H:%M")} · schéma adherents {escape(version)}</p>
<p class="meta">{escape(release)}</p>{demo}
<div class="verdict {_VERDICT_CLASS.get(r.verdict, "")}"><b>Verdict : {escape(r.verdict)}</b> — {escape(r.reason)}</div>
{fatal}
<h2>Chiffres clés</h2>{_cards(r)}
<h2>Erreurs de format ({len(r.problems)})</h2>{_errors(r)}
<h2>Lignes à choisir ({r.counts.get("a_choisir", 0)})</h2>{_choices(r)}
<h2>Lignes introuvables ({r.counts.get("introuvables", 0)})</h2>{_not_found(r)}
<h2>Adhérents aussi déclarés par d'autres OPSN ({r.counts.get("aussi_declares_ailleurs", 0)})</h2>{_overlaps(r)}
<h2>Toutes les lignes</h2>{_all_rows(r)}
{"<h2>Remarques</h2><ul>" + notes + "</ul>" if notes else ""}
<p class="meta">Fichiers écrits : <code>{escape(r.rows_csv.name)}</code> (résultat de chaque ligne),
<code>{escape(r.stub_csv.name)}</code> (décisions à compléter). Durée : {r.seconds:.1f} s.</p>
</main></body></html>
"""
