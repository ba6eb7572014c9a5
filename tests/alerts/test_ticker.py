"""The ticker: a failing job never stops the loop; stop() ends it."""

import logging

import pytest

from ptsa_tui.alerts.ticker import Ticker, guarded


def test_a_job_that_raises_does_not_stop_the_loop(caplog: pytest.LogCaptureFixture) -> None:
    calls: list[int] = []
    ticker: Ticker

    def job() -> None:
        calls.append(len(calls))
        if len(calls) >= 5:
            ticker.stop()
        if len(calls) <= 2:
            raise RuntimeError(f"boom {len(calls)}\nsecond line")

    # wake_in 0: the loop wakes at once instead of waiting the interval, so no time passes
    ticker = Ticker(3600, guarded("scan", job), wake_in=lambda: 0.0)
    with caplog.at_level(logging.ERROR, logger="ptsa.alerts"):
        ticker.run()
    assert len(calls) >= 5
    assert [r.getMessage() for r in caplog.records][:2] == [
        "scan failed: RuntimeError: boom 1",
        "scan failed: RuntimeError: boom 2",
    ]


def test_a_poke_runs_the_job_at_once_rather_than_at_the_next_tick() -> None:
    import threading

    calls: list[int] = []
    ran_twice = threading.Event()
    ticker: Ticker

    def job() -> None:
        calls.append(len(calls))
        if len(calls) == 2:
            ran_twice.set()
            ticker.stop()

    ticker = Ticker(3600, job)  # an hour's tick: only the poke can bring the second run
    loop = threading.Thread(target=ticker.run)
    loop.start()
    while not calls:  # the first run, at start
        ran_twice.wait(0.01)
    ticker.poke()
    assert ran_twice.wait(10), "the poke did not wake the loop"
    loop.join(10)
    assert calls == [0, 1] and not loop.is_alive()
