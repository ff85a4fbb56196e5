"""The lock between two real processes: the second fails at once naming the holder, or waits."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from observatory.locking import Busy, acquire

HOLDER = """
import sys, time
from pathlib import Path
from observatory.locking import acquire
lock = acquire(Path(sys.argv[1]), purpose="test")
print("tenu", flush=True)
time.sleep(float(sys.argv[2]))
"""


def _hold(path, seconds: float) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path), str(seconds)], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout.readline().strip() == "tenu"
    return process


def test_a_second_process_fails_at_once_with_the_holders_pid(tmp_path):
    path = tmp_path / "entrepot.verrou"
    holder = _hold(path, 60)
    try:
        started = time.monotonic()
        with pytest.raises(Busy, match=f"une autre actualisation est en cours \\(pid {holder.pid}"):
            acquire(path, purpose="actualisation", wait_seconds=0)
        assert time.monotonic() - started < 5
    finally:
        holder.kill()
        holder.wait()


def test_a_waiting_process_gets_the_lock_when_the_holder_ends_even_by_sigkill(tmp_path):
    path = tmp_path / "entrepot.verrou"
    holder = _hold(path, 60)
    holder.kill()  # SIGKILL: the kernel releases the lock, no stale lock file to clean
    holder.wait()
    lock = acquire(path, purpose="actualisation", wait_seconds=10)
    assert f"pid {__import__('os').getpid()}" in path.read_text()
    lock.release()
