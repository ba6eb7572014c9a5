"""Who is on duty in a supervisor's units: the officers with a desk app open now.

Presence records when each app opened, its last heartbeat (sent on a timer) and the officer's
last key or click (sent with the next heartbeat): so each officer comes with how long the app
has been open, how long they have been idle, and how many tasks they hold.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine

from ptsa_tui.store.database import bare_connection
from ptsa_tui.store.escalation_scope import load_scope
from ptsa_tui.store.limits import PRESENCE_TTL
from ptsa_tui.store.rights import Actor
from ptsa_tui.store.timeutil import as_utc


@dataclass(frozen=True, slots=True)
class OnDuty:
    username: str
    full_name: str
    unit_code: str
    supervisor: bool
    since: datetime  # when the earliest of their open apps started
    last_seen_at: datetime  # the latest heartbeat of any of them
    holding: int  # open tasks they have claimed or been assigned
    active_at: datetime | None  # their last key or click in any of their apps

    def idle(self, now: datetime) -> timedelta | None:
        """How long since the officer last pressed a key or clicked (None: not since opening)."""
        return None if self.active_at is None else max(now - self.active_at, timedelta(0))


ON_DUTY = """
SELECT o.username, o.full_name, u.code, o.supervisor, min(p.started_at), max(p.last_seen_at),
       (SELECT count(*) FROM task t WHERE t.claimed_by = o.id AND t.closed_at IS NULL),
       max(p.active_at)
FROM presence p
JOIN officer o ON o.id = p.officer_id
JOIN unit u ON u.id = o.unit_id
WHERE o.unit_id = ANY(%(units)s) AND o.active AND p.last_seen_at > %(alive_after)s
GROUP BY o.id, u.code
ORDER BY u.code, o.username
"""


def on_duty(engine: Engine, *, user: Actor, now: datetime) -> list[OnDuty]:
    """The officers of the supervisor's units with an app seen within the presence TTL."""
    scope = load_scope(engine, user)
    if not scope.units:
        return []
    params = {"units": scope.unit_ids, "alive_after": as_utc(now) - PRESENCE_TTL}
    with bare_connection(engine) as conn:
        return [OnDuty(*row) for row in conn.execute(ON_DUTY, params)]
