"""A desk's inbox: its unit's open tasks split into tabs, plus what the unit finished today."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Literal
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from ptsa_tui.store.clock import lateness
from ptsa_tui.store.database import bare_connection
from ptsa_tui.store.rights import Actor
from ptsa_tui.store.rules import Rules
from ptsa_tui.store.task_rows import COLUMNS, TABLES, TaskRow, task_rows
from ptsa_tui.store.timeutil import as_utc

DONE_LIMIT = 500  # a day's finished work; older history is in `ptsa task list`


@dataclass(frozen=True, slots=True)
class Countdown:
    level: Literal["ok", "at_risk", "late"]
    remaining: timedelta  # negative once late
    paused: bool = False  # on the office clock out of hours: it stands still until opening


def countdown(
    claim_due_at: datetime, now: datetime, *, rules: Rules, warn_before: timedelta
) -> Countdown:
    """How long until the claim deadline, on the clock the deadline was set on."""
    remaining = -lateness(claim_due_at, now, calendar=rules.calendar, clock=rules.clock)
    paused = rules.clock == "office" and not rules.calendar.is_open_at(now)
    if remaining < timedelta(0):
        return Countdown("late", remaining, paused)
    return Countdown("at_risk" if remaining <= warn_before else "ok", remaining, paused)


# One round trip: the unit's open tasks, then what it closed since midnight (latest first).
INBOX = """
(SELECT {columns} FROM {tables} WHERE t.unit_id = %(unit)s AND t.closed_at IS NULL{only})
UNION ALL
(SELECT {columns} FROM {tables} WHERE t.unit_id = %(unit)s AND t.closed_at >= %(midnight)s{only}
 ORDER BY t.closed_at DESC LIMIT %(done_limit)s)
"""
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
) -> list[TaskRow]:
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
        return task_rows(found, me=user.officer_id)
