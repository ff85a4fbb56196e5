"""vl-convert in child processes: the charts then use both cores, and fonts that cost nothing to read.

vl-convert holds the GIL and runs every Vega call on one JavaScript engine, so threads gain nothing (measured).
One child (`warm=True`) warms its engine (about 0.7 s) while the parent builds the figures, then draws their
SVGs; another rasterises the PNGs of the SVGs already drawn. Once its SVGs are drawn, the first one also
rasterises, from the last chart backwards, while the other goes forwards: each claims a PNG by creating its
marker file (an atomic O_EXCL create) until they meet, so whichever core is free does the next PNG.

Fonts: with the system's font folders, vl-convert's font database maps a font file again for every glyph it
measures or draws, half of the rendering time. The children are given a fontconfig file that lists one empty
folder, so their only fonts are those vl-convert embeds and keeps in memory: Liberation Sans 2.0, the family
the charts ask for (style.FONT). The charts then also look the same on every machine, whatever its fonts.

A child imports nothing but the standard library and vl_convert (it runs this file as a script, isolated with
-I) and starts in a few tens of milliseconds. Protocol: one JSON line per job on its stdin, one JSON line per
finished job on its stdout, in the same order.
"""

from __future__ import annotations

import json
import os
import queue
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

# Inline data only: nothing may be fetched.
OPTIONS = {"format_locale": "fr-FR", "time_format_locale": "fr-FR", "allowed_base_urls": []}
FONTCONFIG = """<?xml version="1.0"?>
<fontconfig><dir>{folder}</dir></fontconfig>
"""


def stable_ids(svg: str) -> str:
    """Vega numbers gradients and clip paths with a counter that lives as long as the process: renumber them
    in order of appearance so that the same chart always gives the same bytes."""
    mapping: dict[str, str] = {}

    def rename(match: re.Match) -> str:
        old = match.group(0)
        if old not in mapping:
            mapping[old] = f"{match.group(1)}_{len(mapping)}"
        return mapping[old]

    return re.sub(r"\b(gradient|clip|pattern|mask)_?(\d+)\b", rename, svg)


def claim(claims: Path | str, rank: int) -> bool:
    """True for the one process that creates the marker of PNG `rank` first."""
    try:
        os.close(os.open(Path(claims) / str(rank), os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return False
    return True


def _rasterise(vlc, svg_path: str, png_path: str, scale: float) -> None:
    Path(png_path).write_bytes(vlc.svg_to_png(Path(svg_path).read_text(encoding="utf-8"), scale=scale))


def _run_job(vlc, job: dict) -> None:
    if "spec" in job:
        Path(job["svg"]).write_text(stable_ids(vlc.vegalite_to_svg(job["spec"], **OPTIONS)), encoding="utf-8")
    elif "backwards" in job:
        for rank in range(len(job["backwards"]) - 1, -1, -1):
            if not claim(job["claims"], rank):
                break
            _rasterise(vlc, *job["backwards"][rank], job["scale"])
    elif "rank" not in job or claim(job["claims"], job["rank"]):
        _rasterise(vlc, job["svg"], job["png"], job["scale"])


def _serve(warm: bool) -> None:
    import vl_convert as vlc

    if warm:
        spec = {"data": {"values": [{"a": 1}]}, "mark": "point", "encoding": {"x": {"field": "a", "type": "ordinal"}}}
        vlc.vegalite_to_svg(spec, **OPTIONS)
    for line in sys.stdin:
        job = json.loads(line)
        name = job.get("svg", "PNG")
        try:
            _run_job(vlc, job)
            answer = {"job": name}
        except Exception as error:  # noqa: BLE001 - reported to the parent, which raises it
            answer = {"job": name, "error": f"{type(error).__name__}: {error}"}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


class ChartProcess:
    """One child. `workdir` (a temporary folder) holds its font configuration and stderr. Submitting never
    blocks (a thread feeds the pipe); `results` yields the finished jobs in order and raises on a failure."""

    def __init__(self, workdir: Path, warm: bool) -> None:
        fonts = workdir / "polices"
        fonts.mkdir(exist_ok=True)
        config = workdir / "fonts.conf"
        config.write_text(FONTCONFIG.format(folder=fonts), encoding="utf-8")
        self._stderr_path = workdir / f"stderr-{'dessin' if warm else 'raster'}.txt"
        with self._stderr_path.open("wb") as stderr:
            self._child = subprocess.Popen(
                [sys.executable, "-I", __file__, "warm" if warm else "cold"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=stderr,
                text=True,
                encoding="utf-8",
                env={**os.environ, "FONTCONFIG_FILE": str(config)},
            )
        self._jobs: queue.Queue[str | None] = queue.Queue()
        self._pending = 0
        self._feeder = threading.Thread(target=self._feed, daemon=True)
        self._feeder.start()

    def _feed(self) -> None:
        stdin = self._child.stdin
        try:
            while (line := self._jobs.get()) is not None:
                stdin.write(line)
                stdin.flush()
        except BrokenPipeError:
            pass  # the child died: `results` reports it with its stderr
        finally:
            try:
                stdin.close()
            except BrokenPipeError:
                pass

    def draw(self, spec: dict, svg_path: Path) -> None:
        self._submit({"spec": spec, "svg": str(svg_path)})

    def rasterise(
        self, svg_path: Path, png_path: Path, scale: float, rank: int | None = None, claims: Path | None = None
    ) -> None:
        """The PNG of `svg_path`; with `rank`, only if the other child has not claimed it in `claims`."""
        job = {"svg": str(svg_path), "png": str(png_path), "scale": scale}
        if rank is not None:
            job.update(rank=rank, claims=str(claims))
        self._submit(job)

    def rasterise_backwards(self, pairs: list[tuple[Path, Path]], scale: float, claims: Path) -> None:
        """The PNGs of `pairs` (SVG, PNG) from the last one, until one is already claimed."""
        self._submit({"backwards": [[str(s), str(p)] for s, p in pairs], "scale": scale, "claims": str(claims)})

    def _submit(self, job: dict) -> None:
        self._jobs.put(json.dumps(job, ensure_ascii=False) + "\n")
        self._pending += 1

    def results(self) -> Iterator[str]:
        while self._pending:
            line = self._child.stdout.readline()
            if not line:
                detail = self._stderr_path.read_text(encoding="utf-8", errors="replace").strip()[-2000:]
                raise RuntimeError(f"le processus de rendu vl-convert s'est arrêté : {detail or 'sans message'}")
            self._pending -= 1
            answer = json.loads(line)
            if "error" in answer:
                raise RuntimeError(f"{answer['job']} : {answer['error']}")
            yield answer["job"]

    def close(self, kill: bool = False) -> None:
        if kill:
            self._child.kill()
        self._jobs.put(None)
        self._feeder.join(timeout=5)
        try:
            self._child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._child.kill()
            self._child.wait()
        self._child.stdout.close()


if __name__ == "__main__":
    _serve(warm=sys.argv[1:] == ["warm"])
