"""Keys that cannot be taken back ask first; pickers pick what an officer expects.

`x` asks before closing, and only a yes closes. In the dispatch picker Enter on a unit goes on
to the note, and nothing is sent until ctrl+s, OK or Enter in the note. In intake, the first
service matching the search is highlighted and Enter in the search picks it.
"""

import asyncio

from sqlalchemy import Engine, text
from textual.widgets import Input, OptionList

from ptsa_tui.screens.intake import IntakeScreen
from ptsa_tui.screens.modals import Confirm, DispatchModal
from ptsa_tui.store.workflow import Workflow
from tests.screens.conftest import AppFactory, log_in, until
from tests.screens.office import morning
from tests.screens.screen_text import screen_text


def status_of_task(engine: Engine, task_id: int) -> tuple[object, object]:
    with engine.connect() as conn:
        row = conn.execute(
            text("SELECT closed_at, outcome FROM task WHERE id = :id"), {"id": task_id}
        ).one()
    return row[0], row[1]


def test_close_asks_and_only_yes_closes(
    desks: None, make_app: AppFactory, workflow: Workflow, engine: Engine
) -> None:
    ids = morning(workflow)
    app = make_app(live=False)

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await log_in(pilot, "p0")
            await pilot.press("5")  # the answer to deliver
            await pilot.pause()
            await pilot.press("x")
            await until(pilot, lambda: isinstance(app.screen, Confirm))
            await pilot.pause()
            question = screen_text(app)
            assert "PTSA-2026-000001" in question
            # the whole question at 80×24 (seen before: cut after "yang ditutup")
            assert "tidak dapat dibuka lagi." in question
            await pilot.press("enter")  # the focus is on Cancel: Enter alone never closes
            await until(pilot, lambda: not isinstance(app.screen, Confirm))
            await pilot.press("x")
            await until(pilot, lambda: isinstance(app.screen, Confirm))
            await pilot.press("escape")
            await until(pilot, lambda: not isinstance(app.screen, Confirm))
            await pilot.pause()
            assert status_of_task(engine, ids["deliver"]) == (None, None)
            await pilot.press("x")
            await until(pilot, lambda: isinstance(app.screen, Confirm))
            await pilot.press("y")
            await until(pilot, lambda: status_of_task(engine, ids["deliver"])[1] == "closed")

    asyncio.run(scenario())


def test_dispatch_enter_on_a_unit_goes_to_the_note_and_escape_sends_nothing(
    desks: None, make_app: AppFactory, workflow: Workflow, engine: Engine
) -> None:
    ids = morning(workflow)
    workflow.claim(task_id=ids["fresh"], by="p1a", now=None)
    app = make_app(live=False)

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await log_in(pilot, "p1a")
            await pilot.press("2")  # mine: the claimed task
            await pilot.pause()
            await pilot.press("d")
            await until(pilot, lambda: isinstance(app.screen, DispatchModal))
            units = app.screen.query_one("#choices", OptionList)
            await until(pilot, lambda: units.option_count > 0)
            await pilot.press("enter")
            assert isinstance(app.screen, DispatchModal)
            assert app.screen.focused is app.screen.query_one("#note", Input)
            await pilot.press(*"Catatan", "escape")
            await until(pilot, lambda: not isinstance(app.screen, DispatchModal))
            await pilot.pause()
            assert status_of_task(engine, ids["fresh"]) == (None, None)

    asyncio.run(scenario())


def test_enter_in_the_service_search_picks_the_first_match(
    desks: None, make_app: AppFactory
) -> None:
    app = make_app(live=False)

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await log_in(pilot, "p0")
            await pilot.press("n")
            await until(pilot, lambda: isinstance(app.screen, IntakeScreen))
            screen = app.screen
            assert isinstance(screen, IntakeScreen)
            services = screen.query_one("#services", OptionList)
            await until(pilot, lambda: services.option_count > 0)
            screen.query_one("#service-search", Input).focus()
            await pilot.press(*"SVC-B")
            await until(pilot, lambda: services.option_count == 1)
            assert services.highlighted == 0
            await pilot.press("enter")
            assert screen.service is not None and screen.service.code == "SVC-B"
            assert screen.focused is screen.query_one("#subject", Input)

    asyncio.run(scenario())
