"""The KPI screen's periods: this week, this month, the last 90 days, or a range typed in.

Dates are the office's local dates, both ends included, as the report counts them.
"""

from datetime import date, timedelta

from ptsa_tui.screens.i18n import N_, _

PERIODS = {
    "week": N_("This week"),
    "month": N_("This month"),
    "quarter": N_("Last 90 days"),
    "custom": N_("Custom range"),
}
MAX_DAYS = 366  # a custom range; longer ones are the report's job
TREND_WEEKS = 13  # the plots show at least this many weeks, however short the period


class BadRange(ValueError):
    """A custom range the officer must correct; the message says how, in their language."""


def period_range(choice: str, today: date) -> tuple[date, date]:
    """The dates one of the fixed choices covers, up to and including today."""
    if choice == "week":
        return today - timedelta(days=today.weekday()), today
    if choice == "month":
        return today.replace(day=1), today
    if choice == "quarter":
        return today - timedelta(days=89), today
    raise ValueError(f"no fixed period {choice!r}")


def parse_range(start_text: str, end_text: str, today: date) -> tuple[date, date]:
    """The custom range typed in, or a `BadRange` saying what is wrong with it."""
    start = _parse_day(start_text, _("From"), today)
    end = _parse_day(end_text, _("To"), today)
    if end < start:
        raise BadRange(
            _("The range ends before it begins: {end} is before {start}.").format(
                end=end.isoformat(), start=start.isoformat()
            )
        )
    if end > today:
        raise BadRange(
            _("The range cannot end after today ({today}).").format(today=today.isoformat())
        )
    if (end - start).days + 1 > MAX_DAYS:
        raise BadRange(
            _("The range is longer than {days} days; choose a shorter one.").format(days=MAX_DAYS)
        )
    return start, end


def _parse_day(text: str, field: str, today: date) -> date:
    text = text.strip()
    try:
        if len(text) != 10:  # fromisoformat also takes 20261102 and week dates
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise BadRange(
            _("{field}: “{text}” is not a date; write it as YYYY-MM-DD, e.g. {example}.").format(
                field=field, text=text, example=today.isoformat()
            )
        ) from None


def trend_window(start: date, end: date) -> tuple[date, date]:
    """The weeks the plots cover: the period's, and at least `TREND_WEEKS` up to its end."""
    monday = end - timedelta(days=end.weekday())
    return min(start, monday - timedelta(weeks=TREND_WEEKS - 1)), end
