"""Is the alert daemon healthy? A leader whose heartbeat is fresh; stale or absent is not."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from ptsa_tui.store.models import AlertHeartbeat

GRACE = timedelta(seconds=15)  # on top of three missed intervals


@dataclass(frozen=True)
class Health:
    healthy: bool
    reason: str
    daemons: list[dict[str, Any]]


def stale_after(interval: timedelta) -> timedelta:
    return 3 * interval + GRACE


def judge(beats: list[AlertHeartbeat], now: datetime) -> Health:
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
