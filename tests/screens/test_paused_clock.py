"""Out of office hours the office clock stands still, so a deadline keeps showing the same
time left: seen before, `sisa 30m` next to an Age of 1h, with no word saying why."""

import asyncio
from datetime import timedelta

from ptsa_tui.screens.app import DeskApp
from ptsa_tui.store.workflow import Workflow
from tests.conftest import MONDAY_10
from tests.screens.conftest import AppFactory, log_in
from tests.screens.screen_text import screen_text

EVENING = MONDAY_10.replace(hour=20)  # Monday 20:00 WIB: the office closed at 16:00


def test_out_of_hours_the_countdown_says_its_clock_is_paused(
    desks: None, make_app: AppFactory, workflow: Workflow
) -> None:
    workflow.register(
        by="p0",
        service_code="SVC-A",
        customer={"name": "PT Malam"},
        subject="s",
        now=EVENING - timedelta(hours=1),
    )
    evening = make_app(live=False, clock=lambda: EVENING)
    next_morning = make_app(live=False, clock=lambda: MONDAY_10 + timedelta(days=1))

    async def inbox_of(app: DeskApp) -> str:
        async with app.run_test(size=(80, 24)) as pilot:
            await log_in(pilot, "p1a")
            return screen_text(app)

    shown = asyncio.run(inbox_of(evening))
    assert "sisa 30m, jeda" in shown, shown
    during_hours = asyncio.run(inbox_of(next_morning))
    assert "terlambat" in during_hours and "jeda" not in during_hours
