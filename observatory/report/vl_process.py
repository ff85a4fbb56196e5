"""vl-convert in a child process, so that the charts use both cores.

vl-convert holds the GIL and runs every Vega call on one JavaScript engine, so threads gain nothing (measured).
A child process started first warms its engine (about 0.7 s) while this one builds the figures, then draws
their SVG while this one rasterises the PNGs of the SVGs already drawn. The child imports nothing but the
standard library and vl_convert (it runs this file as a script, isolated with -I): it starts in a few tens
of milliseconds.

Protocol: one JSON line per job on the child's stdin, one JSON line per finished job on its stdout, in the
same order. A job draws `spec` into the file `svg`, or rasterises the file `svg` into the file `png`.
"""

from __future__ import annotations

import json
import queue
import re
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import vl_convert as vlc

# Inline data only: nothing may be fetched.
OPTIONS = {"format_locale": "fr-FR", "time_format_locale": "fr-FR", "allowed_base_urls": []}


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


def draw_svg(spec: dict) -> str:
    return stable_ids(vlc.vegalite_to_svg(spec, **OPTIONS))


def rasterise(svg: str, scale: float) -> bytes:
    return vlc.svg_to_png(svg, scale=scale)


def _run_job(job: dict) -> None:
    svg_path = Path(job["svg"])
    if "spec" in job:
        svg_path.write_text(draw_svg(job["spec"]), encoding="utf-8")
    else:
        Path(job["png"]).write_bytes(rasterise(svg_path.read_text(encoding="utf-8"), job["scale"]))


def _serve() -> None:
    # A trivial chart first: the engine warms up before the first real job arrives.
    draw_svg({"data": {"values": [{"a": 1}]}, "mark": "point", "encoding": {"x": {"field": "a", "type": "ordinal"}}})
    for line in sys.stdin:
        job = json.loads(line)
        try:
            _run_job(job)
            answer = {"job": job.get("png") or job["svg"]}
        except Exception as error:  # noqa: BLE001 - reported to the parent, which raises it
            answer = {"job": job.get("png") or job["svg"], "error": f"{type(error).__name__}: {error}"}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


class ChartProcess:
    """The child process. `submit` never blocks (a thread feeds the pipe); `results` yields the finished jobs
    in submission order and raises on the first failure."""

    def __init__(self) -> None:
        self._stderr = tempfile.TemporaryFile()
        self._child = subprocess.Popen(
            [sys.executable, "-I", __file__],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            text=True,
            encoding="utf-8",
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

    def rasterise(self, svg_path: Path, png_path: Path, scale: float) -> None:
        self._submit({"svg": str(svg_path), "png": str(png_path), "scale": scale})

    def _submit(self, job: dict) -> None:
        self._jobs.put(json.dumps(job, ensure_ascii=False) + "\n")
        self._pending += 1

    def results(self) -> Iterator[str]:
        while self._pending:
            line = self._child.stdout.readline()
            if not line:
                self._stderr.seek(0)
                detail = self._stderr.read().decode("utf-8", "replace").strip()[-2000:]
                raise RuntimeError(f"le processus de rendu vl-convert s'est arrêté : {detail or 'sans message'}")
            self._pending -= 1
            answer = json.loads(line)
            if "error" in answer:
                raise RuntimeError(f"{answer['job']} : {answer['error']}")
            yield answer["job"]

    def close(self) -> None:
        self._jobs.put(None)
        self._feeder.join(timeout=5)
        try:
            self._child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._child.kill()
            self._child.wait()
        self._child.stdout.close()
        self._stderr.close()

    def __enter__(self) -> ChartProcess:
        return self

    def __exit__(self, *exc_info) -> None:
        if exc_info[0] is not None:
            self._child.kill()
        self.close()


if __name__ == "__main__":
    _serve()
