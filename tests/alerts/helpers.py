"""Reading the outbox back in the alert tests."""

from typing import Any

from sqlalchemy import Engine, text


def alerts(engine: Engine) -> list[dict[str, Any]]:
    """Every alert row with the recipient's username, oldest first."""
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT a.id, a.task_id, a.level, a.channel, o.username, a.address, a.status,"
                " a.attempts, a.last_error FROM alert a JOIN officer o ON o.id = a.recipient_id"
                " ORDER BY a.id"
            )
        ).mappings()
        return [dict(row) for row in rows]


def keys(engine: Engine, status: str | None = None) -> set[tuple[int, int, str, str]]:
    """(task, level, channel, username) of the alerts, optionally of one status."""
    return {
        (a["task_id"], a["level"], a["channel"], a["username"])
        for a in alerts(engine)
        if status is None or a["status"] == status
    }


def attempts(engine: Engine) -> list[tuple[int, bool, str | None]]:
    with engine.connect() as conn:
        return [
            (row[0], row[1], row[2])
            for row in conn.execute(
                text("SELECT alert_id, ok, error FROM alert_attempt ORDER BY id")
            )
        ]


def event_count(engine: Engine, kind: str) -> int:
    with engine.connect() as conn:
        found = conn.execute(text("SELECT count(*) FROM event WHERE kind = :k"), {"k": kind})
        return int(found.scalar() or 0)
