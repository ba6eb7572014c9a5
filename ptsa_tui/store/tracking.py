"""Tracking numbers, PTSA-YYYY-NNNNNN: consecutive within the office year, without gaps."""

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import text
from sqlalchemy.orm import Session

# The row lock taken here is held until the registering transaction ends: a registration that
# fails after this point rolls the counter back with it, so its number goes to the next one.
_TAKE = text(
    "INSERT INTO tracking_counter (year, last) VALUES (:year, 1)"
    " ON CONFLICT (year) DO UPDATE SET last = tracking_counter.last + 1"
    " RETURNING last"
)


def next_tracking_no(session: Session, now: datetime, zone: ZoneInfo) -> str:
    """The next number of the office year of `now`, inside the caller's transaction."""
    year = now.astimezone(zone).year
    number = session.scalar(_TAKE, {"year": year})
    assert number is not None
    return f"PTSA-{year}-{number:06d}"
