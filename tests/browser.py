"""Headless Chromium for tests (seam 4 interface). TEMPORARY minimal version written by w16:
the integrator keeps w13's tests/browser.py, which has the same interface.

Drives Debian's /usr/bin/chromium through the PyPI `playwright` package; never `playwright install`.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


@dataclass
class PageReport:
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    broken_images: list[str] = field(default_factory=list)
    title: str = ""
    text: str = ""


def ensure_chromium() -> str:
    if not Path(CHROMIUM).exists() and shutil.which("apt-get"):
        subprocess.run(["apt-get", "install", "-y", "chromium"], check=True)
    return CHROMIUM


class Browser:
    def __init__(self):
        self._playwright = sync_playwright().start()
        self._browser = self._playwright.chromium.launch(executable_path=ensure_chromium(), args=ARGS)

    def open(self, url_or_path, screenshot: Path | None = None, *, width=1280, height=900,
             wait_for: str | None = None) -> PageReport:
        url = str(url_or_path)
        if "://" not in url:
            url = Path(url).resolve().as_uri()
        report = PageReport()
        page = self._browser.new_page(viewport={"width": width, "height": height})
        page.on("console", lambda m: report.console_errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: report.console_errors.append(str(e)))
        page.on("requestfailed", lambda r: report.failed_requests.append(r.url))
        try:
            page.goto(url, wait_until="load")
            if wait_for:
                page.wait_for_selector(wait_for)
            report.broken_images = page.eval_on_selector_all(
                "img", "els => els.filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src)")
            report.title = page.title()
            report.text = page.inner_text("body")
            if screenshot is not None:
                screenshot.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(screenshot), full_page=True)
        finally:
            page.close()
        return report

    def close(self) -> None:
        self._browser.close()
        self._playwright.stop()
