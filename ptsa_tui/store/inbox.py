"""A desk's inbox: its unit's open tasks split into tabs, plus what the unit finished today."""

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Any, Literal, NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from ptsa_tui.store.clock import lateness
from ptsa_tui.store.database import bare_connection
from ptsa_tui.store.domain import Purpose
from ptsa_tui.store.rights import Actor
from ptsa_tui.store.rules import Rules
from ptsa_tui.store.timeutil import as_utc

Tab = Literal["queue", "mine", "team", "done", "deliver"]
DONE_LIMIT = 500  # a day's finished work; older history is in `ptsa task list`


class InboxRow(NamedTuple):
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
    holder_id: int | None
    request_status: str
    origin_unit_id: int
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


# One round trip: the unit's open tasks, then what it closed since midnight (latest first).
INBOX = """
(SELECT {columns} FROM {tables} WHERE t.unit_id = %(unit)s AND t.closed_at IS NULL{only})
UNION ALL
(SELECT {columns} FROM {tables} WHERE t.unit_id = %(unit)s AND t.closed_at >= %(midnight)s{only}
 ORDER BY t.closed_at DESC LIMIT %(done_limit)s)
"""
# In InboxRow's field order.
COLUMNS = """t.id, t.request_id, r.tracking_no, s.code, s.name, c.name, r.subject, t.position,
 t.purpose, t.offered_at, t.claim_due_at, r.sop_due_at, h.username, h.full_name, t.closed_at,
 t.outcome, t.claimed_by, r.status, r.origin_unit_id"""
TABLES = """task t JOIN request r ON r.id = t.request_id JOIN customer c ON c.id = r.customer_id
 LEFT JOIN service s ON s.id = r.service_id LEFT JOIN officer h ON h.id = t.claimed_by"""
# Service code and name, position, purpose, holder's username and name, outcome, status.
SHARED_COLUMNS = (3, 4, 7, 8, 12, 13, 15, 17)
ALL_REQUESTS = INBOX.format(columns=COLUMNS, tables=TABLES, only="")
SOME_REQUESTS = INBOX.format(
    columns=COLUMNS, tables=TABLES, only=" AND t.request_id = ANY(%(requests)s)"
)


def load_inbox(
    engine: Engine,
    *,
    user: Actor,
    now: datetime,
    timezone: tzinfo | None = None,
    request_ids: Collection[int] | None = None,
) -> list[InboxRow]:
    """Open tasks of the user's unit, and the tasks it closed since midnight in `timezone`.

    With `request_ids`, only those requests' rows: what one change needs to refresh, without
    re-reading a whole inbox.
    """
    if request_ids is not None and not request_ids:
        return []
    local = as_utc(now).astimezone(timezone or ZoneInfo("Asia/Jakarta"))
    params = {
        "unit": user.unit_id,
        "midnight": local.replace(hour=0, minute=0, second=0, microsecond=0),
        "done_limit": DONE_LIMIT,
        "requests": list(request_ids or ()),
    }
    # Every desk runs this on each change in its unit: the bare connection, not the ORM.
    with bare_connection(engine) as conn:
        found = conn.execute(ALL_REQUESTS if request_ids is None else SOME_REQUESTS, params)
        return _rows(found, user)


def _rows(found: Iterable[tuple[Any, ...]], user: Actor) -> list[InboxRow]:
    # Thousands of rows name the same few services, positions and officers: one string each.
    shared: dict[object, object] = {}
    rows = []
    for r in found:
        values = list(r)
        for column in SHARED_COLUMNS:
            values[column] = shared.setdefault(values[column], values[column])
        values.append(_tab(r[8], r[16], r[14], user.officer_id))
        rows.append(InboxRow._make(values))
    return rows


def _tab(purpose: str, holder_id: int | None, closed_at: datetime | None, me: int) -> Tab:
    if closed_at is not None:
        return "done"
    if purpose == Purpose.DELIVER and holder_id in (None, me):  # answers waiting to go out
        return "deliver"
    if holder_id is None:
        return "queue"
    return "mine" if holder_id == me else "team"
