"""The audit event and the NOTIFY that go with every state change, in its transaction."""

import json
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from ptsa_tui.store.models import Event

CHANNEL = "ptsa"


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
    session.execute(
        insert(Event).values(
            kind=kind,
            at=at,
            officer_id=officer_id,
            request_id=request_id,
            task_id=task_id,
            details=details or {},
        )
    )


def notify(
    session: Session,
    *,
    kind: str,
    request_id: int | None = None,
    task_id: int | None = None,
    unit_id: int | None = None,
) -> None:
    """Queue a NOTIFY; PostgreSQL delivers it on commit and drops it on rollback."""
    payload = json.dumps({"request": request_id, "task": task_id, "unit": unit_id, "kind": kind})
    session.execute(select(func.pg_notify(CHANNEL, payload)))
