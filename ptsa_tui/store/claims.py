"""The claim: one atomic statement that takes the task and writes its audit event.

Of any number of concurrent claimers exactly one matches the conditional UPDATE; the others
match nothing and are then told why (holder, other unit, closed) by a separate read. The
event's trigger NOTIFYs inside the same statement (migration 0004).
"""

from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import TYPE_CHECKING, Any, NoReturn

from ptsa_tui.store.errors import Conflict, NotFound
from ptsa_tui.store.rights import (
    Action,
    Actor,
    RequestFacts,
    TaskFacts,
    UnitFacts,
    inactive,
    raise_if,
    refusal,
)
from ptsa_tui.store.timeutil import utc_now

if TYPE_CHECKING:
    import psycopg
    from sqlalchemy import Engine

# The event rides in the same statement, so the claim is one round trip and one transaction:
# it commits with its event (and the event's NOTIFY) or not at all.
CLAIM = """
WITH actor AS (
    SELECT id, unit_id FROM officer
    WHERE active AND (id = %(officer_id)s OR username = %(username)s)
      AND (locked_until IS NULL OR locked_until <= %(clock)s)
), won AS (
    UPDATE task t SET claimed_by = actor.id, claimed_at = %(now)s
    FROM actor
    WHERE t.id = %(task_id)s AND t.closed_at IS NULL AND t.claimed_by IS NULL
      AND t.unit_id = actor.unit_id
    RETURNING t.id, t.request_id, t.unit_id, t.claimed_by, t.claimed_at
), logged AS (
    INSERT INTO event (at, kind, request_id, task_id, officer_id, details)
    SELECT %(now)s, 'claimed', request_id, id, claimed_by, '{}' FROM won
)
SELECT won.id, won.request_id, won.unit_id, won.claimed_by, won.claimed_at, r.tracking_no
FROM won JOIN request r ON r.id = won.request_id
"""


# Why a claim matched nothing, read right after it on the same connection: one round trip,
# and a fresh snapshot, so a rival's committed claim is seen and named. The facts go to the
# rules, which say why.
WHY_NOT = """
SELECT o.id, o.username, o.full_name, o.active, o.supervisor, o.language,
       ou.id, ou.code, ou.name, ou.tier, ou.parent_id,
       t.id, tu.id, tu.code, tu.name, tu.tier, tu.parent_id, t.purpose,
       CASE WHEN t.closed_at IS NOT NULL THEN t.outcome END, t.claimed_by,
       h.username || ' (' || h.full_name || ')',
       r.tracking_no, r.status, r.origin_unit_id,
       CASE WHEN o.locked_until > %(clock)s THEN o.locked_until END
FROM (SELECT 1) AS one
LEFT JOIN officer o ON o.id = %(officer_id)s OR o.username = %(username)s
LEFT JOIN unit ou ON ou.id = o.unit_id
LEFT JOIN task t ON t.id = %(task_id)s
LEFT JOIN unit tu ON tu.id = t.unit_id
LEFT JOIN officer h ON h.id = t.claimed_by
LEFT JOIN request r ON r.id = t.request_id
"""


@dataclass(frozen=True)
class Claim:
    task_id: int
    request_id: int
    unit_id: int
    officer_id: int
    claimed_at: datetime
    tracking_no: str


def claim_task(
    engine: "Engine", *, task_id: int, by: str | int, now: datetime, zone: tzinfo = UTC
) -> Claim:
    """Claim `task_id` for the officer `by` (username or id), or raise why not."""
    from ptsa_tui.store.database import bare_connection  # SQLAlchemy: not for store/lean.py

    with bare_connection(engine) as conn:
        return claim_on(conn, task_id=task_id, by=by, now=now, zone=zone)


def claim_on(
    conn: "psycopg.Connection[tuple[Any, ...]]",
    *,
    task_id: int,
    by: str | int,
    now: datetime,
    zone: tzinfo = UTC,
) -> Claim:
    """The claim on `conn`: committed at once in autocommit, else with the caller's transaction.

    A lock-out is judged on the real clock, as `actors.load_actor` does (`now` may be a
    simulated one); `zone` is the one a refusal tells its end in."""
    officer_id, username = (by, None) if isinstance(by, int) else (None, by)
    params = {
        "officer_id": officer_id,
        "username": username,
        "task_id": task_id,
        "now": now,
        "clock": utc_now(),
    }
    row = conn.execute(CLAIM, params).fetchone()
    if row is None:
        _raise_why_not(by, task_id, conn.execute(WHY_NOT, params).fetchone(), zone)
    return Claim(*row[:6])


def _raise_why_not(
    by: str | int, task_id: int, row: tuple[Any, ...] | None, zone: tzinfo
) -> NoReturn:
    """The typed error for a claim that matched nothing, as the rules give it."""
    assert row is not None
    if row[0] is None:
        raise NotFound("no officer {officer!r}", officer=by)
    officer_id, username, full_name, active, supervisor, language = row[:6]
    locked_until = row[24].astimezone(zone) if row[24] else None
    actor = Actor(
        officer_id,
        username,
        full_name,
        UnitFacts(*row[6:11]),
        supervisor,
        active,
        language,
        locked_until,
    )
    raise_if(inactive(actor))  # before "no task", as the workflow loads the actor first
    if row[11] is None:
        raise NotFound("no task {task}", task=task_id)
    unit = UnitFacts(*row[12:17])
    purpose, outcome, holder_id, holder, tracking_no, status, origin = row[17:24]
    request = RequestFacts(tracking_no, status, origin, frozenset({unit.id}))
    task = TaskFacts(task_id, unit, purpose, outcome, holder_id, holder, request)
    raise_if(refusal(Action.CLAIM, actor, task))
    raise Conflict("task {task} could not be claimed; try again", task=task_id)
