"""LISTEN for committed changes on a dedicated autocommit connection, reconnecting for ever.

A listener that was disconnected has missed notifications: `on_connected(True)` after a
reconnect is the caller's cue to reload everything it shows.
"""

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import psycopg

from ptsa_tui.store.audit import CHANNEL
from ptsa_tui.store.errors import DatabaseUnavailable

if TYPE_CHECKING:
    from ptsa_tui.store.embedded_keeper import EmbeddedKeeper


@dataclass(frozen=True)
class Change:
    """One NOTIFY from migration 0004's triggers: an event's kind, "offered" for a new task,
    or "rules" (the calendar or a claim SLA changed; no request, task or unit)."""

    kind: str
    request_id: int | None
    task_id: int | None
    unit_id: int | None


def parse_change(payload: str) -> Change | None:
    """A NOTIFY payload as a Change; None for anything malformed (never fatal)."""
    try:
        data = json.loads(payload)
        return Change(
            kind=str(data["kind"]),
            request_id=data.get("request"),
            task_id=data.get("task"),
            unit_id=data.get("unit"),
        )
    except (ValueError, KeyError, TypeError):
        return None


def listen(
    url: str,
    *,
    on_change: Callable[[Change], None],
    on_connected: Callable[[bool], None],
    stop: threading.Event,
    retry_every: float = 1.0,
    poll_every: float = 0.5,
    keeper: "EmbeddedKeeper | None" = None,
) -> None:
    """Block until `stop` is set, calling `on_change` for each notification. With a `keeper`
    (the embedded server), it lets go of a server asked to stop and starts it again."""
    connected: bool | None = None  # unknown until the first attempt

    def up() -> None:
        nonlocal connected
        connected = True
        on_connected(True)

    while not stop.is_set():
        try:
            if keeper is not None:
                keeper.revive()
            _listen_until_down(url, on_change, up, stop, poll_every, keeper)
        except (psycopg.Error, DatabaseUnavailable):
            pass
        if stop.is_set():
            break
        if connected is not False:
            connected = False
            on_connected(False)
        stop.wait(retry_every)


def _listen_until_down(
    url: str,
    on_change: Callable[[Change], None],
    up: Callable[[], None],
    stop: threading.Event,
    poll_every: float,
    keeper: "EmbeddedKeeper | None",
) -> None:
    """One connection's life: until `stop`, or the keeper letting go of a stopping server."""
    with psycopg.connect(
        url, autocommit=True, connect_timeout=5, application_name="ptsa-listen"
    ) as conn:
        conn.execute(f"LISTEN {CHANNEL}")
        up()
        while not stop.is_set():
            for notice in conn.notifies(timeout=poll_every):
                change = parse_change(notice.payload)
                if change is not None:
                    on_change(change)
            if keeper is not None and not keeper.holding():
                return
