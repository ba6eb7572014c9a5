"""A supervisor assigns a queued task by picking an officer of the unit from a list."""

import asyncio

from sqlalchemy import Engine, text
from textual.widgets import OptionList

from ptsa_tui.screens.modals import OfficerPicker
from ptsa_tui.store.workflow import Workflow
from tests.screens.conftest import AppFactory, inbox_keys, log_in, until
from tests.screens.office import morning


def holder(engine: Engine, task_id: int) -> str | None:
    with engine.connect() as conn:
        found = conn.scalar(
            text(
                "SELECT o.username FROM task t LEFT JOIN officer o ON o.id = t.claimed_by"
                " WHERE t.id = :id"
            ),
            {"id": task_id},
        )
    return None if found is None else str(found)


def test_a_supervisor_assigns_from_the_units_officers_present_ones_first(
    desks: None, make_app: AppFactory, workflow: Workflow, engine: Engine
) -> None:
    morning(workflow)
    colleague = make_app(live=False)  # p1a2 has the desk app open
    supervisor = make_app(live=False)

    async def scenario() -> None:
        async with colleague.run_test() as at_desk, supervisor.run_test() as pilot:
            await log_in(at_desk, "p1a2")
            await log_in(pilot, "spv1a")
            task = int(inbox_keys(supervisor)[0])
            assert holder(engine, task) is None
            await pilot.press("a")
            await until(pilot, lambda: isinstance(supervisor.screen, OfficerPicker))
            officers = supervisor.screen.query_one("#choices", OptionList)
            await until(pilot, lambda: officers.option_count > 0)
            listed = [officers.get_option_at_index(i).id for i in range(officers.option_count)]
            # A1's active officers; the two with the app open first.
            assert listed == ["p1a2", "spv1a", "p1a"]
            await pilot.press("down", "down", "enter")
            await until(pilot, lambda: holder(engine, task) == "p1a")
            await until(pilot, lambda: str(task) not in inbox_keys(supervisor))

    asyncio.run(scenario())
