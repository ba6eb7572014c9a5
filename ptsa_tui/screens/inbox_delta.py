"""The inbox rows of a few requests only, so one change does not re-read a 10,000-row inbox.

TEMPORARY: this belongs in `ptsa_tui/store/inbox.py` as a `request_ids=` filter of
`load_inbox` (the same query, one more WHERE). It is read-only and builds exactly the rows
`load_inbox` builds, with the store's own row and tab functions.
"""

from collections.abc import Collection
from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlalchemy import select as select_columns
from sqlalchemy.orm import Session, aliased
from sqlmodel import col

from ptsa_tui.store.inbox import InboxRow, _row
from ptsa_tui.store.login import DeskUser
from ptsa_tui.store.models import Customer, Officer, Request, Service, Task
from ptsa_tui.store.timeutil import as_utc


def load_inbox_of(
    engine: Engine,
    *,
    user: DeskUser,
    now: datetime,
    request_ids: Collection[int],
    timezone: tzinfo | None = None,
) -> list[InboxRow]:
    """What `load_inbox` would return for these requests: open, or closed here today."""
    local = as_utc(now).astimezone(timezone or ZoneInfo("Asia/Jakarta"))
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    holder = aliased(Officer)
    query = (
        select_columns(
            col(Task.id),
            col(Task.request_id),
            col(Request.tracking_no),
            col(Service.code),
            col(Service.name),
            col(Customer.name),
            col(Request.subject),
            col(Task.position),
            col(Task.purpose),
            col(Task.offered_at),
            col(Task.claim_due_at),
            col(Request.sop_due_at),
            col(holder.username),
            col(holder.full_name),
            col(Task.claimed_by),
            col(Task.closed_at),
            col(Task.outcome),
        )
        .join(Request, col(Request.id) == col(Task.request_id))
        .join(Customer, col(Customer.id) == col(Request.customer_id))
        .outerjoin(Service, col(Service.id) == col(Request.service_id))
        .outerjoin(holder, col(holder.id) == col(Task.claimed_by))
        .where(col(Task.unit_id) == user.unit_id, col(Task.request_id).in_(list(request_ids)))
        .where(col(Task.closed_at).is_(None) | (col(Task.closed_at) >= midnight))
    )
    with Session(engine) as session:
        return [_row(r, user) for r in session.execute(query)]
