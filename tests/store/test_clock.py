"""Claim deadlines, SOP due dates and lateness on the default PTSA calendar (expected values by hand)."""

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from ptsa_tui.store.calendar import OfficeCalendar, parse_office_hours
from ptsa_tui.store.clock import claim_deadline, lateness, sop_due

WIB = ZoneInfo("Asia/Jakarta")
WITA = ZoneInfo("Asia/Makassar")
SPEC = {
    "mon": "07:30-16:00",
    "tue": "07:30-16:00",
    "wed": "07:30-16:00",
    "thu": "07:30-16:00",
    "fri": "07:30-16:30",
}
CAL = OfficeCalendar(timezone=WIB, hours=parse_office_hours(SPEC))
HALF_HOUR = timedelta(minutes=30)
# 2026-01-05 is a Monday; that week and the next hold no holidays.


def wib(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=WIB)


def deadline(offered_at: datetime, sla: timedelta = HALF_HOUR, **kwargs: Any) -> datetime:
    result = claim_deadline(offered_at, sla, calendar=kwargs.pop("calendar", CAL), **kwargs)
    assert result.tzinfo is UTC
    return result


# --- claim deadline, office clock ----------------------------------------------------------


def test_inside_hours() -> None:
    assert deadline(wib(2026, 1, 5, 10, 0)) == wib(2026, 1, 5, 10, 30)


def test_crosses_closing_time() -> None:
    # 10 minutes left on Monday, the other 20 from Tuesday's 07:30 opening.
    assert deadline(wib(2026, 1, 5, 15, 50)) == wib(2026, 1, 6, 7, 50)


def test_crosses_weekend() -> None:
    # Friday closes at 16:30: 10 minutes on Friday, 20 on Monday.
    assert deadline(wib(2026, 1, 9, 16, 20)) == wib(2026, 1, 12, 7, 50)


def test_friday_stays_open_longer() -> None:
    sla = timedelta(minutes=15)
    assert deadline(wib(2026, 1, 9, 16, 10), sla) == wib(2026, 1, 9, 16, 25)
    # Thursday is already closed at 16:10, so all 15 minutes come from Friday morning.
    assert deadline(wib(2026, 1, 8, 16, 10), sla) == wib(2026, 1, 9, 7, 45)


@pytest.mark.parametrize(
    ("offered_at", "expected"),
    [
        (wib(2026, 1, 5, 6, 0), wib(2026, 1, 5, 8, 0)),  # before opening
        (wib(2026, 1, 6, 2, 0), wib(2026, 1, 6, 8, 0)),  # in the night
        (wib(2026, 1, 5, 20, 0), wib(2026, 1, 6, 8, 0)),  # after closing
        (wib(2026, 1, 10, 11, 0), wib(2026, 1, 12, 8, 0)),  # on Saturday
        (wib(2026, 1, 11, 23, 59), wib(2026, 1, 12, 8, 0)),  # late Sunday
    ],
)
def test_offered_outside_hours_counts_from_next_opening(
    offered_at: datetime, expected: datetime
) -> None:
    assert deadline(offered_at) == expected


def test_independence_day() -> None:
    # Fri 14 Aug 16:20 -> 10 minutes Friday; Mon 17 Aug is off; 20 minutes on Tuesday.
    assert deadline(wib(2026, 8, 14, 16, 20)) == wib(2026, 8, 18, 7, 50)


def test_cuti_bersama_2026() -> None:
    # Tue 17 Mar 15:50 -> 10 minutes; Wed 18 .. Tue 24 are all off; 20 minutes on Wed 25.
    assert deadline(wib(2026, 3, 17, 15, 50)) == wib(2026, 3, 25, 7, 50)


def test_makassar_office() -> None:
    cal = OfficeCalendar(timezone=WITA, hours=parse_office_hours(SPEC))
    # Mon 15:50 WITA + 30m -> Tue 07:50 WITA, which is Mon 23:50 UTC (WITA is UTC+8).
    assert deadline(datetime(2026, 1, 5, 15, 50, tzinfo=WITA), calendar=cal) == datetime(
        2026, 1, 5, 23, 50, tzinfo=UTC
    )
    # The same instant (07:50 UTC) is 15:50 in Makassar but 14:50 in Jakarta.
    offered = datetime(2026, 1, 5, 7, 50, tzinfo=UTC)
    assert deadline(offered, calendar=cal) == datetime(2026, 1, 5, 23, 50, tzinfo=UTC)
    assert deadline(offered) == datetime(2026, 1, 5, 8, 20, tzinfo=UTC)


def test_admin_overrides() -> None:
    closed = OfficeCalendar(WIB, CAL.hours, closed_days=frozenset({date(2026, 1, 6)}))
    # Tuesday closed by the admin: Monday's last 10 minutes, then Wednesday 07:30 + 20.
    assert deadline(wib(2026, 1, 5, 15, 50), calendar=closed) == wib(2026, 1, 7, 7, 50)
    reopened = OfficeCalendar(WIB, CAL.hours, open_days=frozenset({date(2026, 8, 17)}))
    # Independence Day worked after all: the deadline lands on the Monday.
    assert deadline(wib(2026, 8, 14, 16, 20), calendar=reopened) == wib(2026, 8, 17, 7, 50)


# --- claim deadline, wall clock ------------------------------------------------------------


def test_wall_clock_ignores_office_hours() -> None:
    result = deadline(wib(2026, 1, 9, 16, 20), clock="wall")
    assert result == wib(2026, 1, 9, 16, 50)
    assert result == datetime(2026, 1, 9, 9, 50, tzinfo=UTC)
    assert deadline(wib(2026, 8, 16, 23, 45), clock="wall") == wib(2026, 8, 17, 0, 15)


def test_claim_deadline_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="naive"):
        claim_deadline(datetime(2026, 1, 5, 10), HALF_HOUR, calendar=CAL)
    with pytest.raises(ValueError, match="naive"):
        claim_deadline(datetime(2026, 1, 5, 10), HALF_HOUR, calendar=CAL, clock="wall")
    with pytest.raises(ValueError, match="negative"):
        claim_deadline(wib(2026, 1, 5, 10), -HALF_HOUR, calendar=CAL)
    with pytest.raises(ValueError, match="'lunar'"):
        claim_deadline(wib(2026, 1, 5, 10), HALF_HOUR, calendar=CAL, clock="lunar")  # type: ignore[arg-type]


# --- SOP due date --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("registered_at", "days", "expected"),
    [
        (wib(2026, 1, 5, 9), 3, wib(2026, 1, 8, 16, 0)),  # Mon -> Tue, Wed, Thu
        (wib(2026, 1, 9, 9), 3, wib(2026, 1, 14, 16, 0)),  # Fri -> Mon, Tue, Wed
        (wib(2026, 1, 8, 9), 1, wib(2026, 1, 9, 16, 30)),  # Thu -> Fri closes later
        (wib(2026, 8, 14, 9), 3, wib(2026, 8, 20, 16, 0)),  # Fri -> (Mon 17 off) Tue, Wed, Thu
        (wib(2026, 3, 17, 9), 3, wib(2026, 3, 27, 16, 30)),  # Tue -> (18..24 off) Wed, Thu, Fri
        (wib(2026, 1, 10, 9), 1, wib(2026, 1, 12, 16, 0)),  # Sat -> Mon
        (wib(2026, 1, 5, 20), 0, wib(2026, 1, 5, 16, 0)),  # same day, even after closing
    ],
)
def test_sop_due(registered_at: datetime, days: int, expected: datetime) -> None:
    due = sop_due(registered_at, days, calendar=CAL)
    assert due == expected and due.tzinfo is UTC


def test_sop_due_rejects_naive() -> None:
    with pytest.raises(ValueError, match="naive"):
        sop_due(datetime(2026, 1, 5, 9), 3, calendar=CAL)


# --- lateness ------------------------------------------------------------------------------


def test_lateness_office_clock() -> None:
    due = wib(2026, 1, 5, 15, 50)
    # Monday 15:50-16:00 and Tuesday 07:30-07:40.
    assert lateness(due, wib(2026, 1, 6, 7, 40), calendar=CAL) == timedelta(minutes=20)
    assert lateness(due, wib(2026, 1, 5, 15, 0), calendar=CAL) == -timedelta(minutes=50)
    # Over a weekend: Friday 16:20-16:30 and Monday 07:30-07:40.
    friday = wib(2026, 1, 9, 16, 20)
    assert lateness(friday, wib(2026, 1, 12, 7, 40), calendar=CAL) == timedelta(minutes=20)
    assert lateness(due, due, calendar=CAL) == timedelta(0)


def test_lateness_wall_clock() -> None:
    due = wib(2026, 1, 5, 15, 50)
    late = lateness(due, wib(2026, 1, 6, 7, 40), calendar=CAL, clock="wall")
    assert late == timedelta(hours=15, minutes=50)
    early = lateness(due, datetime(2026, 1, 5, 8, 0, tzinfo=UTC), calendar=CAL, clock="wall")
    assert early == -timedelta(minutes=50)  # 08:00 UTC is 15:00 WIB


def test_lateness_rejects_naive() -> None:
    with pytest.raises(ValueError, match="naive"):
        lateness(wib(2026, 1, 5, 10), datetime(2026, 1, 5, 11), calendar=CAL, clock="wall")
    with pytest.raises(ValueError, match="naive"):
        lateness(datetime(2026, 1, 5, 10), wib(2026, 1, 5, 11), calendar=CAL)
