"""The live link (LISTEN on its own connection) and presence, run in the app's thread workers."""

import os
import socket
import threading
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from ptsa_tui.screens.messages import LinkChanged
from ptsa_tui.store.api import TOUCH_EVERY

if TYPE_CHECKING:
    from ptsa_tui.screens.app import DeskApp
    from ptsa_tui.store.api import Change, DeskStore


class LiveLink:
    """Runs the store's blocking listen loop: hands each change to the app (from this thread,
    so the app's inbox reader starts at once) and posts LinkChanged."""

    def __init__(self, app: "DeskApp", *, retry_every: float = 1.0) -> None:
        self.app = app
        self.retry_every = retry_every
        self.stop = threading.Event()

    def run(self) -> None:
        self.app.store.listen(
            on_change=self._changed,
            on_connected=self._connected,
            stop=self.stop,
            retry_every=self.retry_every,
        )

    def _changed(self, change: "Change") -> None:
        if change.kind.startswith("login"):
            return
        self.app.store_changed(change.unit_id, change.request_id)
        self.app.heard(change)

    def _connected(self, connected: bool) -> None:
        self.app.post_message(LinkChanged(connected))


class PresenceBeat:
    """Refreshes this app's presence row: on a timer, and on activity at most every 20 s."""

    def __init__(self, store: "DeskStore", officer_id: int, clock: Callable[[], datetime]) -> None:
        self.store = store
        self.officer_id = officer_id
        self.clock = clock
        self.host = socket.gethostname()
        self.pid = os.getpid()
        self._last: datetime | None = None
        self._active_at: datetime | None = None  # the officer's last key or click
        self._lock = threading.Lock()

    def active(self) -> None:
        """The officer pressed a key or clicked: remembered here, sent with the next touch."""
        self._active_at = self.clock()

    def due(self) -> bool:
        return self._last is None or self.clock() - self._last >= TOUCH_EVERY

    def touch(self) -> None:
        with self._lock:
            now = self.clock()
            self.store.touch_presence(
                officer_id=self.officer_id,
                host=self.host,
                pid=self.pid,
                now=now,
                active_at=self._active_at,
            )
            self._last = now

    def leave(self) -> None:
        self.store.leave(officer_id=self.officer_id, host=self.host, pid=self.pid)
