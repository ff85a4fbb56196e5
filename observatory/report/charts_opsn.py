"""Charts on the OPSN themselves: legal forms, members per OPSN, services, what deduplication changed."""

from __future__ import annotations

import pandas as pd

from observatory.report import vl
from observatory.report.figure import Figure, fr_number
from observatory.report.release_data import ReleaseData
from observatory.report.style import PRIMARY, SECONDARY, WIDTH, decorate

BAR = 18
# A chart with one bar per OPSN stays readable, and renders in a fraction of a second, up to this many
# OPSN; beyond, it shows the largest ones and says so, while its CSV keeps every OPSN (at 10× scale, 800
# bars took 10 s of vl-convert per chart and drew nothing a reader could use).
MAX_OPSN_BARS = 40


# Labels of the legal-form vocabulary (schemas/opsn.json, forme_juridique); unknown codes are humanized.
LEGAL_FORMS = {
    "syndicat_mixte": "Syndicat mixte",
    "syndicat_intercommunal": "Syndicat intercommunal",
    "centre_de_gestion": "Centre de gestion",
    "agence_technique_departementale": "Agence technique départementale",
    "gip": "Groupement d'intérêt public (GIP)",
    "association": "Association",
    "spl": "Société publique locale (SPL)",
    "epci": "EPCI",
    "autre": "Autre",
}


def _count_axis(maximum: float) -> dict:
    """Whole-number ticks: a small release must not show "0,5 OPSN"."""
    steps = (base * 10**power for power in range(12) for base in (1, 2, 5))
    step = next(step for step in steps if maximum / step <= 8)
    return {"values": list(range(0, int(maximum) + step, step)), "format": ",d"}


def humanize(code: str) -> str:
    text = str(code).replace("_", " ").strip()
    return text[:1].upper() + text[1:] if text else "Non renseigné"


def _indicator(release: ReleaseData, code: str, niveau: str = "france") -> pd.DataFrame:
    ind = release.table("indicateurs")
    return ind[(ind["code_indicateur"] == code) & (ind["niveau"] == niveau)]


def _value(release: ReleaseData, code: str, modalite: str = "ensemble") -> float | None:
    rows = _indicator(release, code)
    rows = rows[rows["modalite"] == modalite]
    return None if rows.empty or pd.isna(rows["valeur"].iloc[0]) else float(rows["valeur"].iloc[0])


def _hbar(
    table: pd.DataFrame,
    category: str,
    value: str,
    title: str,
    datasets: dict[str, list],
    color: str = PRIMARY,
    domain: list | None = None,
    fmt: str = ",.0f",
) -> dict:
    # Vega reads quotes and dots in field names as access paths: draw from plain column names.
    data = pd.DataFrame({"categorie": table[category], "valeur": table[value]})
    x = vl.field("valeur:Q", title=title)
    if domain:
        x["scale"] = {"domain": domain}
    x["axis"] = {"format": fmt} if domain else _count_axis(float(data["valeur"].max()) if len(data) else 1)
    encoding = {
        "y": vl.field("categorie:N", sort=None, title=None, axis={"labelLimit": 360}),
        "x": x,
        "tooltip": [vl.field("categorie:N", title=category), vl.field("valeur:Q", title=value, format=fmt)],
    }
    source = vl.dataset(data, datasets)
    bars = vl.chart(source, vl.mark("bar", color=color), encoding)
    labels = vl.chart(
        source,
        vl.mark("text", align="left", dx=3, fontSize=10),
        {**encoding, "text": vl.field("valeur:Q", format=fmt)},
    )
    return vl.layer(bars, labels, width=WIDTH - 300, height=max(BAR * len(table), 40))


def legal_forms(release: ReleaseData) -> Figure:
    opsn = release.table("opsn")
    counts = opsn["forme_juridique"].fillna("").map(lambda code: LEGAL_FORMS.get(code) or humanize(code)).value_counts()
    table = pd.DataFrame({"Forme juridique": counts.index, "Nombre d'OPSN": counts.to_numpy()})
    table = table.sort_values(["Nombre d'OPSN", "Forme juridique"], ascending=[False, True], ignore_index=True)
    title = "Les OPSN par forme juridique"
    datasets: dict[str, list] = {}
    chart = _hbar(table, "Forme juridique", "Nombre d'OPSN", "Nombre d'OPSN", datasets)
    parts = "; ".join(f"{row[0]} : {row[1]}" for row in table.itertuples(index=False))
    alt_text = f"Diagramme en barres du nombre d'OPSN par forme juridique, {len(opsn)} OPSN déclarés. {parts}."
    heading = decorate(chart, release, title, f"{len(opsn)} OPSN déclarés.")
    return Figure("opsn-formes-juridiques", title, alt_text, heading, table, datasets)


def members_per_opsn(release: ReleaseData) -> Figure:
    opsn = release.table("opsn")[["siren", "nom"]]
    rows = _indicator(release, "nb_adherents", "opsn")
    rows = rows[rows["modalite"] == "ensemble"][["code_territoire", "valeur"]]
    table = opsn.merge(rows, left_on="siren", right_on="code_territoire", how="left")
    table = pd.DataFrame({"OPSN": table["nom"], "Adhérents": table["valeur"].fillna(0).astype(int)})
    table = table.sort_values(["Adhérents", "OPSN"], ascending=[False, True], ignore_index=True)
    title = "Nombre d'adhérents par OPSN"
    subtitle = "Collectivités distinctes rapprochées du COG que chaque OPSN déclare (0 si aucune)."
    if len(table) > MAX_OPSN_BARS:
        subtitle += f" Les {MAX_OPSN_BARS} plus grands sur {len(table)} OPSN ; tous dans le CSV."
    datasets: dict[str, list] = {}
    chart = _hbar(table.head(MAX_OPSN_BARS), "OPSN", "Adhérents", "Adhérents rapprochés distincts", datasets)
    median = table["Adhérents"].median() if len(table) else 0
    alt_text = (
        f"Diagramme en barres, un OPSN par barre, du plus grand au plus petit : {len(table)} OPSN, "
        f"de {fr_number(table['Adhérents'].max() if len(table) else 0)} à "
        f"{fr_number(table['Adhérents'].min() if len(table) else 0)} adhérents, médiane {fr_number(median, 1)}."
    )
    return Figure("adherents-par-opsn", title, alt_text, decorate(chart, release, title, subtitle), table, datasets)


def services(release: ReleaseData) -> Figure:
    rows = _indicator(release, "part_opsn_offrant_service")
    labels = release.table("services_opsn").drop_duplicates("code_service").set_index("code_service")["libelle_service"]
    table = pd.DataFrame(
        {
            "Service": [labels.get(code, humanize(code)) for code in rows["modalite"]],
            "Part des OPSN (%)": rows["valeur"].fillna(0).astype(float).round(1).to_numpy(),
        }
    )
    table = table.sort_values(["Part des OPSN (%)", "Service"], ascending=[False, True], ignore_index=True)
    title = "Part des OPSN offrant chaque service"
    datasets: dict[str, list] = {}
    chart = _hbar(
        table, "Service", "Part des OPSN (%)", "Part des OPSN déclarés (%)", datasets, domain=[0, 100], fmt=".0f"
    )
    top = table.head(3)
    alt_text = (
        f"Diagramme en barres de la part des OPSN offrant chacun des {len(table)} services du vocabulaire. "
        + "; ".join(f"{s} : {fr_number(v)} %" for s, v in top.itertuples(index=False))
        + (" (les trois premiers)." if len(table) > 3 else ".")
    )
    subtitle = "Services déclarés par les OPSN (services_opsn), en % des OPSN déclarés."
    return Figure("services-opsn", title, alt_text, decorate(chart, release, title, subtitle), table, datasets)


def deduplication(release: ReleaseData) -> Figure:
    """Naive (lines, or sums over OPSN) against distinct counts: the gap is what deduplication removed."""
    totals = [
        ("Total : adhérents", _value(release, "nb_adherents_naif"), _value(release, "nb_adherents")),
        (
            "Total : communes adhérentes",
            _value(release, "nb_communes_adherentes_naif"),
            _value(release, "nb_communes_adherentes"),
        ),
    ]
    declared = _indicator(release, "nb_adhesions_declarees", "opsn")
    declared = declared[declared["modalite"] == "ensemble"].set_index("code_territoire")["valeur"]
    distinct = _indicator(release, "nb_adherents", "opsn")
    distinct = distinct[distinct["modalite"] == "ensemble"].set_index("code_territoire")["valeur"]
    per_opsn = [
        (str(row.nom), declared.get(row.siren, 0), distinct.get(row.siren, 0))
        for row in release.table("opsn").itertuples()
    ]
    per_opsn.sort(key=lambda item: (-(item[1] or 0), item[0]))
    records = []
    for group, items in (("France", totals), ("Par OPSN", per_opsn)):
        for label, naive, unique in items:
            naive, unique = int(naive or 0), int(unique or 0)
            records.append(
                {
                    "Niveau": group,
                    "Libellé": label,
                    "Compte naïf": naive,
                    "Compte distinct": unique,
                    "Écart": naive - unique,
                }
            )
    table = pd.DataFrame(records)
    # The OPSN panel draws the MAX_OPSN_BARS largest declarations; the CSV keeps every OPSN.
    shown = pd.concat([table[table["Niveau"] == "France"], table[table["Niveau"] == "Par OPSN"].head(MAX_OPSN_BARS)])
    long = shown.melt(["Niveau", "Libellé"], ["Compte naïf", "Compte distinct"], "Compte", "Valeur")
    color = vl.field(
        "Compte:N",
        scale={"domain": ["Compte naïf", "Compte distinct"], "range": [SECONDARY, PRIMARY]},
        title=None,
        legend={"orient": "top"},
    )
    datasets: dict[str, list] = {}

    def panel(level: str) -> dict:
        part = long[long["Niveau"] == level]
        maximum = float(part["Valeur"].max()) if len(part) else 1
        encoding = {
            "y": vl.field("Libellé:N", sort=None, title=None),
            "yOffset": vl.field("Compte:N", sort=["Compte naïf", "Compte distinct"]),
            "x": vl.field("Valeur:Q", title="Nombre", axis=_count_axis(maximum)),
            "color": color,
            "tooltip": [vl.field("Libellé:N"), vl.field("Compte:N"), vl.field("Valeur:Q", format=",.0f")],
        }
        return vl.chart(
            vl.dataset(part, datasets),
            "bar",
            encoding,
            title={"text": level, "fontSize": 12, "anchor": "start"},
            width=WIDTH - 280,
            height=max(2 * BAR * part["Libellé"].nunique(), 40),
        )

    chart = vl.vconcat(panel("France"), panel("Par OPSN"), spacing=18, resolve={"scale": {"x": "independent"}})
    title = "Ce que change le dédoublonnage : comptes naïfs et distincts"
    subtitle = [
        "France : somme par OPSN (méthode de l'étude 2020) contre collectivités distinctes.",
        "Par OPSN : lignes déclarées contre adhérents distincts rapprochés"
        + (
            f" ({MAX_OPSN_BARS} plus grandes déclarations sur {len(per_opsn)} ; toutes dans le CSV)."
            if len(per_opsn) > MAX_OPSN_BARS
            else "."
        ),
    ]
    gap = int(table.loc[table["Niveau"] == "France", "Écart"].sum())
    alt_text = (
        "Barres groupées, compte naïf (orange) et compte distinct (bleu). "
        + "; ".join(
            f"{r['Libellé']} : {fr_number(r['Compte naïf'])} naïfs, {fr_number(r['Compte distinct'])} distincts"
            for r in records[:2]
        )
        + f" (écart total {fr_number(gap)}). Puis une paire de barres par OPSN ({len(per_opsn)} OPSN)."
    )
    return Figure("dedoublonnage", title, alt_text, decorate(chart, release, title, subtitle), table, datasets)
