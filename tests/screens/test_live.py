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


def test_an_open_request_follows_commits_in_other_units(
    desks: None, make_app: AppFactory, workflow: Workflow
) -> None:
    """P1 looks at a request it dispatched; P2's claim, in another unit, shows at once."""
    from ptsa_tui.screens.request_screen import RequestScreen

    task = register(workflow, "Diteruskan", 20)
    workflow.claim(task_id=task, by="p1a", now=MONDAY_10)
    moved = workflow.dispatch(task_id=task, to="A2X", by="p1a", now=MONDAY_10)
    assert moved.offered is not None and moved.offered.id is not None
    p2_task, request = moved.offered.id, moved.offered.request_id
    app = make_app(poll_every=3600)  # only the live link can bring it

    def story_kinds() -> list[str]:
        screen = app.screen
        if not isinstance(screen, RequestScreen) or screen.story is None:
            return []
        return [str(event["kind"]) for event in screen.story.events]

    async def scenario() -> None:
        async with app.run_test() as pilot:
            await log_in(pilot, "p1a")
            await until(pilot, lambda: app.listening)
            app.push_screen(RequestScreen(task, request))
            await until(pilot, lambda: "dispatched" in story_kinds())
            assert story_kinds().count("claimed") == 1  # P1's own claim
            await asyncio.to_thread(workflow.claim, task_id=p2_task, by="p2ax", now=MONDAY_10)
            await until(pilot, lambda: story_kinds().count("claimed") == 2)
            app.pop_screen()
            await pilot.pause()
            assert app.open_requests == frozenset()

    asyncio.run(scenario())
