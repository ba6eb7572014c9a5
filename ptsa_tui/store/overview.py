"""Per-unit counts of open work, for the demo and supervisors."""

from typing import Any

from sqlalchemy import Engine, text

from ptsa_tui.store.timeutil import utc_now

_OVERVIEW = text(
    """
    SELECT u.code, u.tier, u.name,
           (SELECT count(*) FROM officer o WHERE o.unit_id = u.id AND o.active) AS officers,
           count(t.id) FILTER (WHERE t.claimed_by IS NULL) AS queued,
           count(t.id) FILTER (WHERE t.claimed_by IS NOT NULL) AS claimed,
           count(t.id) FILTER (WHERE t.claimed_by IS NULL AND t.claim_due_at < :now) AS overdue
    FROM unit u
    LEFT JOIN task t ON t.unit_id = u.id AND t.closed_at IS NULL
    GROUP BY u.id
    ORDER BY u.tier, coalesce(u.parent_id, u.id), u.code
    """
)


def unit_overview(engine: Engine) -> list[dict[str, Any]]:
    with engine.connect() as connection:
        return [dict(row._mapping) for row in connection.execute(_OVERVIEW, {"now": utc_now()})]
