"""What a supervisor's escalation screen shows: every breached or at-risk task in scope, each
with the alerts raised for it and their delivery attempts.

Two set-based statements whatever the number of tasks: the tasks, then all their alerts with
the attempts aggregated per alert. With `request_ids`, only those requests: what one
notification can have changed, so a live update never re-reads the whole screen.
"""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine

from ptsa_tui.store.clock import claim_deadline
from ptsa_tui.store.database import bare_connection
from ptsa_tui.store.desk_lookups import row_facts
from ptsa_tui.store.escalation_scope import Scope, load_scope
from ptsa_tui.store.inbox import Countdown, countdown
from ptsa_tui.store.rights import (
    Action,
    Actor,
    TaskFacts,
    UnitFacts,
    allowed,
)
from ptsa_tui.store.rules import Rules
from ptsa_tui.store.task_rows import COLUMNS, TABLES, TaskRow, task_rows
from ptsa_tui.store.timeutil import as_utc

SUPERVISION = frozenset({Action.ASSIGN, Action.ACKNOWLEDGE, Action.NUDGE})


@dataclass(frozen=True, slots=True)
class AlertTry:
    """One delivery attempt of an alert."""

    at: datetime
    ok: bool
    error: str | None


@dataclass(frozen=True, slots=True)
class AlertLine:
    """One alert raised for a task: a level, to one supervisor, by one channel."""

    alert_id: int
    level: int
    channel: str  # email | sms
    recipient: str  # username
    recipient_name: str
    status: str  # sent (delivered) | pending | failed (given up)
    attempts: int
    last_error: str | None
    sent_at: datetime | None
    next_attempt_at: datetime
    tries: tuple[AlertTry, ...]  # oldest first


@dataclass(frozen=True, slots=True)
class Escalation:
    """A queued task that is late, or will be within `sla.warn_before`."""

    row: TaskRow  # the task as every list has it (tracking no., customer, service, clocks)
    unit: UnitFacts
    countdown: Countdown  # at the time of the read, on the rules' clock
    level: int  # the highest alert level raised for it (0: none yet)
    acked_level: int | None
    acked_at: datetime | None
    acked_by: str | None  # the supervisor's username
    acked_by_name: str | None
    nudged_by: str | None  # the last nudge's supervisor (`row.nudged_at` is when)
    nudged_by_name: str | None
    alerts: tuple[AlertLine, ...]  # by level, channel, recipient

    @property
    def acknowledged(self) -> bool:
        """The level reached has been acknowledged."""
        return self.level > 0 and self.acked_level is not None and self.acked_level >= self.level

    def facts(self) -> TaskFacts:
        """What the rules need to judge a supervisor's action on it."""
        return row_facts(self.row, self.unit)


@dataclass(frozen=True)
class Escalations:
    units: tuple[UnitFacts, ...]  # the supervisor's scope
    rows: list[Escalation]  # the latest deadline last
    now: datetime  # when they were read


def actions(actor: Actor, escalation: Escalation) -> frozenset[Action]:
    """The supervisor's actions the rules allow on it now (assign, acknowledge, nudge)."""
    return allowed(actor, escalation.facts()) & SUPERVISION


_TASKS = """
SELECT {columns}, t.unit_id, t.acked_level, t.acked_at, ka.username, ka.full_name,
       kn.username, kn.full_name
FROM {tables}
LEFT JOIN officer ka ON ka.id = t.acked_by
LEFT JOIN officer kn ON kn.id = t.nudged_by
WHERE t.unit_id = ANY(%(units)s) AND t.closed_at IS NULL AND t.claimed_by IS NULL
  AND t.claim_due_at <= %(horizon)s{only}
ORDER BY t.claim_due_at, t.id
"""
ALL_TASKS = _TASKS.format(columns=COLUMNS, tables=TABLES, only="")
SOME_TASKS = _TASKS.format(
    columns=COLUMNS, tables=TABLES, only=" AND t.request_id = ANY(%(requests)s)"
)
ALERTS = """
SELECT a.task_id, a.id, a.level, a.channel, o.username, o.full_name, a.status, a.attempts,
       a.last_error, a.sent_at, a.next_attempt_at, x.ats, x.oks, x.errors
FROM alert a
JOIN officer o ON o.id = a.recipient_id
LEFT JOIN LATERAL (
    SELECT array_agg(y.at ORDER BY y.id) AS ats, array_agg(y.ok ORDER BY y.id) AS oks,
           array_agg(y.error ORDER BY y.id) AS errors
    FROM alert_attempt y WHERE y.alert_id = a.id
) x ON true
WHERE a.task_id = ANY(%(tasks)s)
ORDER BY a.task_id, a.level, a.channel, o.username, a.id
"""
_ROW = len(TaskRow._fields) - 1  # the SELECT's TaskRow columns (the tab is not one)


def load_escalations(
    engine: Engine,
    *,
    user: Actor,
    now: datetime,
    rules: Rules,
    request_ids: Collection[int] | None = None,
) -> Escalations:
    """Every open, unclaimed task in the supervisor's scope whose claim deadline is at most
    `sla.warn_before` away on the rules' clock (or past), the latest deadline last."""
    now = as_utc(now)
    scope = load_scope(engine, user)
    if not scope.units or (request_ids is not None and not request_ids):
        return Escalations(scope.units, [], now)
    horizon = claim_deadline(now, rules.sla.warn_before, calendar=rules.calendar, clock=rules.clock)
    params = {"units": scope.unit_ids, "horizon": horizon, "requests": list(request_ids or ())}
    with bare_connection(engine) as conn:
        found = conn.execute(ALL_TASKS if request_ids is None else SOME_TASKS, params).fetchall()
        tasks = [r[0] for r in found]
        alerts = conn.execute(ALERTS, {"tasks": tasks}).fetchall() if tasks else []
    return Escalations(scope.units, _escalations(scope, found, alerts, now, rules), now)


def _escalations(
    scope: Scope, found: list[Any], alerts: list[Any], now: datetime, rules: Rules
) -> list[Escalation]:
    by_task: dict[int, list[AlertLine]] = {}
    for alert in alerts:
        by_task.setdefault(alert[0], []).append(_alert_line(alert))
    rows = task_rows(r[:_ROW] for r in found)
    warn = rules.sla.warn_before
    escalations = []
    for row, extra in zip(rows, found, strict=True):
        unit_id, acked_level, acked_at, acked_by, acked_name, nudger, nudger_name = extra[_ROW:]
        unit = scope.unit(unit_id)
        assert unit is not None  # the SELECT kept to the scope's units
        lines = tuple(by_task.get(row.task_id, ()))
        escalations.append(
            Escalation(
                row=row,
                unit=unit,
                countdown=countdown(row.claim_due_at, now, rules=rules, warn_before=warn),
                level=max((line.level for line in lines), default=0),
                acked_level=acked_level,
                acked_at=acked_at,
                acked_by=acked_by,
                acked_by_name=acked_name,
                nudged_by=nudger,
                nudged_by_name=nudger_name,
                alerts=lines,
            )
        )
    return escalations


def _alert_line(found: Any) -> AlertLine:
    """A row of ALERTS, its attempts zipped from their three arrays."""
    _task, alert_id, level, channel, to, name, status, attempts, error, sent, due, *tried = found
    ats, oks, errors = (values or () for values in tried)
    tries = tuple(map(AlertTry, ats, oks, errors))
    return AlertLine(alert_id, level, channel, to, name, status, attempts, error, sent, due, tries)
