"""The three maps of France: coverage, DPD designation, OPSN territories (with their overlaps)."""

from __future__ import annotations

import pandas as pd

from observatory.report import geo, vl
from observatory.report.figure import Figure, fr_number
from observatory.report.release_data import ReleaseData
from observatory.report.style import SHARE_SCHEME, decorate

MAP_WIDTH, MAP_HEIGHT = 560, 520
NO_DATA = "#e6e6e6"
OVERLAPS_NAMED = 5


def _outline_layers(color: dict, tooltip: list) -> dict:
    projection = {"type": "identity", "reflectY": True}
    shapes = vl.chart(
        {"name": "departements"},
        vl.mark("geoshape", stroke="white", strokeWidth=0.5),
        {"color": color, "tooltip": tooltip},
        projection=projection,
    )
    frames = vl.chart(
        {"name": "cadres_outre_mer"},
        vl.mark("geoshape", filled=False, stroke="#999999", strokeWidth=0.6),
        projection=projection,
    )
    labels = vl.chart(
        {"name": "cadres_outre_mer"},
        vl.mark("text", fontSize=9, baseline="top", color="#555555"),
        {
            "longitude": vl.field("properties.x:Q"),
            "latitude": vl.field("properties.y:Q"),
            "text": vl.field("properties.nom:N"),
        },
        projection=projection,
    )
    return {"layer": [shapes, frames, labels], "width": MAP_WIDTH, "height": MAP_HEIGHT}


def _datasets(features: list[dict]) -> dict[str, list]:
    return {"departements": features, "cadres_outre_mer": geo.inset_frames()}


def _departement_values(release: ReleaseData, code: str) -> pd.DataFrame:
    ind = release.table("indicateurs")
    rows = ind[(ind["code_indicateur"] == code) & (ind["niveau"] == "departement") & (ind["modalite"] == "ensemble")]
    frame = pd.DataFrame({"code_departement": geo.departement_codes()})
    values = rows[["code_territoire", "valeur"]].rename(columns={"code_territoire": "code_departement"})
    return frame.merge(values, on="code_departement", how="left")


def _share_map(release: ReleaseData, sujet: str, code: str, title: str, legend: str, subtitle: str) -> Figure:
    frame = _departement_values(release, code)
    names = {f["properties"]["code"]: f["properties"]["nom"] for f in geo.departement_features()}
    frame.insert(1, "departement", frame["code_departement"].map(names))
    values = {
        row.code_departement: {"part": None if pd.isna(row.valeur) else round(float(row.valeur), 1)}
        for row in frame.itertuples()
    }
    features = geo.departement_features(values)
    color = vl.field(
        "properties.part:Q",
        title=legend,
        scale={"scheme": SHARE_SCHEME, "domain": [0, 100]},
        legend={"orient": "right", "format": ".0f"},
    )
    tooltip = [vl.field("properties.nom:N", title="Département"), vl.field("properties.part:Q", title=legend)]
    chart = _outline_layers(color, tooltip)
    table = frame.rename(columns={"code_departement": "Code", "departement": "Département", "valeur": legend})
    table[legend] = table[legend].round(1)
    described = table.dropna(subset=[legend])
    alt_text = (
        f"Carte des {len(frame)} départements, outre-mer en médaillons à gauche, Paris et petite couronne "
        f"agrandis à droite, colorés selon : {legend.lower()}. "
        + (
            f"Valeurs de {fr_number(described[legend].min(), 1)} à {fr_number(described[legend].max(), 1)} %"
            if len(described)
            else "Aucune valeur"
        )
        + f" ; {len(frame) - len(described)} département(s) sans valeur, en gris."
    )
    return Figure(
        sujet, title, alt_text, decorate(chart, release, title, subtitle, MAP_WIDTH), table, _datasets(features)
    )


def coverage_map(release: ReleaseData) -> Figure:
    return _share_map(
        release,
        "carte-couverture",
        "part_communes_adherentes",
        "Part des communes adhérentes à un OPSN, par département",
        "Communes adhérentes (%)",
        "Communes déclarées directement par au moins un OPSN, en % des communes du département.",
    )


def dpd_map(release: ReleaseData) -> Figure:
    return _share_map(
        release,
        "carte-dpd",
        "part_communes_dpd",
        "Part des communes ayant désigné un DPD, par département",
        "Communes avec DPD (%)",
        "Communes dont le SIREN figure comme organisme désignant dans le fichier CNIL.",
    )


def territories_map(release: ReleaseData) -> Figure:
    """How many OPSN serve each département (from opsn.departements): 2 or more is an overlap."""
    opsn = release.table("opsn")
    serving: dict[str, list[str]] = {}
    for row in opsn.itertuples():
        for code in sorted({c.strip() for c in str(row.departements or "").split("|") if c.strip()}):
            serving.setdefault(code, []).append(str(row.nom))
    codes = geo.departement_codes()
    names = {f["properties"]["code"]: f["properties"]["nom"] for f in geo.departement_features()}
    categories = ["aucun", "1 OPSN", "2 OPSN", "3 OPSN ou plus"]

    def category(count: int) -> str:
        return categories[min(count, 3)]

    values = {
        code: {"classe": category(len(serving.get(code, []))), "opsn": ", ".join(sorted(serving.get(code, [])))}
        for code in codes
    }
    color = vl.field(
        "properties.classe:N",
        title="OPSN servant le département",
        scale={"domain": categories, "range": ["#eeeeee", "#9ecae1", "#3182bd", "#08306b"]},
        legend={"orient": "right"},
    )
    tooltip = [vl.field("properties.nom:N", title="Département"), vl.field("properties.opsn:N", title="OPSN")]
    chart = _outline_layers(color, tooltip)
    features = geo.departement_features(values)
    table = pd.DataFrame(
        {
            "Code": codes,
            "Département": [names[c] for c in codes],
            "Nombre d'OPSN": [len(serving.get(c, [])) for c in codes],
            "OPSN": [values[c]["opsn"] for c in codes],
        }
    )
    overlaps = int((table["Nombre d'OPSN"] >= 2).sum())
    served = int((table["Nombre d'OPSN"] >= 1).sum())
    title = "Territoires des OPSN : départements servis et chevauchements"
    alt_text = (
        f"Carte des {len(codes)} départements colorés selon le nombre d'OPSN qui déclarent les servir : "
        f"{served} départements servis par au moins un OPSN, dont {overlaps} par plusieurs (chevauchements)."
    )
    subtitle = ["D'après la liste des départements servis déclarée par chaque OPSN ; foncé = plusieurs OPSN."]
    # Name the overlaps on the chart itself: they are what this map is for.
    shared = table[table["Nombre d'OPSN"] >= 2]
    for row in shared.head(OVERLAPS_NAMED).itertuples(index=False):
        subtitle.append(f"Chevauchement : {row[1]} ({row[0]}) : {row[3]}.")
    if len(shared) > OVERLAPS_NAMED:
        subtitle.append(f"… et {len(shared) - OVERLAPS_NAMED} autres départements partagés (voir les données).")
    chart = decorate(chart, release, title, subtitle, MAP_WIDTH)
    return Figure("carte-territoires-opsn", title, alt_text, chart, table, _datasets(features))
