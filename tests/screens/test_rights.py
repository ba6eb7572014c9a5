"""Rights on the desk: a P2 officer never sees another unit's queue, nor acts on it."""

import asyncio

from ptsa_tui.store.workflow import Workflow
from tests.screens.conftest import AppFactory, inbox_keys, log_in
from tests.screens.office import morning


def test_p2_sees_only_its_own_units_tasks(
    desks: None, make_app: AppFactory, workflow: Workflow
) -> None:
    ids = morning(workflow)
    # Another echelon-2 unit's queue holds work too: B2X gets one.
    workflow.claim(task_id=ids["other_unit"], by="p1b")
    moved = workflow.dispatch(task_id=ids["other_unit"], to="B2X", by="p1b")
    assert moved.offered is not None
    app = make_app(live=False)

    async def scenario() -> None:
        async with app.run_test() as pilot:
            await log_in(pilot, "p2bx")
            assert inbox_keys(app) == [str(moved.offered.id)]  # type: ignore[union-attr]
            assert {row.task_id for row in app.rows} == {moved.offered.id}  # type: ignore[union-attr]
            assert ids["p2_late"] not in {row.task_id for row in app.rows}

    asyncio.run(scenario())


def test_actions_not_allowed_are_not_offered(
    desks: None, make_app: AppFactory, workflow: Workflow
) -> None:
    morning(workflow)
    app = make_app(live=False)

    async def scenario() -> None:
        async with app.run_test() as pilot:
            await log_in(pilot, "p1a")  # the queue: unclaimed tasks
            screen = app.screen
            assert screen.check_action("act", ("claim",)) is True
            for refused in ("dispatch", "resolve", "close", "return", "assign"):
                assert screen.check_action("act", (refused,)) is False, refused
            await pilot.press("d", "v", "x")  # pressed anyway: nothing opens, nothing changes
            await pilot.pause()
            assert screen is app.screen

    asyncio.run(scenario())


def test_the_command_palette_offers_what_the_keys_offer(
    desks: None, make_app: AppFactory, workflow: Workflow
) -> None:
    from ptsa_tui.screens.commands import DeskCommands

    morning(workflow)
    app = make_app(live=False, lang="en")

    async def scenario() -> None:
        async with app.run_test() as pilot:
            await log_in(pilot, "p1a")
            offered = [label for label, _action in DeskCommands(app.screen)._commands()]
            assert offered == ["Claim", "Message", "Filter", "KPIs"]

    asyncio.run(scenario())
