"""One process's rules, shared by its threads, reloaded only when the database says so.

Migration 0004 NOTIFYs kind "rules" whenever a calendar override or a unit's claim SLA
changes. Wiring:
- a process that already LISTENs (the desk app, through `store.listener.listen`) passes
  every change it hears to `heard`, and calls `reconnected` each time its listener
  (re)connects, since a listener that was down missed notifications;
- a process without a LISTEN loop (the alert daemon) calls `watch` once, and sets `stop`
  and joins the thread it returns when it ends.
Either way `get()` is the one call for the current rules, and `Workflow(..., rules=shared)`
counts its deadlines with them.
"""

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from ptsa_tui.config import Settings
from ptsa_tui.store.listener import Change, listen
from ptsa_tui.store.rules import Rules, load_rules

if TYPE_CHECKING:
    from ptsa_tui.store.embedded_keeper import EmbeddedKeeper

RULES_CHANGED = "rules"  # the NOTIFY kind the rules' triggers send


class SharedRules:
    """The current `Rules`, loaded on first use and again after each invalidation."""

    def __init__(self, engine: Engine, settings: Settings) -> None:
        self.engine = engine
        self.settings = settings
        self._lock = threading.Lock()  # guards the two fields below; held only briefly
        self._rules: Rules | None = None
        self._latest: Rules | None = None  # kept across invalidations, for `latest`
        self._generation = 0  # bumped by every invalidation
        self._loading = threading.Lock()  # one load at a time: concurrent first users wait

    def get(self) -> Rules:
        with self._lock:
            if self._rules is not None:
                return self._rules
        with self._loading:
            with self._lock:
                if self._rules is not None:  # another thread loaded it while we waited
                    return self._rules
                generation = self._generation
            with Session(self.engine) as session:
                rules = load_rules(session, self.settings)
            with self._lock:
                # An invalidation heard during the load may postdate what it read: the
                # caller gets these rules, the next one loads afresh.
                if self._generation == generation:
                    self._rules = rules
                self._latest = rules
            return rules

    def latest(self) -> Rules | None:
        """The rules last loaded, even when a change has been heard since (None before the
        first load): for what a screen shows, which must never wait for the database."""
        with self._lock:
            return self._latest

    def heard(self, change: Change) -> None:
        """Pass every change a listener hears; only a rules change costs anything."""
        if change.kind == RULES_CHANGED:
            self._invalidate()

    def reconnected(self) -> None:
        """The listener (re)connected: whatever changed while it was down went unheard."""
        self._invalidate()

    def watch(
        self,
        url: str,
        stop: threading.Event,
        on_connected: Callable[[bool], None] | None = None,
        keeper: "EmbeddedKeeper | None" = None,
        on_change: Callable[[Change], None] | None = None,
    ) -> threading.Thread:
        """LISTEN on `url` (libpq form) in a daemon thread, until `stop` is set; join it then.

        `on_connected(up)` is told, after the cache, each time the link goes up or down;
        `on_change`, after the cache, every change heard.
        """

        def changed(change: Change) -> None:
            self.heard(change)
            if on_change is not None:
                on_change(change)

        def connected(up: bool) -> None:
            if up:
                self.reconnected()
            if on_connected is not None:
                on_connected(up)

        thread = threading.Thread(
            target=listen,
            args=(url,),
            kwargs={
                "on_change": changed,
                "on_connected": connected,
                "stop": stop,
                "keeper": keeper,
            },
            name="ptsa-rules-watch",
            daemon=True,
        )
        thread.start()
        return thread

    def _invalidate(self) -> None:
        with self._lock:
            self._rules = None
            self._generation += 1
