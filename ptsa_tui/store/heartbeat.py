"""The alert daemons' heartbeats: one row per running daemon, rewritten on every pass.

A heartbeat is the daemon's own telemetry, not a change to any request, so it carries no audit
event; `ptsa alerts status` and the supervisor screen read it.

A daemon that stops cleanly takes its row away, so only a dead one's row goes stale. A
`--once` pass (cron) that led keeps one row per host, `HOST:once`, rewritten by the next pass,
so status can tell that cron's passes still run; one that stood by leaves none. A leader's beat
drops the other `:once` rows: the passes they stand for are over.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session
from sqlmodel import col

from ptsa_tui.store.models import Alert, AlertHeartbeat

FORGET_AFTER = timedelta(days=1)  # rows of daemons long gone are dropped
ONCE = ":once"


def once_name(host: str) -> str:
    """The heartbeat row of `--once` passes on `host`: one row however many passes ran."""
    return f"{host}{ONCE}"


@dataclass(frozen=True)
class Beat:
    daemon: str  # host:pid
    host: str
    pid: int
    role: str  # leader | standby
    interval: timedelta
    started_at: datetime
    at: datetime
    last_scan_at: datetime | None


def outbox_counts(session: Session) -> tuple[int, int]:
    """(pending, failed) alerts."""
    pending, failed = session.execute(
        select(
            func.count().filter(col(Alert.status) == "pending"),
            func.count().filter(col(Alert.status) == "failed"),
        )
    ).one()
    return int(pending), int(failed)


def write(engine: Engine, beat: Beat) -> tuple[int, int]:
    """Upsert this daemon's row; returns the (pending, failed) counts it wrote."""
    with Session(engine) as session, session.begin():
        pending, failed = outbox_counts(session)
        values = {
            "daemon": beat.daemon,
            "host": beat.host,
            "pid": beat.pid,
            "role": beat.role,
            "interval": beat.interval,
            "started_at": beat.started_at,
            "beat_at": beat.at,
            "last_scan_at": beat.last_scan_at,
            "pending": pending,
            "failed": failed,
        }
        statement = insert(AlertHeartbeat).values(**values)
        session.execute(
            statement.on_conflict_do_update(
                index_elements=[col(AlertHeartbeat.daemon)],
                set_={k: v for k, v in values.items() if k != "daemon"},
            )
        )
        session.execute(
            delete(AlertHeartbeat).where(col(AlertHeartbeat.beat_at) < beat.at - FORGET_AFTER)
        )
        if beat.role == "leader":
            session.execute(
                delete(AlertHeartbeat).where(
                    col(AlertHeartbeat.daemon).endswith(ONCE, autoescape=True),
                    col(AlertHeartbeat.daemon) != beat.daemon,
                )
            )
    return pending, failed


def remove(engine: Engine, daemon: str) -> None:
    """A daemon that stops cleanly takes its row away."""
    with Session(engine) as session, session.begin():
        session.execute(delete(AlertHeartbeat).where(col(AlertHeartbeat.daemon) == daemon))


def read(engine: Engine) -> list[AlertHeartbeat]:
    with Session(engine, expire_on_commit=False) as session:
        rows = session.scalars(
            select(AlertHeartbeat).order_by(
                col(AlertHeartbeat.role), col(AlertHeartbeat.beat_at).desc()
            )
        ).all()
        session.expunge_all()
        return list(rows)
