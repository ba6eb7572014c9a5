"""The Age column counts from the task's own offer, to the second, and keeps counting
between reloads; a clock a little behind the server's shows 0s, not a negative age."""

import asyncio
from datetime import datetime, timedelta

from ptsa_tui.screens.app import DeskApp
from ptsa_tui.store.workflow import Workflow
from tests.conftest import MONDAY_10
from tests.screens.conftest import AppFactory, inbox_keys, log_in, until

OFFERED = MONDAY_10.replace(minute=3, second=27)


def age_of(app: DeskApp, task_id: int) -> str:
    table = app.screen.query_one("#inbox")
    return str(table.get_cell(str(task_id), "age"))  # type: ignore[attr-defined]


def test_age_counts_from_the_offer_and_moves_between_reloads(
    desks: None, make_app: AppFactory, workflow: Workflow
) -> None:
    registered = workflow.register(
        by="p0",
        service_code="SVC-A",
        customer={"name": "PT Detik", "phone": "081211112222"},
        subject="Permohonan",
        details="",
        now=OFFERED,
    )
    task_id = registered.task.id
    assert task_id is not None
    now = [OFFERED + timedelta(seconds=5)]

    def clock() -> datetime:
        return now[0]

    app = make_app(live=False, clock=clock, poll_every=3600)

    async def scenario() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await log_in(pilot, "p1a")
            assert inbox_keys(app) == [str(task_id)]
            assert age_of(app, task_id) == "5s"
            loads = app.loads
            now[0] = OFFERED + timedelta(seconds=47)
            await until(pilot, lambda: age_of(app, task_id) == "47s")
            now[0] = OFFERED + timedelta(minutes=2, seconds=1)
            await until(pilot, lambda: age_of(app, task_id) == "2m")
            assert app.loads == loads  # no reload: the screen's own tick
            now[0] = OFFERED - timedelta(seconds=4)  # this desk's clock is behind
            await until(pilot, lambda: age_of(app, task_id) == "0s")

    asyncio.run(scenario())
