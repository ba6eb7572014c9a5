"""A desk's inbox: its unit's open tasks split into tabs, plus what the unit finished today."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Any, Literal
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlalchemy import select as select_columns
from sqlalchemy.orm import Session, aliased
from sqlmodel import col

from ptsa_tui.store.clock import lateness
from ptsa_tui.store.login import DeskUser
from ptsa_tui.store.models import Customer, Officer, Request, Service, Task
from ptsa_tui.store.rules import Rules
from ptsa_tui.store.timeutil import as_utc

Tab = Literal["queue", "mine", "team", "done", "deliver"]
DONE_LIMIT = 500  # a day's finished work; older history is in `ptsa task list`


@dataclass(frozen=True, slots=True)
class InboxRow:
    task_id: int
    request_id: int
    tracking_no: str
    service_code: str | None
    service_name: str | None
    customer: str
    subject: str
    position: str
    purpose: str
    offered_at: datetime
    claim_due_at: datetime
    sop_due_at: datetime | None
    claimed_by: str | None
    claimed_by_name: str | None
    closed_at: datetime | None
    outcome: str | None
    tab: Tab


@dataclass(frozen=True, slots=True)
class Countdown:
    level: Literal["ok", "at_risk", "late"]
    remaining: timedelta  # negative once late


def countdown(
    claim_due_at: datetime, now: datetime, *, rules: Rules, warn_before: timedelta
) -> Countdown:
    """How long until the claim deadline, on the clock the deadline was set on."""
    remaining = -lateness(claim_due_at, now, calendar=rules.calendar, clock=rules.clock)
    if remaining < timedelta(0):
        return Countdown("late", remaining)
    return Countdown("at_risk" if remaining <= warn_before else "ok", remaining)


def load_inbox(
    engine: Engine,
    *,
    user: DeskUser,
    now: datetime,
    timezone: tzinfo | None = None,
    request_ids: Collection[int] | None = None,
) -> list[InboxRow]:
    """Open tasks of the user's unit, and the tasks it closed since midnight in `timezone`.

    With `request_ids`, only those requests' rows: what one change needs to refresh, without
    re-reading a whole inbox.
    """
    now = as_utc(now)
    local = now.astimezone(timezone or ZoneInfo("Asia/Jakarta"))
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
        .where(col(Task.unit_id) == user.unit_id)
    )
    if request_ids is not None:
        query = query.where(col(Task.request_id).in_(list(request_ids)))
    with Session(engine) as session:
        open_rows = session.execute(query.where(col(Task.closed_at).is_(None))).all()
        done_rows = session.execute(
            query.where(col(Task.closed_at) >= midnight)
            .order_by(col(Task.closed_at).desc())
            .limit(DONE_LIMIT)
        ).all()
    return [_row(r, user) for r in open_rows] + [_row(r, user) for r in done_rows]


def _row(r: Any, user: DeskUser) -> InboxRow:
    (task_id, request_id, tracking_no, service_code, service_name, customer, subject) = r[:7]
    (position, purpose, offered_at, claim_due_at, sop_due_at) = r[7:12]
    (holder, holder_name, holder_id, closed_at, outcome) = r[12:]
    return InboxRow(
        task_id=task_id,
        request_id=request_id,
        tracking_no=tracking_no,
        service_code=service_code,
        service_name=service_name,
        customer=customer,
        subject=subject,
        position=position,
        purpose=purpose,
        offered_at=offered_at,
        claim_due_at=claim_due_at,
        sop_due_at=sop_due_at,
        claimed_by=holder,
        claimed_by_name=holder_name,
        closed_at=closed_at,
        outcome=outcome,
        tab=_tab(purpose, holder_id, closed_at, user),
    )


def _tab(purpose: str, holder_id: int | None, closed_at: datetime | None, user: DeskUser) -> Tab:
    if closed_at is not None:
        return "done"
    mine_or_free = holder_id in (None, user.officer_id)
    if user.position == "P0" and purpose == "deliver" and mine_or_free:
        return "deliver"
    if holder_id is None:
        return "queue"
    return "mine" if holder_id == user.officer_id else "team"
