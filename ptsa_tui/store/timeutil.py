"""UTC instants; every stored time is an aware UTC timestamptz."""

from datetime import UTC, datetime


def utc_now() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError(f"naive datetime {moment.isoformat()}: give a time zone")
    return moment.astimezone(UTC)
