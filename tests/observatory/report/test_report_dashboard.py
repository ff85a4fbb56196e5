"""The dashboard as a person sees it (real Chromium), and its reproducibility."""

import filecmp
import json

from observatory.report import render_charts, render_dashboard


def test_dashboard_opens_offline_with_every_image_and_no_console_error(
    mini_dashboard, mini_release, browser, artefacts_dir
):
    # Next to the release's files, as in exports/<version>/tableau-de-bord/, so that its links resolve.
    screenshot = artefacts_dir / "tableau-de-bord-mini.png"
    report = browser.open(mini_dashboard / "index.html", screenshot, wait_for="#corps-territoire tr")
    assert report.console_errors == []
    assert report.broken_images == []
    assert report.failed_requests == []
    assert [url for url in report.requests if not url.startswith("file://")] == []
    version = json.loads((mini_release / "datapackage.json").read_text(encoding="utf-8"))["version"]
    assert version in report.title
    for heading in ("Chiffres clés", "Graphiques", "Par département", "Fichiers de la version"):
        assert heading in report.text
    assert "Part des communes adhérentes" in report.text
    assert screenshot.stat().st_size > 10_000


def test_rebuilding_gives_byte_identical_svg_and_html(mini_release, mini_dashboard, tmp_path):
    again = tmp_path / "tableau-de-bord"
    render_charts(mini_release, again)
    render_dashboard(mini_release, again)
    names = sorted(p.name for p in mini_dashboard.iterdir() if p.suffix in {".svg", ".html", ".csv", ".json"})
    assert "index.html" in names
    match, mismatch, errors = filecmp.cmpfiles(mini_dashboard, again, names, shallow=False)
    assert mismatch == [] and errors == []


def test_dashboard_is_a_few_megabytes_at_most(mini_dashboard):
    # What the browser loads (the page and its SVGs), then the whole folder with the PNG and CSV downloads.
    loaded = sum(p.stat().st_size for p in mini_dashboard.iterdir() if p.suffix in {".html", ".svg"})
    assert loaded < 3_000_000
    assert sum(p.stat().st_size for p in mini_dashboard.iterdir()) < 8_000_000
