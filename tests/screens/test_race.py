"""Two P1 desks claim the same task at once: one wins, the other is told who holds it."""

import asyncio
from typing import Any

from sqlalchemy import Engine, text

from ptsa_tui.screens.app import DeskApp
from ptsa_tui.store.workflow import Workflow
from tests.conftest import MONDAY_10
from tests.screens.conftest import AppFactory, inbox_keys, log_in, until


def recording(app: DeskApp) -> list[tuple[str, str]]:
    """Every toast the app shows, as (severity, text)."""
    said: list[tuple[str, str]] = []
    shown = app.notify

    def notify(message: str, **kw: Any) -> None:
        said.append((str(kw.get("severity", "information")), str(message)))
        shown(message, **kw)

    app.notify = notify  # type: ignore[method-assign]
    return said


def test_two_desks_race_for_one_claim(
    desks: None, make_app: AppFactory, workflow: Workflow, engine: Engine
) -> None:
    task = workflow.register(
        by="p0", service_code="SVC-A", customer={"name": "PT Rebutan"}, subject="s", now=MONDAY_10
    ).task
    first, second = make_app(live=False), make_app(live=False)
    heard = {id(first): recording(first), id(second): recording(second)}

    async def scenario() -> None:
        async with first.run_test() as pilot1, second.run_test() as pilot2:
            await log_in(pilot1, "p1a")
            await log_in(pilot2, "p1a2")
            assert inbox_keys(first) == inbox_keys(second) == [str(task.id)]
            await asyncio.gather(pilot1.press("c"), pilot2.press("c"))
            await until(pilot1, lambda: all(heard[id(a)] for a in (first, second)))

    asyncio.run(scenario())
    with engine.connect() as conn:
        holder = conn.scalar(
            text("SELECT o.username FROM task t JOIN officer o ON o.id = t.claimed_by")
        )
    winner, loser = (first, second) if holder == "p1a" else (second, first)
    assert [severity for severity, _ in heard[id(winner)]] == ["information"]
    (severity, said), *_ = heard[id(loser)]
    assert severity == "error"
    assert holder in said and "Konflik" in said
    # seen before: `Konflik: task 60 is already claimed by p1 (Rizky Maulana)`
    assert "sudah diklaim oleh" in said and "claimed" not in said
