"""The office's own calendar changes: a decree's day off added, a holiday worked, or undone.

Each change is one transaction with its audit event; the `rules` NOTIFY of migration 0004
tells every desk and daemon to reload their calendar at once.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Literal

from sqlalchemy import Engine
from sqlalchemy.orm import Session
from sqlmodel import select

from ptsa_tui.store import audit
from ptsa_tui.store.actors import load_actor
from ptsa_tui.store.errors import Conflict, NotFound
from ptsa_tui.store.inputs import required_text
from ptsa_tui.store.models import CalendarOverride
from ptsa_tui.store.rights import raise_if, supervision_refusal
from ptsa_tui.store.rules import Rules
from ptsa_tui.store.timeutil import as_utc, utc_now

if TYPE_CHECKING:
    from ptsa_tui.store.workflow import By, Workflow


@dataclass(frozen=True)
class CalendarDay:
    day: date
    closed: bool  # a day off
    reason: str
    source: Literal["holidays", "override"]
    holiday: str | None  # the holidays package's name for it, if any


def list_days(engine: Engine, rules: Rules, *, year: int) -> list[CalendarDay]:
    """The year's holidays with the office's overrides applied, by date."""
    with Session(engine) as session:
        overrides = {
            o.day: o
            for o in session.scalars(
                select(CalendarOverride).where(
                    CalendarOverride.day >= date(year, 1, 1),
                    CalendarOverride.day <= date(year, 12, 31),
                )
            )
        }
    package = rules.calendar.holidays_of(year)
    days = []
    for day in sorted(set(package) | set(overrides)):
        holiday = package.get(day)
        if (override := overrides.get(day)) is not None:
            days.append(CalendarDay(day, override.closed, override.note, "override", holiday))
        else:
            days.append(CalendarDay(day, True, holiday or "", "holidays", holiday))
    return days


def add(
    workflow: "Workflow",
    *,
    day: date,
    reason: str,
    open_day: bool = False,
    by: "By | None" = None,
    now: datetime | None = None,
) -> CalendarOverride:
    """Close `day` (a decree's day off), or with `open_day` make a holiday a working day."""
    now = as_utc(now) if now else utc_now()
    reason = required_text("reason", reason)
    calendar = workflow.rules.calendar
    if not calendar.has_hours_on(day):
        raise Conflict(f"{day} is a {day:%A}: the office has no hours that day")
    with workflow.transaction() as session:
        officer_id = _supervisor_id(session, by)
        existing = session.get(CalendarOverride, day, with_for_update=True)
        closed_now = not calendar.is_working_day(day)  # the rules cached before this change
        if existing is None and closed_now != open_day:
            state = "a day off" if closed_now else "a working day"
            raise Conflict(f"{day} is already {state}")
        if existing is not None:
            state = "closed" if existing.closed else "open"
            raise Conflict(
                f"{day} is already {state} by an override ({existing.note}); remove it first"
            )
        override = CalendarOverride(day=day, closed=not open_day, note=reason)
        session.add(override)
        session.flush()
        audit.record(
            session,
            kind="calendar_changed",
            at=now,
            officer_id=officer_id,
            details={"day": day.isoformat(), "closed": not open_day, "reason": reason},
        )
        return override


def remove(
    workflow: "Workflow",
    *,
    day: date,
    reason: str,
    by: "By | None" = None,
    now: datetime | None = None,
) -> None:
    """Undo an override: the day is again what the holidays package says."""
    now = as_utc(now) if now else utc_now()
    reason = required_text("reason", reason)
    with workflow.transaction() as session:
        officer_id = _supervisor_id(session, by)
        existing = session.get(CalendarOverride, day, with_for_update=True)
        if existing is None:
            raise NotFound(f"no calendar override on {day}")
        session.delete(existing)
        audit.record(
            session,
            kind="calendar_changed",
            at=now,
            officer_id=officer_id,
            details={"day": day.isoformat(), "removed": True, "reason": reason},
        )


def _supervisor_id(session: Session, by: "By | None") -> int | None:
    if by is None:
        return None
    actor = load_actor(session, by)
    raise_if(supervision_refusal(actor))
    return actor.officer_id
