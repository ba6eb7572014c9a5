"""The live link (LISTEN on its own connection) and presence, run in the app's thread workers."""

import os
import socket
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from ptsa_tui.screens.messages import LinkChanged

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from ptsa_tui.screens.app import DeskApp
    from ptsa_tui.store.listener import Change

PRESENCE_EVERY = timedelta(seconds=20)  # as store.presence.TOUCH_EVERY; its TTL is 60 s


class LiveLink:
    """Runs the store's blocking listen loop: hands each change to the app (from this thread,
    so the app's inbox reader starts at once) and posts LinkChanged."""

    def __init__(self, app: "DeskApp", url: str, *, retry_every: float = 1.0) -> None:
        self.app = app
        self.url = url
        self.retry_every = retry_every
        self.stop = threading.Event()

    def run(self) -> None:
        from ptsa_tui.store.listener import listen

        listen(
            self.url,
            on_change=self._changed,
            on_connected=self._connected,
            stop=self.stop,
            retry_every=self.retry_every,
        )

    def _changed(self, change: "Change") -> None:
        if change.kind.startswith("login"):
            return
        self.app.store_changed(change.unit_id, change.request_id)

    def _connected(self, connected: bool) -> None:
        self.app.post_message(LinkChanged(connected))


class PresenceBeat:
    """Refreshes this app's presence row: on a timer, and on activity at most every 20 s."""

    def __init__(self, engine: "Engine", officer_id: int, clock: Callable[[], datetime]) -> None:
        self.engine = engine
        self.officer_id = officer_id
        self.clock = clock
        self.host = socket.gethostname()
        self.pid = os.getpid()
        self._last: datetime | None = None
        self._lock = threading.Lock()

    def due(self) -> bool:
        return self._last is None or self.clock() - self._last >= PRESENCE_EVERY

    def touch(self) -> None:
        from ptsa_tui.store.presence import touch

        with self._lock:
            now = self.clock()
            touch(self.engine, officer_id=self.officer_id, host=self.host, pid=self.pid, now=now)
            self._last = now

    def leave(self) -> None:
        from ptsa_tui.store.presence import leave

        leave(self.engine, officer_id=self.officer_id, host=self.host, pid=self.pid)
