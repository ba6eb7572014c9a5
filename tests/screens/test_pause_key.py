"""`p` on a P2 desk: waiting on the customer with a reason, then resumed; the request screen
shows the pause and the moved SOP due date."""

import asyncio

from sqlalchemy import Engine, text
from textual.widgets import DataTable, Tabs

from ptsa_tui.screens.request_screen import RequestScreen
from ptsa_tui.store.workflow import Workflow
from tests.screens.conftest import AppFactory, inbox_keys, log_in, until
from tests.screens.test_injection import _text_of
from tests.store.helpers import register, wib


def held_by_p2ax(workflow: Workflow) -> int:
    made = register(workflow, now=wib(23, 9))
    first = made.task.id or 0
    workflow.claim(task_id=first, by="p1a", now=wib(23, 9, 1))
    moved = workflow.dispatch(task_id=first, to="A2X", by="p1a", now=wib(23, 9, 2))
    assert moved.offered is not None and moved.offered.id is not None
    workflow.claim(task_id=moved.offered.id, by="p2ax", now=wib(23, 9, 3))
    return moved.offered.id


def paused_rows(engine: Engine) -> list[tuple[str, bool]]:
    with engine.connect() as conn:
        found = conn.execute(
            text("SELECT reason, resumed_at IS NULL FROM request_pause ORDER BY id")
        ).all()
    return [(str(r), bool(open_)) for r, open_ in found]


def test_p_pauses_with_a_reason_then_resumes(
    desks: None, make_app: AppFactory, engine: Engine, workflow: Workflow
) -> None:
    task_id = held_by_p2ax(workflow)
    app = make_app()

    async def scenario() -> None:
        async with app.run_test(size=(120, 36)) as pilot:
            await log_in(pilot, "p2ax")
            app.screen.query_one(Tabs).active = "mine"
            app.screen.query_one(DataTable).focus()
            await until(pilot, lambda: inbox_keys(app) == [str(task_id)])
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(app.screen, RequestScreen))
            screen = app.screen
            await until(pilot, lambda: screen.story is not None)  # type: ignore[attr-defined]
            await pilot.press("p")
            await until(pilot, lambda: app.screen.query("#text"))
            await pilot.press(*"[b]KTP[/b] asli", "enter")
            await until(pilot, lambda: paused_rows(engine) == [("[b]KTP[/b] asli", True)])
            await until(pilot, lambda: "[b]KTP[/b] asli" in _text_of(app.export_screenshot()))
            await pilot.press("p")  # now the same key resumes
            await until(pilot, lambda: paused_rows(engine) == [("[b]KTP[/b] asli", False)])

    asyncio.run(scenario())
