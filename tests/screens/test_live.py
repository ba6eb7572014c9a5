"""The inbox follows other desks' commits by row key: no keypress, no clear-and-refill."""

import asyncio
from datetime import timedelta

import pytest
from textual.widgets import DataTable

from ptsa_tui.store.workflow import Workflow
from tests.conftest import MONDAY_10
from tests.screens.conftest import AppFactory, inbox_keys, log_in, until


def register(workflow: Workflow, name: str, minutes_ago: int) -> int:
    task = workflow.register(
        by="p0",
        service_code="SVC-A",
        customer={"name": name},
        subject="s",
        now=MONDAY_10 - timedelta(minutes=minutes_ago),
    ).task
    assert task.id is not None
    return task.id


def test_commits_elsewhere_update_the_table_in_place(
    desks: None, make_app: AppFactory, workflow: Workflow, monkeypatch: pytest.MonkeyPatch
) -> None:
    older, newer = register(workflow, "Lama", 20), register(workflow, "Baru", 5)
    app = make_app()

    def no_clear(self: DataTable[object], *args: object, **kwargs: object) -> None:
        raise AssertionError("the inbox table must be diffed, never cleared")

    monkeypatch.setattr(DataTable, "clear", no_clear)

    async def scenario() -> None:
        async with app.run_test() as pilot:
            await log_in(pilot, "p1a")
            await until(pilot, lambda: app.listening)
            await pilot.pause()  # the reload that connecting asks for is under way or done
            await until(pilot, lambda: app.feed.idle)
            assert inbox_keys(app) == [str(older), str(newer)]  # most urgent first
            table = app.screen.query_one("#inbox", DataTable)
            await pilot.press("down")  # the officer is looking at the second row
            loads = app.loads

            most_urgent = await asyncio.to_thread(register, workflow, "Mendesak", 29)
            await until(pilot, lambda: str(most_urgent) in inbox_keys(app))
            assert inbox_keys(app) == [str(most_urgent), str(older), str(newer)]
            row_key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
            assert row_key.value == str(newer)  # the cursor stayed on the same task

            await asyncio.to_thread(workflow.claim, task_id=older, by="p1a2", now=MONDAY_10)
            await until(pilot, lambda: str(older) not in inbox_keys(app))
            assert inbox_keys(app) == [str(most_urgent), str(newer)]
            assert app.loads == loads  # single requests re-read, not the whole inbox

    asyncio.run(scenario())
