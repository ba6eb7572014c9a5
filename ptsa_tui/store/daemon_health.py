"""Is the alert daemon healthy? A leader whose heartbeat is fresh; stale or absent is not.

The one staleness rule, for `ptsa alerts status` and the supervisors' screen alike.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from ptsa_tui.store import heartbeat
from ptsa_tui.store.models import AlertHeartbeat
from ptsa_tui.store.timeutil import as_utc

State = Literal["ok", "stale", "no_leader", "missing"]

GRACE = timedelta(seconds=15)  # on top of three missed intervals


@dataclass(frozen=True)
class Health:
    healthy: bool
    reason: str
    daemons: list[dict[str, Any]]

    @property
    def state(self) -> State:
        if self.healthy:
            return "ok"
        if not self.daemons:
            return "missing"
        return "stale" if all(d["stale"] for d in self.daemons) else "no_leader"

    @property
    def leader(self) -> dict[str, Any] | None:
        """The daemon that scans: the live leader, else the freshest row of any role."""
        leaders = [d for d in self.daemons if d["role"] == "leader" and not d["stale"]]
        if leaders:
            return leaders[0]
        return max(self.daemons, key=lambda d: d["beat_at"], default=None)


def stale_after(interval: timedelta) -> timedelta:
    return 3 * interval + GRACE


def judge(beats: Sequence[AlertHeartbeat], now: datetime) -> Health:
    daemons = [
        {
            "daemon": b.daemon,
            "host": b.host,
            "pid": b.pid,
            "role": b.role,
            "beat_at": b.beat_at,
            "last_scan_at": b.last_scan_at,
            "started_at": b.started_at,
            "pending": b.pending,
            "failed": b.failed,
            "stale": now - b.beat_at > stale_after(b.interval),
        }
        for b in beats
    ]
    if not daemons:
        return Health(False, "no alert daemon has written a heartbeat", daemons)
    live_leaders = [d for d in daemons if d["role"] == "leader" and not d["stale"]]
    if live_leaders:
        return Health(True, f"leader {live_leaders[0]['daemon']} is scanning", daemons)
    if any(not d["stale"] for d in daemons):
        return Health(False, "daemons are running but none leads (database lock?)", daemons)
    newest = max(b.beat_at for b in beats)
    return Health(False, f"heartbeat stale: last beat {now - newest} ago", daemons)


@dataclass(frozen=True)
class DaemonHealth:
    """The alert daemon as a supervisor's screen shows it."""

    state: State  # ok | stale (every heartbeat too old) | no_leader | missing (no heartbeat)
    reason: str  # one line, in English, for logs and the CLI
    host: str | None  # the leader's, else the last daemon heard from
    beat_at: datetime | None  # that daemon's last heartbeat
    last_scan_at: datetime | None
    pending: int  # alerts still to send, counted now (a dead daemon's rows would not)
    failed: int  # alerts given up on
    daemons: int  # heartbeat rows

    @property
    def healthy(self) -> bool:
        return self.state == "ok"


def read_health(engine: Engine, now: datetime) -> DaemonHealth:
    now = as_utc(now)
    health = judge(heartbeat.read(engine), now)
    with Session(engine) as session:
        pending, failed = heartbeat.outbox_counts(session)
    leader = health.leader or {}
    return DaemonHealth(
        state=health.state,
        reason=health.reason,
        host=leader.get("host"),
        beat_at=leader.get("beat_at"),
        last_scan_at=leader.get("last_scan_at"),
        pending=pending,
        failed=failed,
        daemons=len(health.daemons),
    )
