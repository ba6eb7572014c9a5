"""One locked outbox row, sent by the caller, then recorded as sent or failed in the same
transaction: its row, its attempt and its audit event. Alerts and customer notices share it.

A row is held FOR UPDATE SKIP LOCKED for the length of the send, so a crash rolls the lock
back and the only send that can be repeated is the one that was in flight.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Generic, TypeVar

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from ptsa_tui.store import audit


@dataclass(frozen=True)
class Retry:
    """How failed sends are retried: doubling waits, then given up."""

    retry_after: timedelta = timedelta(seconds=30)
    retry_max: timedelta = timedelta(minutes=30)
    give_up_after: timedelta = timedelta(hours=24)

    def wait(self, attempts: int) -> timedelta:
        doubled: timedelta = self.retry_after * 2 ** min(attempts, 20)
        return min(doubled, self.retry_max)


@dataclass(frozen=True)
class Box:
    """An outbox table: `table` with its `table_attempt` log; events are `kind_sent` etc."""

    table: str  # "alert" or "notice": a constant of ours, never input
    kind: str


ALERTS = Box(table="alert", kind="alert")
NOTICES = Box(table="notice", kind="notice")


@dataclass(frozen=True)
class Held:
    """What the delivery records about its row."""

    row_id: int
    request_id: int
    task_id: int | None
    attempts: int
    created_at: datetime
    details: dict[str, Any]  # the audit events' details, besides the outcome's
    sent_details: dict[str, Any] = field(default_factory=dict)  # the sent event's, besides


DueT = TypeVar("DueT")


class Delivery(Generic[DueT]):
    """The caller sends `due`, then calls `sent` or `failed` once."""

    def __init__(
        self, session: Session, box: Box, held: Held, due: DueT, retry: Retry, daemon: str
    ) -> None:
        self.session = session
        self.box = box
        self.held = held
        self.due = due
        self.retry = retry
        self.daemon = daemon
        self.outcome: str | None = None

    def _attempt(self, now: datetime, ok: bool, error: str | None) -> None:
        table = self.box.table
        self.session.execute(
            text(
                f"INSERT INTO {table}_attempt ({table}_id, at, ok, error, daemon)"
                " VALUES (:id, :at, :ok, :error, :daemon)"
            ),
            {"id": self.held.row_id, "at": now, "ok": ok, "error": error, "daemon": self.daemon},
        )

    def _event(self, outcome: str, now: datetime, **details: Any) -> None:
        held = self.held
        audit.record(
            self.session,
            kind=f"{self.box.kind}_{outcome}",
            at=now,
            officer_id=None,
            request_id=held.request_id,
            task_id=held.task_id,
            details={**held.details, **details},
        )

    def sent(self, now: datetime) -> None:
        self.session.execute(
            text(
                f"UPDATE {self.box.table} SET status = 'sent', sent_at = :now,"
                " attempts = attempts + 1, last_error = NULL WHERE id = :id"
            ),
            {"id": self.held.row_id, "now": now},
        )
        self._attempt(now, True, None)
        self._event("sent", now, **self.held.sent_details)
        self.outcome = "sent"

    def failed(self, now: datetime, error: str, *, final: bool = False) -> str:
        """Record the failure; returns "retry" (with backoff) or "failed" (given up, after
        `give_up_after`, or at once when `final`: a send that can never succeed)."""
        held = self.held
        gave_up = final or now - held.created_at >= self.retry.give_up_after
        self.session.execute(
            text(
                f"UPDATE {self.box.table} SET status = :status, attempts = attempts + 1,"
                " last_error = :error, next_attempt_at = :next WHERE id = :id"
            ),
            {
                "id": held.row_id,
                "status": "failed" if gave_up else "pending",
                "error": error,
                "next": now if gave_up else now + self.retry.wait(held.attempts),
            },
        )
        self._attempt(now, False, error)
        self.outcome = "failed" if gave_up else "retry"
        self._event(
            "given_up" if gave_up else "failed", now, error=error, attempts=held.attempts + 1
        )
        return self.outcome


@contextmanager
def delivering(
    engine: Engine,
    take_due: str,
    now: datetime,
    build: Callable[[Session, Any], Delivery[DueT]],
) -> Iterator[Delivery[DueT] | None]:
    """Lock the next row `take_due` picks (it takes :now and :limit) until the block ends, and
    commit what the block recorded; a block that neither sent nor failed it leaves it due."""
    with Session(engine) as session:
        row = session.execute(text(take_due), {"now": now, "limit": 1}).first()
        if row is None:
            session.rollback()
            yield None
            return
        delivery = build(session, row)
        try:
            yield delivery
        except BaseException:
            session.rollback()
            raise
        if delivery.outcome is None:
            session.rollback()
        else:
            session.commit()
