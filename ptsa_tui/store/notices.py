"""Customer notices: what the daemon sends a customer, and what a desk shows was sent.

Migration 0010's trigger raises them with the events (registered, paused, resolved, closed),
one row per (event, channel); they are delivered under `store.delivery`'s rules, as alerts
are. The text is the daemon's to render, from `[notify]`, at send time.
"""

from contextlib import AbstractContextManager
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from ptsa_tui.store import delivery
from ptsa_tui.store.delivery import NOTICES, Delivery, Held, Retry

PURPOSES = ("registered", "paused", "ready", "closed")
NOTICE_RAISED = "notice"  # the NOTIFY kind the trigger sends: the daemon wakes for it


@dataclass(frozen=True)
class NoticeDue:
    """A notice ready to send, with what its text needs (never the customer's NIK)."""

    notice_id: int
    request_id: int
    task_id: int | None
    purpose: str
    channel: str
    address: str
    attempts: int
    created_at: datetime
    tracking_no: str
    service: str | None
    subject: str
    sop_due_at: datetime | None
    reason: str | None  # a pause's: what the customer must bring
    answer: str | None


@dataclass(frozen=True)
class NoticeRow:
    """A notice as the request screen lists it."""

    purpose: str
    channel: str
    address: str
    status: str
    attempts: int
    last_error: str | None
    created_at: datetime
    sent_at: datetime | None


_TAKE_DUE = """
WITH picked AS (
    SELECT id FROM notice
    WHERE status = 'pending' AND next_attempt_at <= :now
    ORDER BY next_attempt_at
    LIMIT :limit
    FOR UPDATE SKIP LOCKED
)
SELECT n.id, n.request_id, e.task_id, n.purpose, n.channel, n.address, n.attempts,
       n.created_at, r.tracking_no, s.name, r.subject, r.sop_due_at, e.details->>'reason',
       r.resolution
FROM picked p
JOIN notice n ON n.id = p.id
JOIN event e ON e.id = n.event_id
JOIN request r ON r.id = n.request_id
LEFT JOIN service s ON s.id = r.service_id
ORDER BY n.next_attempt_at, n.id
"""

_OF_REQUEST = """
SELECT purpose, channel, address, status, attempts, last_error, created_at, sent_at
FROM notice WHERE request_id = :request ORDER BY created_at, id
"""

_DUE_FIELDS = [f.name for f in fields(NoticeDue)]


def _due(row: Any) -> NoticeDue:
    return NoticeDue(**dict(zip(_DUE_FIELDS, row, strict=True)))


class NoticeOutbox:
    """The daemon's door to the notices: every write it makes to them goes through here."""

    def __init__(self, engine: Engine, retry: Retry, daemon: str) -> None:
        self.engine = engine
        self.retry = retry
        self.daemon = daemon

    def delivering(self, *, now: datetime) -> AbstractContextManager[Delivery[NoticeDue] | None]:
        """Lock the next due notice until the block ends; commit what the block recorded."""
        return delivery.delivering(self.engine, _TAKE_DUE, now, self._delivery)

    def delivering_batch(
        self, *, now: datetime, limit: int
    ) -> AbstractContextManager[list[Delivery[NoticeDue]]]:
        """Lock up to `limit` due notices until the block ends; commit what it recorded."""
        return delivery.delivering_batch(self.engine, _TAKE_DUE, now, self._delivery, limit)

    def _delivery(self, row: Any) -> Delivery[NoticeDue]:
        due = _due(row)
        held = Held(
            row_id=due.notice_id,
            request_id=due.request_id,
            task_id=due.task_id,
            attempts=due.attempts,
            created_at=due.created_at,
            details={"notice": due.notice_id, "purpose": due.purpose, "channel": due.channel},
        )
        return Delivery(NOTICES, held, due, self.retry, self.daemon)

    def preview(self, *, now: datetime, limit: int = 1000) -> list[NoticeDue]:
        """What a pass would send at `now`; changes nothing."""
        with Session(self.engine) as session:
            rows = session.execute(text(_TAKE_DUE), {"now": now, "limit": limit}).all()
            session.rollback()
        return [_due(row) for row in rows]


def notices_of(session: Session, request_id: int) -> list[NoticeRow]:
    """What the customer was sent about a request, oldest first."""
    rows = session.execute(text(_OF_REQUEST), {"request": request_id}).all()
    return [NoticeRow(*row) for row in rows]
