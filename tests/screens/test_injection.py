"""What a user typed is shown literally: Rich markup stays as typed, escape sequences and
control characters become visible text instead of driving the terminal."""

import asyncio

from rich.text import Text
from sqlalchemy import Engine, text
from textual.widgets import DataTable

from ptsa_tui.store.workflow import Workflow
from tests.conftest import MONDAY_10
from tests.screens.conftest import AppFactory, log_in, open_request, until

HOSTILE = "[red]x[/] \x1b[2J\x1b[31mPT Jahat\x07"
SHOWN = "[red]x[/] \\x1b[2J\\x1b[31mPT Jahat\\x07"


def test_markup_and_escapes_in_a_customer_name_appear_literally(
    desks: None, make_app: AppFactory, workflow: Workflow
) -> None:
    workflow.register(
        by="p0",
        service_code="SVC-A",
        customer={"name": HOSTILE},
        subject="[bold]subject[/bold] \x1b]0;title\x07",
        now=MONDAY_10,
    )
    app = make_app(live=False)

    async def scenario() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await log_in(pilot, "p1a")
            table = app.screen.query_one("#inbox", DataTable)
            customer = table.get_row_at(0)[2]
            assert isinstance(customer, Text)
            assert customer.plain.startswith(SHOWN[:15])  # truncated to the column
            assert "\x1b" not in customer.plain and customer.spans == []
            inbox = app.export_screenshot()
            assert "[red]x[/]" in inbox and "\x1b" not in inbox

            await open_request(pilot)
            page = app.export_screenshot()
            assert SHOWN in _text_of(page)
            assert "[bold]subject[/bold] \\x1b]0;title\\x07" in _text_of(page)
            assert "\x1b" not in page and "\x07" not in page

    asyncio.run(scenario())


def _text_of(svg: str) -> str:
    """The characters of an SVG screenshot, as one string (cells are split into spans)."""
    import html
    import re

    return "".join(html.unescape(t) for t in re.findall(r">([^<>]*)</text>", svg)).replace(
        "\xa0", " "
    )


MALLORY = "Mallory \u001b[31mRED\u001b]52;c;SGFja2Vk\u0007 \u202etxt.exe"


def test_officer_names_with_escapes_and_bidi_overrides_are_inert_in_the_desk(
    desks: None, make_app: AppFactory, workflow: Workflow, engine: Engine
) -> None:
    """The logged-in officer's name in the header and a holder's name in a conflict toast."""
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE officer SET full_name = :n WHERE username IN ('p1a', 'p1a2')"),
            {"n": MALLORY},
        )
    registered = workflow.register(
        by="p0", service_code="SVC-A", customer={"name": "Budi"}, subject="x", now=MONDAY_10
    )
    app = make_app(live=False)

    async def scenario() -> None:
        async with app.run_test(size=(160, 40)) as pilot:
            await log_in(pilot, "p1a")
            await pilot.pause()
            assert_inert(app.export_screenshot())
            assert "Mallory" in _text_of(app.export_screenshot())
            assert registered.task.id is not None
            workflow.claim(task_id=registered.task.id, by="p1a2", now=MONDAY_10)
            await pilot.press("c")  # the inbox still shows the task as free
            await until(pilot, lambda: bool(app._notifications))
            await pilot.pause()
            page = app.export_screenshot()
            assert_inert(page)
            assert "\\x1b]52;c;SGFja2Vk\\x07" in _text_of(page)

    asyncio.run(scenario())


def assert_inert(page: str) -> None:
    for raw in ("\x1b", "\x07", "\u202e"):
        assert raw not in page, raw
