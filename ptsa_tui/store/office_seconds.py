"""Office time inside SQL: the calendar's openings over a span of days, as three arrays.

`OfficeTable.build` asks the calendar (the one home of holidays, cuti bersama and overrides)
for each local day's real opening, keeps the working days, and hands them to a query as
parameters. `office_clock_sql(x)` is then a plain SQL expression for the instant x read on an
"office clock" that runs only while the office is open: 1970-01-01 UTC plus the office time
from the span's first opening to x. The office time between two instants is a difference of
two such readings, an exact interval. With k the last opening at or before x (`width_bucket`,
a binary search over the openings):

    office(x) = epoch + before[k] + least(x - opens[k], lengths[k])
              = least(x + shift[k], cap[k])    shift = epoch + before - opens (an interval)
                                               cap = epoch + before + lengths (an instant)

A bucket in front (year 1, no shift, cap 1970) stands for the instants before the first
opening. Days off have no entry; an instant after the span reads the span's total, so the
span must cover the instants it is used on. The shifts are whole microseconds with no day
part, so adding them is exact and never crosses a DST rule.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from ptsa_tui.store.calendar import OfficeCalendar

_DAY = timedelta(days=1)
_US = timedelta(microseconds=1)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)  # where the office clock starts
_BEFORE_ALL = datetime(1, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class OfficeTable:
    opens: tuple[datetime, ...]  # each working day's opening (UTC), ascending
    lengths: tuple[timedelta, ...]  # how long the office is open that day
    before: tuple[timedelta, ...]  # office time from the first opening to this one

    @classmethod
    def build(cls, calendar: OfficeCalendar, first: date, last: date) -> "OfficeTable":
        """The working days of [first, last], both inclusive (local dates)."""
        opens: list[datetime] = []
        lengths: list[timedelta] = []
        before: list[timedelta] = []
        total = timedelta(0)
        day = first
        while day <= last:
            opening = calendar.opening(day)
            if opening is not None:
                opens.append(opening[0])
                lengths.append(opening[1] - opening[0])
                before.append(total)
                total += opening[1] - opening[0]
            day += _DAY
        return cls(tuple(opens), tuple(lengths), tuple(before))

    def params(self) -> Mapping[str, list[datetime] | list[str]]:
        """The query parameters `office_clock_sql` refers to."""
        shifts = (EPOCH + b - o for b, o in zip(self.before, self.opens, strict=True))
        return {
            "office_marks": [_BEFORE_ALL, *self.opens],
            "office_shift": ["0", *(_microseconds(shift) for shift in shifts)],
            "office_cap": [
                EPOCH,
                *(EPOCH + b + n for b, n in zip(self.before, self.lengths, strict=True)),
            ],
        }


def _microseconds(delta: timedelta) -> str:
    """An interval literal of time only (no days): `timestamptz + interval` is then plain
    arithmetic, never a calendar day's in some session time zone."""
    return f"{delta // _US} microseconds"


def office_clock_sql(instant: str) -> str:
    """SQL (psycopg named parameters) for `instant`, a timestamptz expression, read on the
    office clock; pass `OfficeTable.params()` with the query."""
    k = f"width_bucket({instant}, %(office_marks)s::timestamptz[])"
    shift, cap = "%(office_shift)s::interval[]", "%(office_cap)s::timestamptz[]"
    return f"least({instant} + ({shift})[{k}], ({cap})[{k}])"


def local_midnight(day: date, calendar: OfficeCalendar) -> datetime:
    """The UTC instant a local office day begins."""
    return datetime.combine(day, time(), calendar.timezone).astimezone(UTC)
