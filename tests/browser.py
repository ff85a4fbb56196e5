"""A real headless browser for tests that look at a page as a person would.

PyPI `playwright` drives Debian's /usr/bin/chromium: `playwright install` (a download) is never run. When
Chromium is absent, `ensure_chromium()` installs the Debian package once (CI runs as root)."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Every <img> must be fully decoded with a size; SVGs that fail to parse have naturalWidth 0.
_BROKEN_IMAGES_JS = """() => Array.from(document.images)
    .filter(img => !img.complete || img.naturalWidth === 0)
    .map(img => img.getAttribute('src'))"""


@dataclass
class PageReport:
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    broken_images: list[str] = field(default_factory=list)
    title: str = ""
    text: str = ""
    # Every URL the page asked for, to check that a page meant to work offline fetches nothing remote.
    requests: list[str] = field(default_factory=list)


def ensure_chromium() -> Path:
    """Return Debian's Chromium, installing it with apt-get when it is missing (root only)."""
    if CHROMIUM.exists():
        return CHROMIUM
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        raise RuntimeError(f"{CHROMIUM} absent : installer le paquet Debian `chromium` (apt-get install chromium)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-q"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-q", "chromium"], check=True, env=env)
    return CHROMIUM


def _as_url(url_or_path: str | Path) -> str:
    text = str(url_or_path)
    if "://" in text:
        return text
    return Path(text).resolve().as_uri()


class Browser:
    """One Chromium process for the whole session; each `open` gets a fresh context (no shared state)."""

    def __init__(self, executable: Path | None = None) -> None:
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        self._browser = self._playwright.chromium.launch(
            executable_path=str(executable or ensure_chromium()), headless=True, args=LAUNCH_ARGS
        )

    def open(
        self,
        url_or_path: str | Path,
        screenshot: Path | None = None,
        *,
        width: int = 1280,
        height: int = 900,
        wait_for: str | None = None,
    ) -> PageReport:
        report = PageReport()
        context = self._browser.new_context(viewport={"width": width, "height": height}, locale="fr-FR")
        page = context.new_page()
        page.on("console", lambda msg: report.console_errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda error: report.console_errors.append(str(error)))
        page.on("request", lambda request: report.requests.append(request.url))
        page.on("requestfailed", lambda request: report.failed_requests.append(f"{request.url} ({request.failure})"))

        def on_response(response) -> None:
            if response.status >= 400:
                report.failed_requests.append(f"{response.url} (HTTP {response.status})")

        page.on("response", on_response)
        try:
            page.goto(_as_url(url_or_path), wait_until="load")
            if wait_for:
                page.wait_for_selector(wait_for)
            report.broken_images = page.evaluate(_BROKEN_IMAGES_JS)
            report.title = page.title()
            report.text = page.inner_text("body")
            if screenshot is not None:
                screenshot.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(screenshot), full_page=True)
        finally:
            context.close()
        return report

    def close(self) -> None:
        self._browser.close()
        self._playwright.stop()
