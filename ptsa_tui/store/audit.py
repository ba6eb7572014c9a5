"""The audit event: Python's one way to write one. Its NOTIFY is the database's own.

Migration 0004's trigger on `event` NOTIFYs on `CHANNEL` for each new row, in the writing
transaction, so the listeners hear of a change on commit and never of a rolled-back one.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Session

CHANNEL = "ptsa"  # what the triggers NOTIFY on; store.listener LISTENs on it


@dataclass(frozen=True)
class NewEvent:
    kind: str
    at: datetime
    officer_id: int | None
    request_id: int | None = None
    task_id: int | None = None
    details: dict[str, Any] = field(default_factory=dict)


def record(
    session: Session,
    *,
    kind: str,
    at: datetime,
    officer_id: int | None,
    request_id: int | None = None,
    task_id: int | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    record_all(session, [NewEvent(kind, at, officer_id, request_id, task_id, details or {})])


# One statement however many rows: the alert scan raises hundreds at once.
_INSERT = text("""
INSERT INTO event (kind, at, officer_id, request_id, task_id, details)
SELECT * FROM unnest(CAST(:kinds AS text[]), CAST(:ats AS timestamptz[]),
                     CAST(:officers AS integer[]), CAST(:requests AS integer[]),
                     CAST(:tasks AS integer[]), CAST(:details AS jsonb[]))
""").bindparams(bindparam("details", type_=ARRAY(JSONB)))


def record_all(session: Session, events: Sequence[NewEvent]) -> None:
    if not events:
        return
    # The chain trigger locks each request's chain head in row order: one order for every
    # writer, so two batches never wait on each other in a circle.
    events = sorted(events, key=lambda e: e.request_id or 0)
    session.flush()  # the rows the events are about first: the trigger reads them
    session.execute(
        _INSERT,
        {
            "kinds": [e.kind for e in events],
            "ats": [e.at for e in events],
            "officers": [e.officer_id for e in events],
            "requests": [e.request_id for e in events],
            "tasks": [e.task_id for e in events],
            "details": [e.details for e in events],
        },
    )
