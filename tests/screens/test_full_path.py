"""The whole path with one live app per position: P0 registers, P1 dispatches, P2 resolves,
P0 delivers and closes; each app sees the others' commits without a keypress."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import Engine, text
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, OptionList, Tabs

from ptsa_tui.screens.app import DeskApp
from ptsa_tui.screens.intake import IntakeScreen
from ptsa_tui.screens.modals import Confirm, DispatchModal
from tests.screens.conftest import AppFactory, inbox_keys, log_in, until


def open_task(engine: Engine) -> tuple[int, str, str | None]:
    with engine.connect() as conn:
        row = conn.execute(
            text(
                "SELECT t.id, u.code, o.username FROM task t JOIN unit u ON u.id = t.unit_id"
                " LEFT JOIN officer o ON o.id = t.claimed_by WHERE t.closed_at IS NULL"
            )
        ).one()
    return int(row[0]), str(row[1]), row[2]


async def register_through_the_form(
    pilot: Pilot[Any], before_saving: Callable[[IntakeScreen], Awaitable[None]] | None = None
) -> None:
    await pilot.press("n")
    await until(pilot, lambda: isinstance(pilot.app.screen, IntakeScreen))
    screen = pilot.app.screen
    await pilot.press(*"081234567890", "tab")  # phone; tab moves on and looks the number up
    screen.query_one("#name", Input).focus()
    await pilot.press(*"PT Maju Jaya")
    search = screen.query_one("#service-search", Input)
    search.focus()
    await pilot.press(*"SVC-A")
    services = screen.query_one("#services", OptionList)
    await until(pilot, lambda: services.option_count == 2)  # SVC-A and SVC-AY match
    services.focus()
    await pilot.press("home", "enter")
    await pilot.press(*"Izin kerja")  # the subject field has the focus after a pick
    if before_saving is not None:
        assert isinstance(screen, IntakeScreen)
        await before_saving(screen)
    await pilot.press("ctrl+s")
    await until(pilot, lambda: pilot.app.screen.query("#tracking"))


def test_one_request_from_intake_to_close(
    desks: None, make_app: AppFactory, engine: Engine
) -> None:
    p0, p1, p2 = make_app(), make_app(), make_app()

    async def scenario() -> None:
        async with (
            p0.run_test(size=(100, 40)) as pilot0,
            p1.run_test(size=(100, 30)) as pilot1,
            p2.run_test(size=(100, 30)) as pilot2,
        ):
            await log_in(pilot0, "p0")
            await log_in(pilot1, "p1a")
            await log_in(pilot2, "p2ax")
            await until(pilot0, lambda: p0.listening and p1.listening and p2.listening)

            await register_through_the_form(pilot0)
            task_id, unit, _ = open_task(engine)
            assert unit == "A1"
            await pilot0.press("enter")  # the receipt closes, back to the inbox

            # 2. P1 sees it without a keypress.
            await until(pilot1, lambda: inbox_keys(p1) == [str(task_id)])
            # 3. P1 claims and dispatches through the modal (the service owner is first).
            await pilot1.press("c")
            await until(pilot1, lambda: open_task(engine)[2] == "p1a")
            await until(pilot1, lambda: _tab_rows(p1, "mine") == 1)
            _show_tab(p1, "mine")
            await pilot1.pause()
            await pilot1.press("d")
            await until(pilot1, lambda: isinstance(p1.screen, DispatchModal))
            units = p1.screen.query_one("#choices", OptionList)
            await until(pilot1, lambda: units.option_count > 0)
            assert units.get_option_at_index(0).id == "A2X"
            await pilot1.press("enter")  # the unit: on to the note, nothing sent yet
            assert isinstance(p1.screen, DispatchModal)
            assert p1.screen.focused is p1.screen.query_one("#note", Input)
            assert open_task(engine)[1] == "A1"
            await pilot1.press(*"Segera", "ctrl+s")
            await until(pilot1, lambda: open_task(engine)[1] == "A2X")
            assert _dispatch_note(engine) == "Segera"
            p2_task = open_task(engine)[0]

            # 4. P2 sees it live, claims and resolves with an answer.
            await until(pilot2, lambda: inbox_keys(p2) == [str(p2_task)])
            await pilot2.press("c")
            await until(pilot2, lambda: _tab_rows(p2, "mine") == 1)
            _show_tab(p2, "mine")
            await pilot2.pause()
            await pilot2.press("v")
            await until(pilot2, lambda: p2.screen.query("#text"))
            await pilot2.press(*"Izin terbit", "enter")
            await until(pilot2, lambda: open_task(engine)[1] == "FO")
            deliver_task = open_task(engine)[0]

            # 5. P0 sees the answer to deliver, and closes the request.
            await until(pilot0, lambda: _tab_rows(p0, "deliver") == 1)
            _show_tab(p0, "deliver")
            await until(pilot0, lambda: inbox_keys(p0) == [str(deliver_task)])
            await pilot0.press("x")  # asks first
            await until(pilot0, lambda: isinstance(p0.screen, Confirm))
            await pilot0.press("y")
            await until(pilot0, lambda: _request_status(engine) == "closed")
            await until(pilot0, lambda: _tab_rows(p0, "done") >= 1)

    asyncio.run(scenario())


def _tab_rows(app: DeskApp, tab: str) -> int:
    return sum(1 for row in app.rows if row.tab == tab)


def _show_tab(app: DeskApp, tab: str) -> None:
    app.screen.query_one(Tabs).active = tab
    app.screen.query_one(DataTable).focus()


def _request_status(engine: Engine) -> str:
    with engine.connect() as conn:
        return str(conn.scalar(text("SELECT status FROM request")))


def _dispatch_note(engine: Engine) -> str | None:
    with engine.connect() as conn:
        note = conn.scalar(text("SELECT details->>'note' FROM event WHERE kind = 'dispatched'"))
    return None if note is None else str(note)
