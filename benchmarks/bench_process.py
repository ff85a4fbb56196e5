"""What the benchmark reads of its own process: CPU time and peak resident size, with its children.

The chart renderers are child processes (observatory/report/vl_process.py): their CPU counts once
they are waited for, and their resident size is sampled beside the process's own.
"""

from __future__ import annotations

import resource
import threading
import time
from collections.abc import Callable
from pathlib import Path


def reset_peak_rss() -> None:
    """Start this process's high-water mark afresh (Linux ≥ 4.0). A process started by
    subprocess inherits, through fork and exec, the parent's peak: getrusage's ru_maxrss of the
    measuring process then reported the 1.9 GiB the parent had used generating the 10× sources."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def _status_kib(pid: str, key: str) -> int | None:
    """A size line (`VmHWM`, `VmRSS`) of /proc/<pid>/status, in KiB; None where there is none."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{key}:"):
                return int(line.split()[1])
    except OSError:
        pass  # not Linux, or a child that has just exited
    return None


def _high_water_kib() -> int:
    """VmHWM (peak resident size since the reset), else getrusage's ru_maxrss."""
    peak = _status_kib("self", "VmHWM")
    return peak if peak is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def cpu_seconds() -> float:
    """CPU of this process (every DuckDB thread) and of its finished children: the charts are drawn
    by vl-convert child processes (observatory/report/vl_process.py), waited for before their step ends."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def peak_rss_mib() -> float:
    return max(_high_water_kib(), SAMPLED["max"]) / 1024  # Linux: KiB


# getrusage's high-water mark may miss a peak that DuckDB's allocator hands back with madvise,
# so the resident size is also sampled every 20 ms and the larger of the two is reported (on
# 30 November both agreed within 5 MiB at 10×).
SAMPLED = {"max": 0, "with_children": 0}


def _rss_kib(pid: str) -> int:
    return _status_kib(pid, "VmRSS") or 0


def _children_pids() -> list[str]:
    pids = []
    for task in Path("/proc/self/task").iterdir():
        try:
            pids += (task / "children").read_text().split()
        except OSError:
            pass
    return pids


def sample_rss(stop: threading.Event) -> None:
    """The process alone, and the process with its children (the chart renderers) at the same instant."""
    while not stop.wait(0.02):
        own = _rss_kib("self")
        SAMPLED["max"] = max(SAMPLED["max"], own)
        SAMPLED["with_children"] = max(SAMPLED["with_children"], own + sum(map(_rss_kib, _children_pids())))


def timed_calls(call: Callable[[], object], repetitions: int) -> list[tuple[float, float, object]]:
    """Run `call` `repetitions` times: each run's (wall seconds, CPU seconds, result), fastest first,
    so that the median run is `[len // 2]`, the fastest `[0]` and the slowest `[-1]`."""
    runs = []
    for _ in range(repetitions):
        start, cpu = time.perf_counter(), time.process_time()
        result = call()
        runs.append((time.perf_counter() - start, time.process_time() - cpu, result))
    return sorted(runs, key=lambda run: run[0])
