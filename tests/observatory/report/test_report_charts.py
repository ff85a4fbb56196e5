"""The figures behind the charts, checked on a release published from the mini sources."""

import json
import shutil

import jsonschema
import pandas as pd
import pyarrow.parquet as pq
import pytest

from observatory.paths import REFERENTIAL_DIR
from observatory.report.release_data import load_release
from observatory.report.render import MANIFEST, build_figures, render_charts
from observatory.report.style import DEMO_MENTION, to_spec


@pytest.fixture(scope="module")
def figures(mini_release):
    return {figure.sujet: figure for figure in build_figures(load_release(mini_release))}


def test_maps_have_every_departement_of_the_cog(figures):
    departements = pd.read_parquet(REFERENTIAL_DIR / "departements.parquet")
    # Départements of the COG: metropolitan and overseas (DROM), not the overseas collectivities (COM).
    cog = set(departements.loc[departements["zone"].isin(["metro", "drom"]), "code_departement"].astype(str))
    assert len(cog) == 101
    for sujet in ("carte-couverture", "carte-dpd", "carte-territoires-opsn"):
        figure = figures[sujet]
        drawn = {f["properties"]["code"] for f in figure.datasets["departements"]}
        assert drawn == cog, sujet
        assert set(figure.table["Code"]) == cog, sujet


def _schema_errors(figure) -> list[str]:
    # The specs are written as plain dicts (observatory/report/vl.py): the schema Altair ships checks them.
    from altair.vegalite.v6.schema.core import load_schema

    spec = to_spec(figure.chart, figure.datasets)
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/v6")
    validator = jsonschema.Draft7Validator(load_schema())
    return [f"{list(error.absolute_path)}: {error.message[:200]}" for error in validator.iter_errors(spec)]


def test_every_spec_is_valid_vega_lite(figures):
    assert len(figures) >= 9
    for figure in figures.values():
        assert _schema_errors(figure) == [], figure.sujet


def test_every_share_lies_between_0_and_100(figures):
    checked = 0
    for figure in figures.values():
        for column in [c for c in figure.table.columns if "%" in c]:
            values = pd.to_numeric(figure.table[column], errors="coerce").dropna()
            assert values.between(0, 100).all(), (figure.sujet, column)
            checked += len(values)
    assert checked > 0


def test_naive_counts_are_at_least_the_distinct_counts(figures):
    table = figures["dedoublonnage"].table
    assert {"France", "Par OPSN"} <= set(table["Niveau"])
    assert (table["Compte naïf"] >= table["Compte distinct"]).all()
    # The mini sources declare one commune twice: deduplication must show it.
    assert table.loc[table["Niveau"] == "France", "Écart"].sum() > 0


def test_charts_carry_source_line_and_no_demo_mention_for_a_stewards_release(mini_dashboard):
    svg = (mini_dashboard / "carte-couverture.svg").read_text(encoding="utf-8")
    assert "Source : Observatoire des OPSN, version" in svg
    assert "CNIL" in svg and "INSEE COG 2026" in svg
    assert "démonstration" not in svg


def test_every_chart_has_svg_png_at_print_scale_csv_and_alt_text(mini_dashboard):
    manifest = json.loads((mini_dashboard / MANIFEST).read_text(encoding="utf-8"))
    sujets = [entry["sujet"] for entry in manifest["graphiques"]]
    assert {
        "carte-couverture",
        "carte-dpd",
        "carte-territoires-opsn",
        "dpd-strates",
        "dpd-designations",
        "opsn-formes-juridiques",
        "adherents-par-opsn",
        "services-opsn",
        "dedoublonnage",
    } <= set(sujets)
    # One release only: no history chart, and no failure either.
    assert "historique-indicateurs" not in sujets
    for entry in manifest["graphiques"]:
        assert len(entry["alt"]) > 40
        for name in entry["fichiers"]:
            assert (mini_dashboard / name).stat().st_size > 0
        png = (mini_dashboard / f"{entry['sujet']}.png").read_bytes()
        width = int.from_bytes(png[16:20], "big")
        svg = (mini_dashboard / f"{entry['sujet']}.svg").read_text(encoding="utf-8")
        svg_width = float(svg.split('width="', 1)[1].split('"', 1)[0])
        assert width >= 2 * svg_width - 1, entry["sujet"]


def test_history_chart_appears_once_two_versions_are_published(mini_release, tmp_path):
    release = tmp_path / mini_release.name
    shutil.copytree(mini_release, release)
    france = pd.read_parquet(release / "indicateurs.parquet").query("niveau == 'france'")
    earlier = france.assign(version="2026-01-15-00000000", valeur=france["valeur"] / 2)
    history = pd.concat([earlier, france.assign(version=mini_release.name)])
    history.to_csv(release / "historique_indicateurs.csv", index=False)
    (release / "historique_indicateurs.parquet").unlink(missing_ok=True)  # the release's own, one version
    figures = {figure.sujet: figure for figure in build_figures(load_release(release))}
    table = figures["historique-indicateurs"].table
    assert _schema_errors(figures["historique-indicateurs"]) == []
    assert set(table["Version"]) == {"2026-01-15-00000000", mini_release.name}
    assert table["Valeur (%)"].dropna().between(0, 100).all()


def test_specs_fetch_nothing_and_demo_releases_say_so_on_every_chart(mini_release, tmp_path):
    release = tmp_path / "demo"
    shutil.copytree(mini_release, release)
    descriptor = json.loads((release / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["demonstration"] = True
    (release / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    figures = build_figures(load_release(release))
    for figure in figures:
        spec = json.dumps(to_spec(figure.chart, figure.datasets), ensure_ascii=False)
        assert '"url"' not in spec, figure.sujet
        assert DEMO_MENTION in spec, figure.sujet
    render_charts(release, tmp_path / "out", only=[figures[0].sujet])
    svg = (tmp_path / "out" / f"{figures[0].sujet}.svg").read_text(encoding="utf-8")
    assert "Données de démonstration" in svg


def test_a_release_without_any_opsn_still_gets_every_chart(mini_release, tmp_path):
    release = tmp_path / "vide"
    shutil.copytree(mini_release, release)
    for name in ("opsn", "services_opsn", "adhesions", "adhesions_multiples"):
        table = pq.read_table(release / f"{name}.parquet")
        pq.write_table(table.slice(0, 0), release / f"{name}.parquet")
    indicators = pd.read_parquet(release / "indicateurs.parquet").query("niveau != 'opsn'")
    indicators.to_parquet(release / "indicateurs.parquet", index=False)
    sujets = ["opsn-formes-juridiques", "adherents-par-opsn", "services-opsn", "dedoublonnage"]
    entries = render_charts(release, tmp_path / "out", only=sujets)
    assert [entry["sujet"] for entry in entries] == sujets


def test_charts_with_a_bar_per_opsn_draw_the_largest_and_keep_every_opsn_in_their_table(mini_release, monkeypatch):
    from observatory.report import charts_opsn

    monkeypatch.setattr(charts_opsn, "MAX_OPSN_BARS", 2)
    release = load_release(mini_release)
    every_opsn = len(release.table("opsn"))
    assert every_opsn > 2
    members = charts_opsn.members_per_opsn(release)
    assert len(members.table) == every_opsn
    spec = json.dumps(to_spec(members.chart, members.datasets), ensure_ascii=False)
    assert f"Les 2 plus grands sur {every_opsn} OPSN" in spec
    names = list(members.table["OPSN"])
    assert all(f'"{name}"' in spec for name in names[:2])
    assert not any(f'"{name}"' in spec for name in names[2:]), "only the largest are drawn"
    deduplication = charts_opsn.deduplication(release)
    assert (deduplication.table["Niveau"] == "Par OPSN").sum() == every_opsn
    assert f"2 plus grandes déclarations sur {every_opsn}" in json.dumps(
        to_spec(deduplication.chart, deduplication.datasets), ensure_ascii=False
    )
