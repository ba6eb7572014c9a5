"""The claim: one atomic statement that takes the task, writes its audit event and NOTIFYs.

Of any number of concurrent claimers exactly one matches the conditional UPDATE; the others
match nothing and are then told why (holder, other unit, closed) by a separate read.
"""

from datetime import datetime

from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session
from sqlmodel import col

from ptsa_tui.store.actors import holder_label, load_actor, require_in_unit, require_open
from ptsa_tui.store.audit import CHANNEL
from ptsa_tui.store.errors import Conflict, NotFound
from ptsa_tui.store.models import Task, Unit

# The event and the NOTIFY ride in the same statement, so the claim is one round trip and
# one transaction: it commits with both or not at all.
CLAIM = text(f"""
WITH actor AS (
    SELECT id, unit_id FROM officer
    WHERE active AND (id = :officer_id OR username = :username)
), won AS (
    UPDATE task t SET claimed_by = actor.id, claimed_at = :now
    FROM actor
    WHERE t.id = :task_id AND t.closed_at IS NULL AND t.claimed_by IS NULL
      AND t.unit_id = actor.unit_id
    RETURNING t.*
), logged AS (
    INSERT INTO event (at, kind, request_id, task_id, officer_id, details)
    SELECT :now, 'claimed', request_id, id, claimed_by, '{{}}' FROM won
)
SELECT won.*, pg_notify('{CHANNEL}', json_build_object(
    'request', request_id, 'task', id, 'unit', unit_id, 'kind', 'claimed')::text) AS notified
FROM won
""")


def claim_task(engine: Engine, *, task_id: int, by: str | int, now: datetime) -> Task:
    """Claim `task_id` for the officer `by` (username or id), or raise why not."""
    officer_id, username = (by, None) if isinstance(by, int) else (None, by)
    params = {"officer_id": officer_id, "username": username, "task_id": task_id, "now": now}
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        row = conn.execute(CLAIM, params).mappings().first()
    if row is None:
        _explain_lost_claim(engine, task_id, by)
    assert row is not None
    return Task(**{key: value for key, value in row.items() if key != "notified"})


def _explain_lost_claim(engine: Engine, task_id: int, by: str | int) -> None:
    """Why the conditional UPDATE matched nothing, as the right typed error."""
    with Session(engine) as session:
        actor = load_actor(session, by)
        found = session.execute(
            select(Task, Unit)
            .join(Unit, col(Unit.id) == col(Task.unit_id))
            .where(col(Task.id) == task_id)
        ).first()
        if found is None:
            raise NotFound(f"no task {task_id}")
        task, unit = found
        require_in_unit(actor, task, unit, "claim")
        require_open(task)
        if task.claimed_by is not None:
            raise Conflict(
                f"task {task.id} is already claimed by {holder_label(session, task.claimed_by)}"
            )
        raise Conflict(f"task {task.id} could not be claimed")
