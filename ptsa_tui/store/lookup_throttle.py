"""Wrong look-ups at the kiosk are slowed down: after a few misses, each try must wait twice
as long as the last, per kiosk and per tracking number, so guessing the phone's last four
digits of someone's request takes days rather than minutes."""

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import text
from sqlalchemy.orm import Session

from ptsa_tui.store.errors import NotAllowed

WINDOW = timedelta(hours=1)  # misses older than this are forgotten
FREE_MISSES = 3  # typing errors: no wait for the first ones
LONGEST_WAIT = timedelta(minutes=10)


class TooSoon(NotAllowed):
    """Too many wrong tries: the next one must wait."""


def wait_after(misses: int) -> timedelta:
    if misses < FREE_MISSES:
        return timedelta(0)
    return min(timedelta(seconds=2 ** (misses - FREE_MISSES + 1)), LONGEST_WAIT)


def check_allowed(session: Session, keys: Sequence[str], now: datetime) -> None:
    """Raise TooSoon when any key has missed too often, too recently."""
    rows = session.execute(
        text(
            "SELECT key, count(*), max(at) FROM lookup_miss"
            " WHERE key = ANY(:keys) AND at > :since GROUP BY key"
        ),
        {"keys": list(keys), "since": now - WINDOW},
    ).all()
    for _key, misses, last in rows:
        left = last + wait_after(int(misses)) - now
        if left > timedelta(0):
            seconds = max(1, round(left.total_seconds()))
            raise TooSoon("too many wrong tries; try again in {seconds} s", seconds=seconds)


def record_miss(session: Session, keys: Sequence[str], now: datetime) -> None:
    session.execute(
        text("INSERT INTO lookup_miss (key, at) SELECT unnest(CAST(:keys AS text[])), :at"),
        {"keys": list(keys), "at": now},
    )
