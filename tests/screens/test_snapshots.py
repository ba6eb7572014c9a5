"""Snapshots of the main screens on a fixed clock: Indonesian, a couple in English, 80×24."""

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Tabs

from ptsa_tui.screens.modals import Confirm, DispatchModal, TextPrompt, UnitPicker
from ptsa_tui.screens.request_screen import RequestScreen
from ptsa_tui.store.workflow import Workflow
from tests.screens.conftest import AppFactory, log_in, until
from tests.screens.office import morning

Snap = Callable[..., bool]
WIDE = (100, 30)


@pytest.fixture
def office(desks: None, workflow: Workflow) -> dict[str, int]:
    return morning(workflow)


def logged_in(username: str, then: Callable[[Pilot[Any]], Awaitable[None]] | None = None) -> Any:
    async def run_before(pilot: Pilot[Any]) -> None:
        await log_in(pilot, username)
        if then is not None:
            await then(pilot)
        pilot.app.clear_notifications()  # toasts time out; a snapshot must not race them
        await pilot.pause()

    return run_before


def tab(name: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    async def show(pilot: Pilot[Any]) -> None:
        pilot.app.screen.query_one(Tabs).active = name
        pilot.app.screen.query_one(DataTable).focus()
        await pilot.pause()

    return show


def test_login_id_80x24(snap_compare: Snap, make_app: AppFactory, desks: None) -> None:
    assert snap_compare(make_app(live=False), terminal_size=(80, 24))


def test_login_en(snap_compare: Snap, make_app: AppFactory, desks: None) -> None:
    assert snap_compare(make_app(live=False, lang="en"), terminal_size=(80, 24))


def test_inbox_p1_id_80x24(
    snap_compare: Snap, make_app: AppFactory, office: dict[str, int]
) -> None:
    assert snap_compare(make_app(live=False), terminal_size=(80, 24), run_before=logged_in("p1a"))


def test_inbox_p1_team_en(snap_compare: Snap, make_app: AppFactory, office: dict[str, int]) -> None:
    app = make_app(live=False, lang="en")
    assert snap_compare(app, terminal_size=WIDE, run_before=logged_in("p1a", tab("team")))


def test_inbox_p0_deliver_id(
    snap_compare: Snap, make_app: AppFactory, office: dict[str, int]
) -> None:
    app = make_app(live=False)
    assert snap_compare(app, terminal_size=WIDE, run_before=logged_in("p0", tab("deliver")))


def test_inbox_p2_id(snap_compare: Snap, make_app: AppFactory, office: dict[str, int]) -> None:
    assert snap_compare(make_app(live=False), terminal_size=WIDE, run_before=logged_in("p2ax"))


async def open_request(pilot: Pilot[Any]) -> None:
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(pilot.app.screen, RequestScreen))
    screen = pilot.app.screen
    assert isinstance(screen, RequestScreen)
    await until(pilot, lambda: screen.story is not None)


def test_request_screen_id(
    snap_compare: Snap, make_app: AppFactory, office: dict[str, int]
) -> None:
    app = make_app(live=False)
    assert snap_compare(app, terminal_size=(100, 40), run_before=logged_in("p2ax", open_request))


def test_request_screen_en(
    snap_compare: Snap, make_app: AppFactory, office: dict[str, int]
) -> None:
    app = make_app(live=False, lang="en")
    assert snap_compare(app, terminal_size=(100, 40), run_before=logged_in("p2ax", open_request))


async def new_request(pilot: Pilot[Any]) -> None:
    await pilot.press("n")
    await until(pilot, lambda: bool(getattr(pilot.app.screen, "services", None)))
    await pilot.press(*"0812", "tab")
    await pilot.press("ctrl+s")  # nothing filled in: every problem shows under its field


def test_intake_form_id(snap_compare: Snap, make_app: AppFactory, office: dict[str, int]) -> None:
    app = make_app(live=False)
    assert snap_compare(app, terminal_size=(100, 40), run_before=logged_in("p0", new_request))


async def dispatch(pilot: Pilot[Any]) -> None:
    await pilot.press("c")
    await until(pilot, lambda: any(r.tab == "mine" for r in pilot.app.rows))  # type: ignore[attr-defined]
    await tab("mine")(pilot)
    pilot.app.clear_notifications()  # before the modal covers the screen that shows them
    await pilot.pause()
    await pilot.press("d")
    await until(pilot, lambda: isinstance(pilot.app.screen, DispatchModal))
    await until(pilot, lambda: pilot.app.screen.query_one("#choices").option_count > 0)  # type: ignore[attr-defined]


def test_dispatch_modal_id(
    snap_compare: Snap, make_app: AppFactory, office: dict[str, int]
) -> None:
    app = make_app(live=False)
    assert snap_compare(app, terminal_size=WIDE, run_before=logged_in("p1a", dispatch))


# -- the same screens at 80×24, an ssh terminal's size --------------------------------------

SMALL = (80, 24)


def test_inbox_p0_deliver_id_80x24(
    snap_compare: Snap, make_app: AppFactory, office: dict[str, int]
) -> None:
    app = make_app(live=False)
    assert snap_compare(app, terminal_size=SMALL, run_before=logged_in("p0", tab("deliver")))


def test_inbox_p2_id_80x24(
    snap_compare: Snap, make_app: AppFactory, office: dict[str, int]
) -> None:
    assert snap_compare(make_app(live=False), terminal_size=SMALL, run_before=logged_in("p2ax"))


def test_request_screen_id_80x24(
    snap_compare: Snap, make_app: AppFactory, office: dict[str, int]
) -> None:
    app = make_app(live=False)
    assert snap_compare(app, terminal_size=SMALL, run_before=logged_in("p2ax", open_request))


def test_intake_form_id_80x24(
    snap_compare: Snap, make_app: AppFactory, office: dict[str, int]
) -> None:
    app = make_app(live=False)
    assert snap_compare(app, terminal_size=SMALL, run_before=logged_in("p0", new_request))


def test_dispatch_modal_id_80x24(
    snap_compare: Snap, make_app: AppFactory, office: dict[str, int]
) -> None:
    app = make_app(live=False)
    assert snap_compare(app, terminal_size=SMALL, run_before=logged_in("p1a", dispatch))


async def close_confirm(pilot: Pilot[Any]) -> None:
    await tab("deliver")(pilot)
    await pilot.press("x")
    await until(pilot, lambda: isinstance(pilot.app.screen, Confirm))


def test_close_confirmation_id_80x24(
    snap_compare: Snap, make_app: AppFactory, office: dict[str, int]
) -> None:
    app = make_app(live=False)
    assert snap_compare(app, terminal_size=SMALL, run_before=logged_in("p0", close_confirm))


def claimed_then(key: str, modal: type) -> Callable[[Pilot[Any]], Awaitable[None]]:
    """P1 claims its first task, then presses `key`, which opens `modal`."""

    async def run(pilot: Pilot[Any]) -> None:
        await pilot.press("c")
        await until(pilot, lambda: any(r.tab == "mine" for r in pilot.app.rows))  # type: ignore[attr-defined]
        await tab("mine")(pilot)
        pilot.app.clear_notifications()
        await pilot.pause()
        await pilot.press(key)
        await until(pilot, lambda: isinstance(pilot.app.screen, modal))
        await pilot.pause()

    return run


def test_return_reason_prompt_id_80x24(
    snap_compare: Snap, make_app: AppFactory, office: dict[str, int]
) -> None:
    app = make_app(live=False)
    run_before = logged_in("p1a", claimed_then("t", TextPrompt))
    assert snap_compare(app, terminal_size=SMALL, run_before=run_before)


def test_transfer_picker_id_80x24(
    snap_compare: Snap, make_app: AppFactory, office: dict[str, int]
) -> None:
    app = make_app(live=False)
    run_before = logged_in("p1a", claimed_then("f", UnitPicker))
    assert snap_compare(app, terminal_size=SMALL, run_before=run_before)


def test_kiosk_id(snap_compare: Snap, engine: Any, settings: Any, desks: None) -> None:
    from ptsa_tui.screens.kiosk.app import KioskApp
    from ptsa_tui.store.kiosk_api import KioskStore

    app = KioskApp(KioskStore(engine=engine, settings=settings, kiosk="loket-1"))
    assert snap_compare(app, terminal_size=(100, 30))
