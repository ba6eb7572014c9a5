"""What a nudge tells the unit's desks: which request, from whom, and the supervisor's note."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine

from ptsa_tui.store.database import bare_connection
from ptsa_tui.store.rights import Actor


@dataclass(frozen=True, slots=True)
class NudgeNotice:
    tracking_no: str
    by: str  # the supervisor's username
    by_name: str
    note: str | None
    at: datetime


# The event's own index (request, id), newest first; only a task of the reader's unit.
LATEST_NUDGE = """
SELECT r.tracking_no, o.username, o.full_name, e.details ->> 'note', e.at
FROM event e
JOIN request r ON r.id = e.request_id
JOIN task t ON t.id = e.task_id
JOIN officer o ON o.id = e.officer_id
WHERE e.request_id = %(request)s AND e.task_id = %(task)s AND e.kind = 'nudged'
  AND t.unit_id = %(unit)s
ORDER BY e.id DESC
LIMIT 1
"""


def nudge_notice(
    engine: Engine, *, user: Actor, request_id: int, task_id: int
) -> NudgeNotice | None:
    """The latest nudge of a task in `user`'s unit; None when there is none."""
    params = {"request": request_id, "task": task_id, "unit": user.unit_id}
    with bare_connection(engine) as conn:
        row = conn.execute(LATEST_NUDGE, params).fetchone()
    return None if row is None else NudgeNotice(*row)
