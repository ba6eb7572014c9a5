"""`schedule` as a ticker only: it calls the pass at the interval; nothing else is scheduled.

Every job is guarded so one exception never stops the loop; the loop also wakes early for a
claim deadline the pass saw coming, so a breach is seen within moments rather than an interval,
and when poked (a customer notice was raised), so the customer's SMS leaves at once.
"""

import threading
from collections.abc import Callable

import schedule

from ptsa_tui.alerts import logs
from ptsa_tui.error_text import error_line

MIN_WAIT = 0.05


def guarded(name: str, job: Callable[[], object]) -> Callable[[], None]:
    def run() -> None:
        try:
            job()
        except Exception as error:
            logs.get().error("%s failed: %s", name, error_line(error))

    return run


class Ticker:
    def __init__(
        self,
        interval: float,
        job: Callable[[], None],
        *,
        wake_in: Callable[[], float | None] = lambda: None,
    ) -> None:
        self.interval = interval
        self.job = job
        self.wake_in = wake_in
        self.stopping = threading.Event()
        self.woken = threading.Event()  # set by stop() and poke(): the wait ends at once
        self.scheduler = schedule.Scheduler()
        self.scheduler.every(max(1, round(interval))).seconds.do(job)  # whole seconds

    def stop(self) -> None:
        self.stopping.set()
        self.woken.set()

    def poke(self) -> None:
        """Run the job now rather than at the next tick (safe from any thread)."""
        self.woken.set()

    def run(self) -> None:
        """Run now, then at every tick (and at foreseen deadlines) until stop() is called."""
        self.scheduler.run_all()
        while not self.stopping.is_set():
            idle = self.scheduler.idle_seconds
            wait = self.interval if idle is None else max(idle, 0.0)
            early = self.wake_in()
            woke_early = early is not None and early < wait
            if woke_early and early is not None:
                wait = early + MIN_WAIT  # just past the deadline
            poked = self.woken.wait(max(wait, MIN_WAIT))
            self.woken.clear()
            if self.stopping.is_set():
                break
            if woke_early or poked:
                self.job()
            self.scheduler.run_pending()
