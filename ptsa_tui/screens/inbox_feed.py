"""The desk's inbox reader: one thread that reads what changed, one read at a time.

The live link hands it request ids straight from its own thread, so a change costs no hop
through the event loop and no new worker before the read starts. What is asked for while a
read runs waits and is read together next; a full read covers every request asked for
before it. Reads apply in the order they ran, so an older read never overwrites a newer one.
"""

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

Rows = TypeVar("Rows")


class InboxFeed(Generic[Rows]):
    """`read(ids)` reads those requests (None: all); `deliver(ids, rows)` hands them over."""

    def __init__(
        self,
        read: Callable[[set[int] | None], Rows],
        deliver: Callable[[set[int] | None, Rows], None],
        failed: Callable[[Exception], None],
    ) -> None:
        self._read, self._deliver, self._failed = read, deliver, failed
        self._wake = threading.Condition()
        self._full = False
        self._requests: set[int] = set()
        self._busy = False
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name="inbox-feed", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        with self._wake:
            self._stopped = True
            self._wake.notify()

    def want_all(self) -> None:
        with self._wake:
            self._full = True
            self._wake.notify()

    def want(self, request_ids: set[int]) -> None:
        with self._wake:
            self._requests |= request_ids
            self._wake.notify()

    @property
    def idle(self) -> bool:
        """Nothing being read and nothing waiting to be."""
        with self._wake:
            return not (self._busy or self._full or self._requests)

    def _run(self) -> None:
        while True:
            with self._wake:
                while not (self._stopped or self._full or self._requests):
                    self._wake.wait()
                if self._stopped:
                    return
                full, self._full = self._full, False
                requests, self._requests = self._requests, set()
                self._busy = True
            try:
                wanted = None if full else requests
                self._deliver(wanted, self._read(wanted))
            except Exception as error:  # reported on screen; the next change reads again
                self._failed(error)
            finally:
                with self._wake:
                    self._busy = False
