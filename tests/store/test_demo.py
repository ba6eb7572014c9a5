"""The demo office behind `ptsa demo`: the first office's 56 officers, sample requests at every
stage, logins that work, and a second run that adds nothing. (Its weeks of history:
test_demo_history.py.)"""

from collections import Counter
from typing import Any

from sqlalchemy import Engine, text

from ptsa_tui.store.demo import DEMO_PASSWORD, SAMPLE_REQUESTS, demo_steps, seed_demo
from ptsa_tui.store.demo_overdue import OVERDUE
from ptsa_tui.store.login import authenticate
from ptsa_tui.store.workflow import Workflow
from tests.conftest import MONDAY_10

OVERDUE_TODAY = len(OVERDUE) + 1  # and the stale one, late since the day before


def rows_of(engine: Engine, sql: str) -> list[tuple[Any, ...]]:
    with engine.connect() as conn:
        return [tuple(row) for row in conn.execute(text(sql))]


def test_the_demo_office_is_seeded_once_with_steps_as_announced(
    engine: Engine, workflow: Workflow
) -> None:
    steps: Counter[str] = Counter()
    announced = demo_steps(engine, workflow, weeks=0, now=MONDAY_10)
    summary = seed_demo(
        engine, workflow, lambda what, n: steps.update({what: n}), now=MONDAY_10, weeks=0
    )
    assert sum(steps.values()) == announced
    assert steps["requests"] == summary.requests == SAMPLE_REQUESTS
    assert summary.history == 0 and "history" not in steps  # no weeks, no history
    assert steps["overdue"] == summary.overdue == OVERDUE_TODAY

    positions: dict[str, int] = dict(
        rows_of(
            engine,
            "SELECT 'P' || u.tier, count(*) FROM officer o JOIN unit u ON u.id = o.unit_id"
            " GROUP BY u.tier",
        )
    )
    assert positions == {"P0": 9, "P1": 14, "P2": 33}
    states = {row[0] for row in rows_of(engine, "SELECT status FROM request")}
    assert {"open", "closed"} <= states
    holders = rows_of(engine, "SELECT count(*) FROM task WHERE claimed_by IS NOT NULL")
    assert holders[0][0] > 0  # some requests wait in queues, some are held

    user = authenticate(engine, username="p0", password=DEMO_PASSWORD, host="test")
    assert user.position == "P0"
    [(stored,)] = rows_of(engine, "SELECT password_hash FROM officer WHERE username = 'p0'")
    assert str(stored).startswith("$argon2") and DEMO_PASSWORD not in str(stored)

    again: Counter[str] = Counter()
    announced = demo_steps(engine, workflow, weeks=2, now=MONDAY_10)
    second = seed_demo(
        engine, workflow, lambda what, n: again.update({what: n}), now=MONDAY_10, weeks=2
    )
    assert second.requests == 0 and second.history == 0 and second.alerts is None
    assert "requests" not in again and "history" not in again
    assert sum(again.values()) == announced
    requests = SAMPLE_REQUESTS + OVERDUE_TODAY
    assert rows_of(engine, "SELECT count(*) FROM request") == [(requests,)]
