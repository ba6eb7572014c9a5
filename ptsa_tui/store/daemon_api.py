"""The store as the alert daemon sees it: its outbox, its leader lock, its heartbeat, its rules.

The daemon holds one of these and never an engine or a connection of its own.
"""

from typing import TYPE_CHECKING

from ptsa_tui.store import heartbeat
from ptsa_tui.store.heartbeat import Beat
from ptsa_tui.store.leader import Leadership
from ptsa_tui.store.outbox import Ladder, Outbox

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from ptsa_tui.config import Settings
    from ptsa_tui.store.rules import Rules

__all__ = ["Beat", "DaemonStore", "Ladder", "Leadership", "Outbox"]


class DaemonStore:
    def __init__(self, engine: "Engine") -> None:
        self._engine = engine

    @classmethod
    def connect(cls, url: str) -> "DaemonStore":
        """A store on `url`, checked reachable and migrated to the latest schema."""
        from ptsa_tui.store.database import check_reachable, make_engine
        from ptsa_tui.store.migrate import ensure_schema

        engine = make_engine(url)
        check_reachable(engine)
        ensure_schema(engine)
        return cls(engine)

    def outbox(self, ladder: Ladder, daemon: str) -> Outbox:
        return Outbox(self._engine, ladder, daemon)

    def leadership(self) -> Leadership:
        """The leader lock, on a dedicated connection of its own (a session lock needs one)."""
        url = self._engine.url.set(drivername="postgresql")
        return Leadership(url.render_as_string(hide_password=False))

    def rules(self, settings: "Settings", outbox: Outbox) -> "Rules":
        return outbox.rules(settings)

    def beat(self, beat: Beat) -> tuple[int, int]:
        """Write this daemon's heartbeat; returns the (pending, failed) counts it wrote."""
        return heartbeat.write(self._engine, beat)

    def forget(self, daemon: str) -> None:
        heartbeat.remove(self._engine, daemon)

    def close(self) -> None:
        self._engine.dispose()
