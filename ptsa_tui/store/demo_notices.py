"""The demo's past customer notices, delivered as a daemon with an SMS gateway would have
done it: each a few seconds after its event, with its attempt and its `notice_sent` event.

Only the demo writes this way, for the weeks it makes up; a live office's notices are sent
one by one by the daemon (`store.notices`).
"""

from datetime import datetime, timedelta

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from ptsa_tui.store import audit
from ptsa_tui.store.delivery import NOTICES

DEMO_DAEMON = "demo"
SEND_TOOK = timedelta(seconds=3)

_SETTLE = """
WITH settled AS (
    UPDATE notice SET status = 'sent', attempts = 1, sent_at = least(created_at + :took, :until)
    WHERE status = 'pending' AND created_at <= :until
    RETURNING id, request_id, event_id, purpose, channel, sent_at
), tried AS (
    INSERT INTO notice_attempt (notice_id, at, ok, error, daemon)
    SELECT id, sent_at, true, NULL, :daemon FROM settled
)
SELECT s.id, s.request_id, e.task_id, s.purpose, s.channel, s.sent_at
FROM settled s JOIN event e ON e.id = s.event_id
ORDER BY s.id
"""


def settle_notices(engine: Engine, *, until: datetime) -> int:
    """Deliver every notice raised by `until`; returns how many."""
    with Session(engine) as session, session.begin():
        rows = session.execute(
            text(_SETTLE), {"until": until, "took": SEND_TOOK, "daemon": DEMO_DAEMON}
        ).all()
        audit.record_all(
            session,
            [
                audit.NewEvent(
                    kind=f"{NOTICES.kind}_sent",
                    at=sent_at,
                    officer_id=None,
                    request_id=request_id,
                    task_id=task_id,
                    details={"notice": notice_id, "purpose": purpose, "channel": channel},
                )
                for notice_id, request_id, task_id, purpose, channel, sent_at in rows
            ],
        )
    return len(rows)
