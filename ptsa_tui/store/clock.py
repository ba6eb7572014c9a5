"""Deadlines: the claim SLA (office or wall clock) and the SOP due date (working days)."""

from datetime import UTC, datetime, timedelta
from typing import Literal, get_args

from ptsa_tui.store.calendar import OfficeCalendar

SlaClock = Literal["office", "wall"]


def _check(clock: str, *instants: datetime) -> None:
    if clock not in get_args(SlaClock):
        raise ValueError(f"unknown SLA clock {clock!r} (use office or wall)")
    for instant in instants:
        if instant.tzinfo is None or instant.utcoffset() is None:
            raise ValueError(f"naive datetime not allowed: {instant.isoformat()}")


def claim_deadline(
    offered_at: datetime, sla: timedelta, *, calendar: OfficeCalendar, clock: SlaClock = "office"
) -> datetime:
    """When an offered ticket must be claimed by; aware UTC."""
    _check(clock, offered_at)
    if sla < timedelta(0):
        raise ValueError(f"claim SLA must not be negative: {sla}")
    if clock == "wall":
        # Add in UTC: adding to a local aware datetime is wall-time arithmetic across DST.
        return offered_at.astimezone(UTC) + sla
    return calendar.add_office_time(offered_at, sla)


def sop_due(registered_at: datetime, sop_days: int, *, calendar: OfficeCalendar) -> datetime:
    """Closing time of the `sop_days`-th working day after registration; aware UTC."""
    return calendar.add_working_days(registered_at, sop_days)


def lateness(
    deadline: datetime, now: datetime, *, calendar: OfficeCalendar, clock: SlaClock = "office"
) -> timedelta:
    """Positive: how late; negative: time left. Counted on the clock the deadline was set on."""
    _check(clock, deadline, now)
    if clock == "wall":
        return now.astimezone(UTC) - deadline.astimezone(UTC)
    return calendar.office_time_between(deadline, now)
