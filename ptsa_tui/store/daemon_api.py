"""The store as the alert daemon sees it: its outbox, its leader lock, its heartbeat, its rules.

The daemon holds one of these and never an engine or a connection of its own.
"""

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from ptsa_tui.store import heartbeat
from ptsa_tui.store.heartbeat import Beat, once_name
from ptsa_tui.store.leader import Leadership
from ptsa_tui.store.notices import NOTICE_RAISED, NoticeOutbox
from ptsa_tui.store.outbox import Ladder, Outbox

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from ptsa_tui.config import Settings
    from ptsa_tui.store.embedded_keeper import EmbeddedKeeper
    from ptsa_tui.store.listener import Change
    from ptsa_tui.store.rules import Rules
    from ptsa_tui.store.shared_rules import SharedRules
    from ptsa_tui.store.status_lookup import RequestStatus

__all__ = ["Beat", "DaemonStore", "Ladder", "Leadership", "NoticeOutbox", "Outbox", "once_name"]


class DaemonStore:
    def __init__(
        self, engine: "Engine", settings: "Settings", keeper: "EmbeddedKeeper | None" = None
    ) -> None:
        self._engine = engine
        self._settings = settings
        self._shared_rules: SharedRules | None = None
        self._stop_watching = threading.Event()
        self._keeper = keeper  # on the embedded server: let go of it when it stops, revive it
        self._leaderships: list[Leadership] = []
        if keeper is not None:
            keeper.on_stop(self._let_go)

    @classmethod
    def connect(
        cls, url: str, settings: "Settings", keeper: "EmbeddedKeeper | None" = None
    ) -> "DaemonStore":
        """A store on `url`, checked reachable and migrated to the latest schema."""
        from ptsa_tui.store.database import check_reachable, make_engine
        from ptsa_tui.store.migrate import ensure_schema

        # a connection for each sending thread, and one for the pass itself
        engine = make_engine(url, channel="daemon", pool_size=settings.alerts.senders + 1)
        check_reachable(engine)
        ensure_schema(engine, settings.database_owner_url or None)
        return cls(engine, settings, keeper)

    def outbox(self, ladder: Ladder, daemon: str) -> Outbox:
        return Outbox(self._engine, ladder, daemon)

    def notices(self, ladder: Ladder, daemon: str) -> NoticeOutbox:
        """The customers' outbox, retried as the alerts are."""
        return NoticeOutbox(self._engine, ladder.retry, daemon)

    def _libpq_url(self) -> str:
        url = self._engine.url.set(drivername="postgresql")
        return url.render_as_string(hide_password=False)

    def leadership(self) -> Leadership:
        """The leader lock, on a dedicated connection of its own (a session lock needs one)."""
        leadership = Leadership(self._libpq_url())
        self._leaderships.append(leadership)
        return leadership

    def watch(self, on_notice: Callable[[], None] | None = None) -> "SharedRules":
        """The rules, kept fresh by a LISTEN of their own, which also keeps the embedded
        server: started with the daemon, so a standby that reads no rules keeps it too.
        `on_notice` is called whenever a customer notice was raised."""
        if self._shared_rules is None:
            from ptsa_tui.store.shared_rules import SharedRules

            def changed(change: "Change") -> None:
                if on_notice is not None and change.kind == NOTICE_RAISED:
                    on_notice()

            self._shared_rules = SharedRules(self._engine, self._settings)
            self._shared_rules.watch(
                self._libpq_url(), self._stop_watching, keeper=self._keeper, on_change=changed
            )
        return self._shared_rules

    def request_status(self, tracking_no: str, sender: str) -> "RequestStatus | None":
        """A request's status for an SMS from the phone on it; None for any other sender."""
        from ptsa_tui.store.status_lookup import request_status, same_phone

        return request_status(self._engine, tracking_no, same_phone(sender))

    def rules(self) -> "Rules":
        """The rules every desk counts with."""
        return self.watch().get()

    def _let_go(self) -> None:
        for leadership in self._leaderships:
            leadership.close()  # the lock goes with it; the next pass takes it again
        self._engine.dispose()

    def stop_watching(self) -> None:
        self._stop_watching.set()

    def beat(self, beat: Beat) -> tuple[int, int]:
        """Write this daemon's heartbeat; returns the (pending, failed) counts it wrote."""
        return heartbeat.write(self._engine, beat)

    def forget(self, daemon: str) -> None:
        heartbeat.remove(self._engine, daemon)

    def close(self) -> None:
        self.stop_watching()
        self._engine.dispose()
