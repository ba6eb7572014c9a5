"""The office calendar: opening hours, public holidays and cuti bersama, admin overrides.

Everything is computed over ranges of local dates: long durations jump whole weeks by
arithmetic and then correct for the days off and the DST days inside the jump, so a deadline
decades away costs a few dozen look-ups, not a walk over every day.
"""

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from types import MappingProxyType
from zoneinfo import ZoneInfo

import holidays

WEEKDAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

_RANGE = re.compile(r"(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})", re.ASCII)
_DAY = timedelta(days=1)
_WEEK = timedelta(days=7)
_ZERO = timedelta(0)
# The smallest timedelta: "strictly less than" in exact integer arithmetic.
_TICK = timedelta(microseconds=1)
# tzdata's shortest change of UTC offset and back is ~4 days (Freetown 1939): offsets
# sampled this far apart can't miss a change.
_STEADY = timedelta(days=3)


def parse_office_hours(spec: Mapping[str, str]) -> dict[int, tuple[time, time]]:
    """{"mon": "07:30-16:00", ...} -> {0: (time(7, 30), time(16, 0)), ...}; missing days are closed."""
    hours: dict[int, tuple[time, time]] = {}
    for key, value in spec.items():
        day = key.strip().lower()
        if day not in WEEKDAY_KEYS:
            raise ValueError(f"office hours: unknown day {key!r} (use {', '.join(WEEKDAY_KEYS)})")
        weekday = WEEKDAY_KEYS.index(day)
        if weekday in hours:
            raise ValueError(f"office hours: {key!r} is given twice")
        match = _RANGE.fullmatch(value.strip()) if isinstance(value, str) else None
        try:
            if match is None:
                raise ValueError
            h1, m1, h2, m2 = (int(part) for part in match.groups())
            opens, closes = time(h1, m1), time(h2, m2)
        except ValueError:
            raise ValueError(
                f"office hours for {key!r}: {value!r} is not HH:MM-HH:MM (e.g. 07:30-16:00)"
            ) from None
        if closes <= opens:
            raise ValueError(f"office hours for {key!r}: {value!r} closes before it opens")
        hours[weekday] = (opens, closes)
    return hours


@lru_cache(maxsize=512)
def _holidays(country: str, year: int) -> Mapping[date, str]:
    # The `government` category carries Indonesia's cuti bersama; not every country has it.
    supported = holidays.country_holidays(country).supported_categories
    categories = tuple(c for c in ("public", "government") if c in supported)
    found = holidays.country_holidays(country, years=year, categories=categories)
    return MappingProxyType(dict(found))


def _local_days(start: date, end: date) -> Iterator[date]:
    day = start
    while day < end:
        yield day
        day += _DAY


@lru_cache(maxsize=512)
def _offset_change_days(zone: ZoneInfo, year: int) -> tuple[date, ...]:
    """Local days of `year` during which the UTC offset changes (DST and the like)."""

    def offset(day: date) -> timedelta | None:
        return datetime.combine(day, time(), zone).utcoffset()

    found: list[date] = []
    low, before = date(year, 1, 1), offset(date(year, 1, 1))
    while low.year == year:
        high = min(low + _STEADY, date(year + 1, 1, 1))
        after = offset(high)
        if after != before:
            found += (d for d in _local_days(low, high) if offset(d) != offset(d + _DAY))
        low, before = high, after
    return tuple(found)


@dataclass(frozen=True)
class OfficeCalendar:
    timezone: ZoneInfo
    hours: Mapping[int, tuple[time, time]]
    country: str = "ID"
    closed_days: frozenset[date] = frozenset()
    open_days: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        for weekday, (opens, closes) in self.hours.items():
            if weekday not in range(7) or not opens < closes:
                raise ValueError(f"office hours: bad entry {weekday!r}: {opens}-{closes}")
        if self.country not in holidays.list_supported_countries():
            raise ValueError(f"holidays: unknown country code {self.country!r}")

    # --- single days -------------------------------------------------------------------

    def holiday_name(self, day: date) -> str | None:
        return _holidays(self.country, day.year).get(day)

    def holidays_of(self, year: int) -> Mapping[date, str]:
        """The holidays package's days off for `year` (public and government), by name."""
        return _holidays(self.country, year)

    def has_hours_on(self, day: date) -> bool:
        return day.weekday() in self.hours

    def is_working_day(self, day: date) -> bool:
        if day.weekday() not in self.hours or day in self.closed_days:
            return False
        return day in self.open_days or day not in _holidays(self.country, day.year)

    def opening(self, day: date) -> tuple[datetime, datetime] | None:
        """Open and close (UTC) of a local day, None for a day off: each day's real instants,
        so a DST day is as long as it really is (for SQL tables of office time, e.g. KPIs)."""
        return self._opening(day)

    def is_open_at(self, instant: datetime) -> bool:
        """Whether the office clock runs at `instant`: within a working day's hours."""
        opening = self._opening(self._local_date(instant))
        return opening is not None and opening[0] <= instant < opening[1]

    def _opening(self, day: date) -> tuple[datetime, datetime] | None:
        """Open and close of a working day as UTC instants (UTC so DST-safe subtraction)."""
        if not self.is_working_day(day):
            return None
        opens, closes = self.hours[day.weekday()]
        return (
            datetime.combine(day, opens, self.timezone).astimezone(UTC),
            datetime.combine(day, closes, self.timezone).astimezone(UTC),
        )

    def _dst_surplus(self, day: date) -> timedelta:
        """Real minus nominal opening time of a day: nonzero when DST changes within its hours."""
        opening = self._opening(day)
        if opening is None:
            return _ZERO
        return opening[1] - opening[0] - self._nominal(day.weekday())

    def _local_date(self, instant: datetime) -> date:
        _require_aware(instant)
        return instant.astimezone(self.timezone).date()

    # --- ranges of days ----------------------------------------------------------------

    def _nominal(self, weekday: int) -> timedelta:
        # Wall-clock length; equals the real one unless a DST change falls inside opening hours
        # (_dst_surplus corrects those days).
        if weekday not in self.hours:
            return _ZERO
        opens, closes = self.hours[weekday]
        return datetime.combine(date.min, closes) - datetime.combine(date.min, opens)

    def _days_off(self, start: date, end: date) -> Iterator[date]:
        """Days in [start, end) that have office hours by weekday but are not worked."""
        off = {d for d in self.closed_days if start <= d < end}
        for year in range(start.year, (end - _DAY).year + 1):
            off.update(d for d in _holidays(self.country, year) if start <= d < end)
        off -= self.open_days - self.closed_days
        return (d for d in off if d.weekday() in self.hours)

    def _dst_days(self, start: date, end: date) -> Iterator[date]:
        """Days in [start, end) that have office hours and a change of UTC offset."""
        for year in range(start.year, (end - _DAY).year + 1):
            changes = _offset_change_days(self.timezone, year)
            yield from (d for d in changes if start <= d < end and d.weekday() in self.hours)

    def _weekdays_in(self, start: date, end: date) -> Iterator[int]:
        """Weekdays of the days left over after the whole weeks of [start, end)."""
        return (d.weekday() for d in _local_days(start + (end - start).days // 7 * _WEEK, end))

    def _office_time_in_days(self, start: date, end: date) -> timedelta:
        if end <= start:
            return _ZERO
        weeks = (end - start).days // 7
        total = weeks * sum((self._nominal(w) for w in range(7)), _ZERO)
        total += sum((self._nominal(w) for w in self._weekdays_in(start, end)), _ZERO)
        total -= sum((self._nominal(d.weekday()) for d in self._days_off(start, end)), _ZERO)
        return total + sum(map(self._dst_surplus, self._dst_days(start, end)), _ZERO)

    def _working_days_in(self, start: date, end: date) -> int:
        if end <= start:
            return 0
        weeks = (end - start).days // 7
        count = weeks * len(self.hours) + sum(
            w in self.hours for w in self._weekdays_in(start, end)
        )
        return count - sum(1 for _ in self._days_off(start, end))

    def _weekly(self) -> timedelta:
        # Nominal: a real week can be longer (clocks going back), so a jump can overfill.
        weekly = sum((self._nominal(w) for w in range(7)), _ZERO)
        if weekly <= _ZERO:
            raise ValueError("office calendar has no office hours on any weekday")
        return weekly

    # --- public arithmetic -------------------------------------------------------------

    def add_office_time(self, start: datetime, duration: timedelta) -> datetime:
        """The instant (UTC) when `duration` of office time has elapsed after `start`."""
        day = self._local_date(start)
        start = start.astimezone(UTC)
        if duration < _ZERO:
            raise ValueError(f"office time to add must not be negative: {duration}")
        if duration == _ZERO:
            return start
        weekly = self._weekly()
        remaining = duration
        today = self._opening(day)
        if today is not None and start < today[1]:
            begin = max(start, today[0])
            if remaining <= today[1] - begin:
                return begin + remaining
            remaining -= today[1] - begin
        day += _DAY
        # Jump strictly fewer weeks than needed so the finishing day is never jumped over;
        # days off in the jump hand time back, hence the repeat.
        weeks = (remaining - _TICK) // weekly
        while weeks > 0:
            end = day + weeks * _WEEK
            spent = self._office_time_in_days(day, end)
            if spent >= remaining:  # DST made the jump longer than nominal: jump less
                weeks //= 2
                continue
            day, remaining = end, remaining - spent
            weeks = (remaining - _TICK) // weekly
        while True:
            opening = self._opening(day)
            if opening is not None:
                if remaining <= opening[1] - opening[0]:
                    return opening[0] + remaining
                remaining -= opening[1] - opening[0]
            day += _DAY

    def office_time_between(self, start: datetime, end: datetime) -> timedelta:
        """Office time in [start, end); negative when end is before start."""
        first, last = self._local_date(start), self._local_date(end)
        if end < start:
            return -self.office_time_between(end, start)
        start, end = start.astimezone(UTC), end.astimezone(UTC)
        total = _ZERO
        for day in {first, last}:
            opening = self._opening(day)
            if opening is not None:
                total += max(_ZERO, min(end, opening[1]) - max(start, opening[0]))
        return total + self._office_time_in_days(first + _DAY, last)

    def add_working_days(self, start: datetime, days: int) -> datetime:
        """Closing time (UTC) of the `days`-th working day after start's local date."""
        day = self._local_date(start)
        if days < 0:
            raise ValueError(f"working days to add must not be negative: {days}")
        per_week = len(self.hours)
        if per_week == 0:
            raise ValueError("office calendar has no office hours on any weekday")
        remaining = days
        if days > 0:
            day += _DAY
            while (weeks := (remaining - 1) // per_week) > 0:
                end = day + weeks * _WEEK
                remaining -= self._working_days_in(day, end)
                day = end
        while True:
            opening = self._opening(day)
            if opening is not None:
                if remaining <= 1:
                    return opening[1]
                remaining -= 1
            day += _DAY


def _require_aware(instant: datetime) -> None:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"naive datetime not allowed: {instant.isoformat()}")
