"""Locked outbox rows, sent by the caller, then recorded as sent or failed in the same
transaction: each row, its attempt and its audit event. Alerts and customer notices share it.

Rows are held FOR UPDATE SKIP LOCKED, a small batch at a time, for the length of their sends,
and their outcomes are written in one transaction at the end: a crash rolls the locks back, and
the only sends that can be repeated are the batch's, in flight.
"""

from collections.abc import Callable, Iterator, Sequence
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
    """The caller sends `due`, then calls `sent` or `failed` once; the batch it came in writes
    the outcome (its row, its attempt, its audit event) when the batch ends."""

    def __init__(self, box: Box, held: Held, due: DueT, retry: Retry, daemon: str) -> None:
        self.box = box
        self.held = held
        self.due = due
        self.retry = retry
        self.daemon = daemon
        self.outcome: str | None = None
        self.at: datetime | None = None
        self.error: str | None = None

    def sent(self, now: datetime) -> None:
        self.outcome, self.at = "sent", now

    def failed(self, now: datetime, error: str, *, final: bool = False) -> str:
        """Note the failure; returns "retry" (with backoff) or "failed" (given up, after
        `give_up_after`, or at once when `final`: a send that can never succeed)."""
        gave_up = final or now - self.held.created_at >= self.retry.give_up_after
        self.outcome, self.at, self.error = ("failed" if gave_up else "retry"), now, error
        return self.outcome

    def next_attempt_at(self) -> datetime:
        assert self.at is not None
        if self.outcome == "retry":
            return self.at + self.retry.wait(self.held.attempts)
        return self.at

    def event(self) -> audit.NewEvent:
        held = self.held
        assert self.at is not None
        if self.outcome == "sent":
            kind, extra = "sent", held.sent_details
        else:
            kind = "given_up" if self.outcome == "failed" else "failed"
            extra = {"error": self.error, "attempts": held.attempts + 1}
        return audit.NewEvent(
            f"{self.box.kind}_{kind}",
            self.at,
            None,
            held.request_id,
            held.task_id,
            {**held.details, **extra},
        )


def _record(session: Session, done: "Sequence[Delivery[Any]]") -> None:
    """Every outcome of a batch, one box's, in at most four statements."""
    table = done[0].box.table  # a constant of ours, never input
    sent = [d for d in done if d.outcome == "sent"]
    failed = [d for d in done if d.outcome != "sent"]
    if sent:
        session.execute(
            text(
                f"UPDATE {table} SET status = 'sent', sent_at = :at,"
                " attempts = attempts + 1, last_error = NULL WHERE id = :id"
            ),
            [{"id": d.held.row_id, "at": d.at} for d in sent],
        )
    if failed:
        session.execute(
            text(
                f"UPDATE {table} SET status = :status, attempts = attempts + 1,"
                " last_error = :error, next_attempt_at = :next WHERE id = :id"
            ),
            [
                {
                    "id": d.held.row_id,
                    "status": "failed" if d.outcome == "failed" else "pending",
                    "error": d.error,
                    "next": d.next_attempt_at(),
                }
                for d in failed
            ],
        )
    session.execute(
        text(
            f"INSERT INTO {table}_attempt ({table}_id, at, ok, error, daemon)"
            " VALUES (:id, :at, :ok, :error, :daemon)"
        ),
        [
            {
                "id": d.held.row_id,
                "at": d.at,
                "ok": d.outcome == "sent",
                "error": d.error,
                "daemon": d.daemon,
            }
            for d in done
        ],
    )
    audit.record_all(session, [d.event() for d in done])


@contextmanager
def delivering_batch(
    engine: Engine,
    take_due: str,
    now: datetime,
    build: Callable[[Any], Delivery[DueT]],
    limit: int,
) -> Iterator[list[Delivery[DueT]]]:
    """Lock up to `limit` rows `take_due` picks (it takes :now and :limit) until the block
    ends, then record and commit every outcome the block noted; a row neither sent nor failed
    stays due. A crash before the commit repeats at most these `limit` sends."""
    with Session(engine) as session:
        rows = session.execute(text(take_due), {"now": now, "limit": limit}).all()
        batch = [build(row) for row in rows]
        try:
            yield batch
        except BaseException:
            session.rollback()
            raise
        done = [d for d in batch if d.outcome is not None]
        if done:
            _record(session, done)
            session.commit()
        else:
            session.rollback()


@contextmanager
def delivering(
    engine: Engine,
    take_due: str,
    now: datetime,
    build: Callable[[Any], Delivery[DueT]],
) -> Iterator[Delivery[DueT] | None]:
    """The next due row alone, as `delivering_batch` of one."""
    with delivering_batch(engine, take_due, now, build, 1) as batch:
        yield batch[0] if batch else None
