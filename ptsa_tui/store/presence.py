"""Who has a desk app open: each app refreshes its row; a row older than the TTL is gone.

Presence is telemetry, not request state: it writes no audit event, so a heartbeat every
20 s per desk does not flood the events table.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, delete
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session
from sqlmodel import col, select

from ptsa_tui.store.limits import PRESENCE_TTL
from ptsa_tui.store.models import Officer, Presence, Unit
from ptsa_tui.store.timeutil import as_utc, utc_now


@dataclass(frozen=True)
class Present:
    officer_id: int
    username: str
    full_name: str
    unit_code: str
    host: str
    last_seen_at: datetime


def touch(
    engine: Engine,
    *,
    officer_id: int,
    host: str,
    pid: int,
    now: datetime | None = None,
    active_at: datetime | None = None,
) -> None:
    """Mark this app as alive now (insert on first call, refresh after); `active_at` is the
    officer's last key or click, if any."""
    now = as_utc(now) if now else utc_now()
    active_at = as_utc(active_at) if active_at else None
    statement = insert(Presence).values(
        officer_id=officer_id,
        host=host,
        pid=pid,
        started_at=now,
        last_seen_at=now,
        active_at=active_at,
    )
    statement = statement.on_conflict_do_update(
        index_elements=["officer_id", "host", "pid"],
        set_={"last_seen_at": now, "active_at": active_at},
    )
    with Session(engine) as session, session.begin():
        session.execute(statement)


def leave(engine: Engine, *, officer_id: int, host: str, pid: int) -> None:
    """The app closes: it stops counting at once rather than after the TTL."""
    with Session(engine) as session, session.begin():
        session.execute(
            delete(Presence).where(
                col(Presence.officer_id) == officer_id,
                col(Presence.host) == host,
                col(Presence.pid) == pid,
            )
        )


def present(engine: Engine, *, now: datetime | None = None) -> list[Present]:
    """Officers with an app seen within the TTL, one row per officer (their latest app)."""
    now = as_utc(now) if now else utc_now()
    with Session(engine) as session:
        rows = session.execute(
            select(Presence, Officer, Unit)
            .join(Officer, col(Officer.id) == col(Presence.officer_id))
            .join(Unit, col(Unit.id) == col(Officer.unit_id))
            .where(col(Presence.last_seen_at) > now - PRESENCE_TTL)
            .order_by(col(Unit.code), col(Officer.username), col(Presence.last_seen_at).desc())
        ).all()
    latest: dict[int, Present] = {}
    for presence, officer, unit in rows:
        latest.setdefault(
            presence.officer_id,
            Present(
                officer_id=presence.officer_id,
                username=officer.username,
                full_name=officer.full_name,
                unit_code=unit.code,
                host=presence.host,
                last_seen_at=presence.last_seen_at,
            ),
        )
    return list(latest.values())
