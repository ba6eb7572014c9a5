"""A desk's or daemon's hold on the embedded server it runs on: let go when the server is asked
to stop, start it again once it has.

A plain `kill` makes PostgreSQL wait for every session to end before it stops, refusing new
ones meanwhile; a process that kept its connections would hold it in "stopping" for ever. The
server is theirs, on their machine, so whoever comes back first starts it again (the wheel
serialises the starts). On PTSA_DATABASE_URL there is no keeper: they only reconnect.
"""

import logging
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path

from ptsa_tui.store.embedded import server_status

log = logging.getLogger(__name__)


class EmbeddedKeeper:
    def __init__(self, home: Path) -> None:
        self.home = home
        self._let_go: list[Callable[[], None]] = []

    def on_stop(self, let_go: Callable[[], None]) -> None:
        """`let_go` closes connections of the caller's own (a pool, a lock's session)."""
        self._let_go.append(let_go)

    def holding(self) -> bool:
        """Asked by a listener between two polls: False, once every connection was let go,
        when the server was asked to stop; the listener then closes its own."""
        if server_status(self.home) != "stopping":
            return True
        log.info("embedded server stopping; closing this process's connections")
        for let_go in self._let_go:
            with suppress(Exception):  # each one closes what it can; none may stop the rest
                let_go()
        return False

    def revive(self) -> None:
        """Before a listener reconnects: the server started again when it has stopped, or
        DatabaseUnavailable while it cannot be (still stopping, or failing to start)."""
        if server_status(self.home) == "ready":
            return
        from ptsa_tui.store.urls import start_embedded

        start_embedded(self.home)
