"""Charts on DPD designation (members against the others, over time) and on the release history."""

from __future__ import annotations

import numpy as np
import pandas as pd

from observatory.report import vl
from observatory.report.figure import Figure, fr_number
from observatory.report.release_data import ReleaseData
from observatory.report.style import PRIMARY, SECONDARY, WIDTH, decorate

# Same strata as the part_communes_dpd indicator (definitions_indicateurs).
STRATA = [
    (0, 499, "moins de 500"),
    (500, 1999, "500 à 1\u202f999"),
    (2000, 3499, "2\u202f000 à 3\u202f499"),
    (3500, 9999, "3\u202f500 à 9\u202f999"),
    (10000, None, "10\u202f000 et plus"),
]
STUDY_2020 = {"communes": 12594, "part": 34.0}
RGPD_START = "2018-05-25"
MEMBERS, OTHERS = "Communes adhérentes", "Communes non adhérentes"


def _communes(release: ReleaseData, columns: list[str]) -> pd.DataFrame:
    # Only the columns a chart reads: filtering 35,000 Arrow-backed rows costs one take per column.
    table = release.table("collectivites")
    return table.loc[table["type_collectivite"] == "commune", columns]


def dpd_by_stratum(release: ReleaseData) -> Figure:
    communes = _communes(release, ["population", "nb_opsn", "a_designe_dpd"])
    population = communes["population"].fillna(0).astype(int).to_numpy()
    # Index of the stratum whose lower bound is the largest one not above the population (negative: the first).
    stratum = np.maximum(np.searchsorted([low for low, _, _ in STRATA], population, side="right") - 1, 0)
    member = communes["nb_opsn"].fillna(0).astype(int).to_numpy() >= 1
    dpd = communes["a_designe_dpd"].fillna(False).astype(bool).to_numpy()
    records = []
    for rank, (_, _, label) in enumerate(STRATA):
        for group, in_group in ((MEMBERS, member), (OTHERS, ~member)):
            part = dpd[(stratum == rank) & in_group]
            share = round(100 * part.sum() / len(part), 1) if len(part) else None
            records.append(
                {
                    "Strate (habitants)": label,
                    "Groupe": group,
                    "Communes": len(part),
                    "Communes avec DPD": int(part.sum()),
                    "Part avec DPD (%)": share,
                }
            )
    table = pd.DataFrame(records)
    order = [label for _, _, label in STRATA]
    datasets: dict[str, list] = {}
    encoding = {
        "x": vl.field(
            "Strate (habitants):N", sort=order, title="Population municipale (habitants)", axis={"labelAngle": 0}
        ),
        "xOffset": vl.field("Groupe:N", sort=[MEMBERS, OTHERS]),
        "y": vl.field("Part avec DPD (%):Q", title="Communes ayant désigné un DPD (%)", scale={"domain": [0, 100]}),
        "color": vl.field(
            "Groupe:N",
            scale={"domain": [MEMBERS, OTHERS], "range": [PRIMARY, SECONDARY]},
            title=None,
            legend={"orient": "top"},
        ),
        "tooltip": [vl.field(f) for f in ("Strate (habitants):N", "Groupe:N", "Communes:Q", "Part avec DPD (%):Q")],
    }
    data = vl.dataset(table.dropna(subset=["Part avec DPD (%)"]), datasets)
    chart = vl.chart(data, "bar", encoding, width=WIDTH, height=300)
    title = "Désignation d'un DPD : communes adhérentes et non adhérentes, par taille"
    subtitle = "Adhérente : déclarée directement par au moins un OPSN. Strates de population municipale (COG 2026)."
    described = table.dropna(subset=["Part avec DPD (%)"])
    alt_text = (
        "Barres groupées par strate de population, communes adhérentes (bleu) et non adhérentes (orange). "
        + "; ".join(
            f"{r['Strate (habitants)']} habitants, {r['Groupe'].lower()} : {fr_number(r['Part avec DPD (%)'], 1)} %"
            for r in described.to_dict("records")
        )
        + "."
    )
    return Figure("dpd-strates", title, alt_text, decorate(chart, release, title, subtitle), table, datasets)


def dpd_since_2018(release: ReleaseData) -> Figure:
    """Cumulative share of communes with a DPD by date of first designation, with the 2020 study's figure."""
    communes = _communes(release, ["date_premiere_designation"])
    total = len(communes)
    dates = pd.to_datetime(communes["date_premiere_designation"], errors="coerce").dropna()
    dates = dates.clip(lower=pd.Timestamp(RGPD_START))
    monthly = dates.dt.to_period("M").value_counts().sort_index()
    months = pd.period_range(
        RGPD_START,
        max(monthly.index.max(), pd.Period(RGPD_START, "M")) if len(monthly) else pd.Period(RGPD_START, "M"),
        freq="M",
    )
    cumulative = monthly.reindex(months, fill_value=0).cumsum()
    table = pd.DataFrame(
        {
            "Mois": [str(m) for m in months],
            "Communes avec DPD (cumul)": cumulative.astype(int).to_numpy(),
            "Part des communes (%)": (100 * cumulative / total).round(2).to_numpy() if total else 0.0,
        }
    )
    datasets: dict[str, list] = {}
    line = vl.chart(
        vl.dataset(table, datasets),
        vl.mark("line", color=PRIMARY, interpolate="step-after", strokeWidth=2),
        {
            "x": vl.field(
                "Mois:T",
                title="Date de première désignation",
                axis={"format": "%Y", "tickCount": {"interval": "year", "step": 1}},
            ),
            "y": vl.field(
                "Part des communes (%):Q", title="Communes ayant désigné un DPD (%)", scale={"domain": [0, 100]}
            ),
            "tooltip": [vl.field(f) for f in ("Mois:T", "Communes avec DPD (cumul):Q", "Part des communes (%):Q")],
        },
    )
    study = pd.DataFrame(
        [{"part": STUDY_2020["part"], "texte": f"Étude 2020 : {fr_number(STUDY_2020['communes'])} communes, 34 %"}]
    )
    study_data = vl.dataset(study, datasets)
    rule = vl.chart(study_data, vl.mark("rule", color=SECONDARY, strokeDash=[5, 4]), {"y": vl.field("part:Q")})
    label = vl.chart(
        study_data,
        vl.mark("text", align="left", dx=4, dy=-7, color=SECONDARY, fontSize=11),
        {"y": vl.field("part:Q"), "x": {"value": WIDTH}, "text": vl.field("texte:N")},
    )
    chart = vl.layer(line, rule, label, width=WIDTH, height=300)
    title = "Communes ayant désigné un DPD depuis 2018"
    subtitle = (
        f"Cumul par date de première désignation (fichier CNIL), en % des {fr_number(total)} communes ; "
        "désignations antérieures comptées au 25 mai 2018."
    )
    last = table.iloc[-1] if len(table) else None
    alt_text = (
        "Courbe en escalier de la part cumulée des communes ayant désigné un DPD, mois par mois depuis mai 2018"
        + (f", jusqu'à {fr_number(last['Part des communes (%)'], 1)} % en {last['Mois']}" if last is not None else "")
        + ". Une ligne pointillée marque le chiffre de l'étude 2020 : 12 594 communes, 34 %."
    )
    return Figure("dpd-designations", title, alt_text, decorate(chart, release, title, subtitle), table, datasets)


def history(release: ReleaseData) -> Figure | None:
    """Headline indicators across releases; None (no chart) until there are two versions to compare."""
    if not release.has("historique_indicateurs"):
        return None
    hist = release.table("historique_indicateurs")
    if not {"version", "code_indicateur", "valeur"} <= set(hist.columns) or hist["version"].nunique() < 2:
        return None
    for column, value in (("niveau", "france"), ("modalite", "ensemble")):
        if column in hist.columns:
            hist = hist[hist[column] == value]
    headline = [
        "part_communes_adherentes",
        "part_population_couverte",
        "part_communes_dpd",
        "part_communes_dpd_adherentes",
        "part_communes_dpd_non_adherentes",
    ]
    hist = hist[hist["code_indicateur"].isin(headline)].copy()
    if hist.empty:
        return None
    labels = release.table("definitions_indicateurs").set_index("code_indicateur")["libelle"]
    table = pd.DataFrame(
        {
            "Version": hist["version"].astype(str),
            "Indicateur": hist["code_indicateur"].map(lambda code: labels.get(code, code)),
            "Valeur (%)": pd.to_numeric(hist["valeur"], errors="coerce").round(1),
        }
    ).sort_values(["Indicateur", "Version"], ignore_index=True)
    datasets: dict[str, list] = {}
    encoding = {
        "x": vl.field("Version:N", title="Version publiée", sort=None, axis={"labelAngle": -30}),
        "y": vl.field("Valeur (%):Q", title="%", scale={"domain": [0, 100]}),
        "color": vl.field(
            "Indicateur:N", title=None, legend={"orient": "top", "direction": "vertical", "labelLimit": 480}
        ),
        "tooltip": [vl.field(f) for f in ("Version:N", "Indicateur:N", "Valeur (%):Q")],
    }
    chart = vl.chart(vl.dataset(table, datasets), vl.mark("line", point=True), encoding, width=WIDTH, height=280)
    title = "Évolution des indicateurs principaux d'une version à l'autre"
    alt_text = (
        f"Courbes des indicateurs principaux (en %) sur {table['Version'].nunique()} versions publiées : "
        + ", ".join(sorted(table["Indicateur"].unique()))
        + "."
    )
    return Figure(
        "historique-indicateurs", title, alt_text, decorate(chart, release, title, "France entière."), table, datasets
    )
