"""Calls on a worker thread: run in order, first error raised to the caller, the rest skipped."""

import threading

import pytest

from observatory.publish.background import SerialWorker


def test_calls_run_in_order_on_one_other_thread():
    seen = []
    worker = SerialWorker("essai")
    for n in range(5):
        worker.submit(lambda n=n: seen.append((n, threading.current_thread().name)))
    worker.result()
    assert seen == [(n, "essai") for n in range(5)]


def test_the_first_error_is_raised_by_result_and_later_calls_are_skipped():
    seen = []

    def fail():
        raise ValueError("base illisible")

    worker = SerialWorker("essai")
    worker.submit(seen.append, 1)
    worker.submit(fail)
    worker.submit(seen.append, 2)
    with pytest.raises(ValueError, match="base illisible"):
        worker.result()
    assert seen == [1]


def test_abandon_waits_for_the_running_call_and_skips_the_others():
    started, release, seen = threading.Event(), threading.Event(), []

    def slow():
        started.set()
        release.wait(5)
        seen.append("lent")

    worker = SerialWorker("essai")
    worker.submit(slow)
    worker.submit(seen.append, "jamais")
    started.wait(5)
    threading.Timer(0.05, release.set).start()
    worker.abandon()
    assert seen == ["lent"]
