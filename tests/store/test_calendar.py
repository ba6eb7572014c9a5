"""OfficeCalendar: hours parsing, working days, and range arithmetic checked against a slow reference."""

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ptsa_tui.store.calendar import OfficeCalendar, parse_office_hours

WIB = ZoneInfo("Asia/Jakarta")
DAY = timedelta(days=1)
HOURS = parse_office_hours(
    {
        "mon": "07:30-16:00",
        "tue": "07:30-16:00",
        "wed": "07:30-16:00",
        "thu": "07:30-16:00",
        "fri": "07:30-16:30",
    }
)
CAL = OfficeCalendar(timezone=WIB, hours=HOURS)
# Holidays are fetched lazily; don't let the first build count against hypothesis' deadline.
PROPS = settings(deadline=None, max_examples=150)


def wib(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=WIB)


# --- a slow, obviously-correct reference: one local day at a time --------------------------


def _day_span(cal: OfficeCalendar, day: date) -> tuple[datetime, datetime] | None:
    if not cal.is_working_day(day):
        return None
    opens, closes = cal.hours[day.weekday()]
    return (
        datetime.combine(day, opens, cal.timezone).astimezone(UTC),
        datetime.combine(day, closes, cal.timezone).astimezone(UTC),
    )


def ref_add_office_time(cal: OfficeCalendar, start: datetime, duration: timedelta) -> datetime:
    if duration == timedelta(0):
        return start.astimezone(UTC)
    day, remaining = start.astimezone(cal.timezone).date(), duration
    while True:
        span = _day_span(cal, day)
        if span is not None and start < span[1]:
            begin = max(start.astimezone(UTC), span[0])
            if remaining <= span[1] - begin:
                return begin + remaining
            remaining -= span[1] - begin
        day += DAY


def ref_office_time_between(cal: OfficeCalendar, start: datetime, end: datetime) -> timedelta:
    if end < start:
        return -ref_office_time_between(cal, end, start)
    day, last = start.astimezone(cal.timezone).date(), end.astimezone(cal.timezone).date()
    total = timedelta(0)
    while day <= last:
        span = _day_span(cal, day)
        if span is not None:
            total += max(timedelta(0), min(end, span[1]) - max(start, span[0]))
        day += DAY
    return total


def ref_add_working_days(cal: OfficeCalendar, start: datetime, days: int) -> datetime:
    day = start.astimezone(cal.timezone).date()
    if days > 0:
        day += DAY
    while True:
        span = _day_span(cal, day)
        if span is not None:
            if days <= 1:
                return span[1]
            days -= 1
        day += DAY


# --- parse_office_hours ------------------------------------------------------------------


def test_parse_office_hours() -> None:
    assert parse_office_hours({"mon": "07:30-16:00", " Sat ": "8:00 - 12:15"}) == {
        0: (time(7, 30), time(16, 0)),
        5: (time(8, 0), time(12, 15)),
    }
    assert parse_office_hours({}) == {}


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"monday": "07:30-16:00"}, "unknown day 'monday'"),
        ({"mon": "7.30-16.00"}, "'mon': '7.30-16.00' is not HH:MM-HH:MM"),
        ({"tue": "07:30"}, "'tue': '07:30' is not HH:MM-HH:MM"),
        ({"wed": "25:00-26:00"}, "'wed': '25:00-26:00' is not HH:MM-HH:MM"),
        ({"thu": "07:60-16:00"}, "'thu': '07:60-16:00' is not HH:MM-HH:MM"),
        ({"fri": "16:00-07:30"}, "'fri': '16:00-07:30' closes before it opens"),
        ({"fri": "09:00-09:00"}, "'fri': '09:00-09:00' closes before it opens"),
        ({"sun": "09:00-12:00", "SUN": "10:00-11:00"}, "'SUN' is given twice"),
    ],
)
def test_parse_office_hours_errors(spec: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        parse_office_hours(spec)


def test_calendar_rejects_bad_hours_and_country() -> None:
    with pytest.raises(ValueError, match="bad entry 7"):
        OfficeCalendar(WIB, {7: (time(8), time(9))})
    with pytest.raises(ValueError, match="bad entry 0"):
        OfficeCalendar(WIB, {0: (time(9), time(8))})
    with pytest.raises(ValueError, match="'XX'"):
        OfficeCalendar(WIB, HOURS, country="XX")


# --- single days -------------------------------------------------------------------------


def test_working_days_and_holidays() -> None:
    assert CAL.is_working_day(date(2026, 1, 5))  # an ordinary Monday
    assert not CAL.is_working_day(date(2026, 1, 10))  # Saturday
    assert not CAL.is_working_day(date(2026, 1, 11))  # Sunday
    independence = CAL.holiday_name(date(2026, 8, 17))
    assert independence is not None and "Independence" in independence
    assert not CAL.is_working_day(date(2026, 8, 17))
    assert CAL.holiday_name(date(2026, 8, 18)) is None


def test_cuti_bersama_2026_are_days_off() -> None:
    # Nyepi, Idul Fitri and the joint-leave days around them: Wed 18 .. Tue 24 March.
    run = [date(2026, 3, 18) + n * DAY for n in range(7)]
    assert all(CAL.holiday_name(day) is not None for day in run)
    assert not any(CAL.is_working_day(day) for day in run)
    assert CAL.is_working_day(date(2026, 3, 17)) and CAL.is_working_day(date(2026, 3, 25))


def test_overrides() -> None:
    cal = OfficeCalendar(
        WIB,
        HOURS,
        closed_days=frozenset({date(2026, 1, 6), date(2026, 8, 18)}),
        open_days=frozenset({date(2026, 8, 17), date(2026, 1, 10), date(2026, 8, 18)}),
    )
    assert not cal.is_working_day(date(2026, 1, 6))  # an extra day off
    assert cal.is_working_day(date(2026, 8, 17))  # the holiday is worked after all
    assert not cal.is_working_day(date(2026, 1, 10))  # open_days can't open a day without hours
    assert not cal.is_working_day(date(2026, 8, 18))  # closed wins over open


def test_holidays_are_built_once_per_year(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = 0
    real = holidays.country_holidays

    def counting(*args: object, **kwargs: object) -> object:
        nonlocal calls
        calls += 1
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(holidays, "country_holidays", counting)
    for n in range(365):
        CAL.is_working_day(date(2095, 1, 1) + n * DAY)  # a year no other test reaches
    assert calls <= 2  # at most one build (plus the category probe) for the year


# --- ranges ------------------------------------------------------------------------------


def test_office_time_between() -> None:
    assert CAL.office_time_between(wib(2026, 1, 5, 10), wib(2026, 1, 5, 11)) == timedelta(hours=1)
    # Mon 10:00-16:00 plus Tue 07:30-10:00.
    monday_to_tuesday = timedelta(hours=6) + timedelta(hours=2, minutes=30)
    assert CAL.office_time_between(wib(2026, 1, 5, 10), wib(2026, 1, 6, 10)) == monday_to_tuesday
    assert CAL.office_time_between(wib(2026, 1, 6, 10), wib(2026, 1, 5, 10)) == -monday_to_tuesday
    # A whole week: four days of 8h30m and Friday's 9h.
    week = 4 * timedelta(hours=8, minutes=30) + timedelta(hours=9)
    assert CAL.office_time_between(wib(2026, 1, 5), wib(2026, 1, 12)) == week
    # Two weeks around the cuti bersama: only Mon 16, Tue 17, Wed 25, Thu 26 and Fri 27 are worked.
    around = 4 * timedelta(hours=8, minutes=30) + timedelta(hours=9)
    assert CAL.office_time_between(wib(2026, 3, 16), wib(2026, 3, 30)) == around
    # Outside hours entirely.
    assert CAL.office_time_between(wib(2026, 1, 10, 8), wib(2026, 1, 11, 20)) == timedelta(0)


def test_add_office_time_zero_and_negative() -> None:
    saturday = wib(2026, 1, 10, 11)
    assert CAL.add_office_time(saturday, timedelta(0)) == saturday
    with pytest.raises(ValueError, match="negative"):
        CAL.add_office_time(saturday, -timedelta(minutes=1))


def test_add_office_time_ends_at_closing_not_next_opening() -> None:
    result = CAL.add_office_time(wib(2026, 1, 5, 15, 30), timedelta(minutes=30))
    assert result == wib(2026, 1, 5, 16, 0)


def test_add_working_days_zero_days() -> None:
    # days=0 means "by the end of today", or of the next working day when today is off.
    assert CAL.add_working_days(wib(2026, 1, 5, 20), 0) == wib(2026, 1, 5, 16)
    assert CAL.add_working_days(wib(2026, 1, 10, 9), 0) == wib(2026, 1, 12, 16)
    with pytest.raises(ValueError, match="negative"):
        CAL.add_working_days(wib(2026, 1, 5, 9), -1)


def test_results_are_utc_and_naive_rejected() -> None:
    result = CAL.add_office_time(wib(2026, 1, 5, 10), timedelta(minutes=30))
    assert result.tzinfo is UTC and result == datetime(2026, 1, 5, 3, 30, tzinfo=UTC)
    assert CAL.add_working_days(wib(2026, 1, 5, 10), 1).tzinfo is UTC
    naive = datetime(2026, 1, 5, 10)
    for call in (
        lambda: CAL.add_office_time(naive, timedelta(minutes=1)),
        lambda: CAL.add_working_days(naive, 1),
        lambda: CAL.office_time_between(naive, wib(2026, 1, 5, 10)),
        lambda: CAL.office_time_between(wib(2026, 1, 5, 10), naive),
    ):
        with pytest.raises(ValueError, match="naive"):
            call()


def test_no_office_hours_at_all_raises() -> None:
    closed = OfficeCalendar(WIB, {})
    with pytest.raises(ValueError, match="no office hours"):
        closed.add_office_time(wib(2026, 1, 5, 10), timedelta(minutes=1))
    with pytest.raises(ValueError, match="no office hours"):
        closed.add_working_days(wib(2026, 1, 5, 10), 1)
    assert closed.office_time_between(wib(2026, 1, 5), wib(2036, 1, 5)) == timedelta(0)


# --- far future: fast, and equal to the reference -----------------------------------------


def _count_day_lookups(monkeypatch: pytest.MonkeyPatch) -> Callable[[], int]:
    calls = 0
    real = OfficeCalendar.is_working_day

    def counting(self: OfficeCalendar, day: date) -> bool:
        nonlocal calls
        calls += 1
        return real(self, day)

    monkeypatch.setattr(OfficeCalendar, "is_working_day", counting)
    return lambda: calls


@pytest.mark.parametrize("start", [wib(2026, 1, 5, 9), wib(2026, 3, 17, 15, 50), wib(2027, 6, 5)])
def test_far_future_matches_reference(start: datetime, monkeypatch: pytest.MonkeyPatch) -> None:
    hours, days = timedelta(hours=20_000), 5_000
    expected_time = ref_add_office_time(CAL, start, hours)
    expected_day = ref_add_working_days(CAL, start, days)
    assert expected_day.year >= 2045  # really decades away
    lookups = _count_day_lookups(monkeypatch)
    assert CAL.add_office_time(start, hours) == expected_time
    assert CAL.add_working_days(start, days) == expected_day
    assert CAL.office_time_between(start, expected_time) == hours
    # A day-by-day walk would look at thousands of days; week jumps leave a short tail.
    assert lookups() < 100


def test_long_closure_matches_reference() -> None:
    # Six closed weeks give back a lot of time after the first jump; the jump must repeat.
    closure = frozenset(date(2026, 2, 1) + n * DAY for n in range(42))
    cal = OfficeCalendar(WIB, HOURS, closed_days=closure)
    start = wib(2026, 1, 5, 9)
    for hours in (10, 100, 1000):
        duration = timedelta(hours=hours)
        assert cal.add_office_time(start, duration) == ref_add_office_time(cal, start, duration)
    for days in (5, 30, 300):
        assert cal.add_working_days(start, days) == ref_add_working_days(cal, start, days)


# --- DST inside opening hours: real, not wall-clock, lengths ----------------------------

BERLIN = ZoneInfo("Europe/Berlin")
# Sundays only, across Berlin's 02:00 -> 03:00 (29 Mar 2026) and 03:00 -> 02:00 (25 Oct 2026).
SUNDAY_NIGHTS = OfficeCalendar(BERLIN, parse_office_hours({"sun": "01:00-05:00"}))


def berlin(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=BERLIN)


def test_spring_dst_sunday_is_three_hours() -> None:
    # Worked Sundays: 8 and 15 Mar (4h each), 29 Mar (3h), 12 Apr (4h), then 1h on 19 Apr;
    # 22 Mar (cuti bersama) and 5 Apr (Easter) are holidays.
    start, deadline = berlin(2026, 3, 1, 12), berlin(2026, 4, 19, 2)
    assert SUNDAY_NIGHTS.add_office_time(start, timedelta(hours=16)) == deadline
    assert SUNDAY_NIGHTS.office_time_between(start, deadline) == timedelta(hours=16)
    assert SUNDAY_NIGHTS.office_time_between(berlin(2026, 3, 23), berlin(2026, 4, 6)) == (
        timedelta(hours=3)
    )


@pytest.mark.parametrize(
    ("start", "hours", "deadline"),
    [
        # 11 and 18 Oct give 8h, then 4h30m of the 5h Sunday: 01:00 CEST + 4h30m real.
        (berlin(2026, 10, 4, 12), 12.5, berlin(2026, 10, 25, 4, 30)),
        # One nominal week of 4h holds 5h here: the jump must not overfill and skip the day.
        (berlin(2026, 10, 18, 12), 4.5, berlin(2026, 10, 25, 4, 30)),
        (berlin(2026, 10, 18, 12), 5, berlin(2026, 10, 25, 5)),
        (berlin(2026, 10, 18, 12), 5.5, berlin(2026, 11, 1, 1, 30)),
    ],
)
def test_autumn_dst_sunday_is_five_hours(start: datetime, hours: float, deadline: datetime) -> None:
    duration = timedelta(hours=hours)
    assert SUNDAY_NIGHTS.add_office_time(start, duration) == deadline
    assert SUNDAY_NIGHTS.office_time_between(start, deadline) == duration


def test_dst_days_count_in_long_spans() -> None:
    # Sundays 11 Oct .. 1 Nov: 4h + 4h + 5h + 4h.
    assert SUNDAY_NIGHTS.office_time_between(berlin(2026, 10, 5), berlin(2026, 11, 2)) == (
        timedelta(hours=17)
    )
    # Two autumns and one spring between two instants at the same UTC offset.
    start, end = berlin(2026, 4, 1), berlin(2028, 4, 1)
    assert SUNDAY_NIGHTS.office_time_between(start, end) == (
        ref_office_time_between(SUNDAY_NIGHTS, start, end)
    )


# --- properties --------------------------------------------------------------------------

ZONES = [WIB, ZoneInfo("Asia/Makassar"), ZoneInfo("Europe/Berlin"), ZoneInfo("America/New_York")]
instants = st.datetimes(
    min_value=datetime(2025, 1, 1),
    max_value=datetime(2028, 12, 31),
    timezones=st.sampled_from(ZONES),
)
durations = st.integers(0, 3_000 * 3600).map(lambda s: timedelta(seconds=s))


@st.composite
def office_instants(draw: st.DrawFn) -> datetime:
    """An instant inside the default calendar's office hours."""
    day = draw(st.dates(date(2025, 1, 1), date(2028, 12, 31)).filter(CAL.is_working_day))
    opens, closes = CAL.hours[day.weekday()]
    begin = datetime.combine(day, opens, WIB)
    span = int((datetime.combine(day, closes, WIB) - begin).total_seconds())
    return begin + timedelta(seconds=draw(st.integers(0, span - 1)))


HOLIDAYS_2026_27 = sorted(
    holidays.country_holidays("ID", years=(2026, 2027), categories=("public", "government"))
)


@st.composite
def calendars(draw: st.DrawFn) -> OfficeCalendar:
    """Random hours (at least 1h a day, opening after 04:00 so DST stays outside), zones, overrides."""
    hours = {}
    for weekday in draw(st.sets(st.integers(0, 6), min_size=1)):
        opens = draw(st.integers(4 * 60, 20 * 60))
        closes = draw(st.integers(opens + 60, 23 * 60 + 59))
        hours[weekday] = (time(*divmod(opens, 60)), time(*divmod(closes, 60)))
    first = draw(st.dates(date(2026, 1, 1), date(2027, 12, 31)))
    closure = {first + n * DAY for n in range(draw(st.integers(0, 40)))}
    closure |= draw(st.frozensets(st.dates(date(2026, 1, 1), date(2027, 12, 31)), max_size=20))
    worked = draw(st.frozensets(st.sampled_from(HOLIDAYS_2026_27)))
    return OfficeCalendar(draw(st.sampled_from(ZONES)), hours, "ID", frozenset(closure), worked)


def _inside_working_hours(cal: OfficeCalendar, instant: datetime) -> bool:
    span = _day_span(cal, instant.astimezone(cal.timezone).date())
    return span is not None and span[0] <= instant <= span[1]


@PROPS
@given(instants, durations, durations)
def test_add_office_time_is_monotonic(start: datetime, a: timedelta, b: timedelta) -> None:
    shorter, longer = sorted((a, b))
    assert CAL.add_office_time(start, shorter) <= CAL.add_office_time(start, longer)


@PROPS
@given(office_instants(), durations)
def test_office_time_between_inverts_add(start: datetime, duration: timedelta) -> None:
    assert CAL.office_time_between(start, CAL.add_office_time(start, duration)) == duration


@PROPS
@given(instants, instants, instants)
def test_office_time_between_adds_up(a: datetime, b: datetime, c: datetime) -> None:
    assert CAL.office_time_between(a, b) + CAL.office_time_between(b, c) == (
        CAL.office_time_between(a, c)
    )


@PROPS
@given(instants, durations.filter(bool), st.integers(0, 400))
def test_results_never_fall_on_a_closed_day(
    start: datetime, duration: timedelta, days: int
) -> None:
    assert _inside_working_hours(CAL, CAL.add_office_time(start, duration))
    due = CAL.add_working_days(start, days)
    assert _inside_working_hours(CAL, due)
    assert due.astimezone(WIB).time() == CAL.hours[due.astimezone(WIB).weekday()][1]


@PROPS
@given(calendars(), instants, st.integers(0, 1_500 * 3600), st.integers(0, 300))
def test_random_calendars_match_reference(
    cal: OfficeCalendar, start: datetime, seconds: int, days: int
) -> None:
    duration = timedelta(seconds=seconds)
    deadline = cal.add_office_time(start, duration)
    assert deadline == ref_add_office_time(cal, start, duration)
    assert cal.office_time_between(start, deadline) == ref_office_time_between(cal, start, deadline)
    assert cal.add_working_days(start, days) == ref_add_working_days(cal, start, days)


# Zones whose clocks change at night: 02:00 (Berlin, New York), half an hour (Lord Howe),
# midnight (Santiago).
DST_ZONES = [BERLIN, ZoneInfo("America/New_York"), ZoneInfo("Australia/Lord_Howe")]
DST_ZONES.append(ZoneInfo("America/Santiago"))


@st.composite
def night_calendars(draw: st.DrawFn) -> OfficeCalendar:
    """Hours spanning every night-time DST change (00:00-03:00), Sundays always open."""
    hours = {}
    for weekday in draw(st.sets(st.integers(0, 5))) | {6}:
        opens = draw(st.integers(0, 60))
        closes = draw(st.integers(4 * 60, 23 * 60 + 59))
        hours[weekday] = (time(*divmod(opens, 60)), time(*divmod(closes, 60)))
    return OfficeCalendar(draw(st.sampled_from(DST_ZONES)), hours)


@PROPS
@given(night_calendars(), instants, st.integers(0, 1_500 * 3600))
def test_dst_in_opening_hours_matches_reference(
    cal: OfficeCalendar, start: datetime, seconds: int
) -> None:
    duration = timedelta(seconds=seconds)
    deadline = cal.add_office_time(start, duration)
    assert deadline == ref_add_office_time(cal, start, duration)
    assert cal.office_time_between(start, deadline) == duration
