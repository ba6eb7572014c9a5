"""The login screen: username first, tab to the password, enter submits; refusals in one line."""

import asyncio

from sqlalchemy import Engine, text
from textual.widgets import Input, Static

from ptsa_tui.screens.inbox import InboxScreen
from ptsa_tui.screens.login import LoginScreen
from ptsa_tui.store.login import LOCK_FOR, MAX_FAILURES
from tests.conftest import MONDAY_10, WIB
from tests.screens.conftest import PASSWORD, AppFactory, until


def login_events(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return list(
            conn.scalars(text("SELECT kind FROM event WHERE kind LIKE 'login%' ORDER BY id"))
        )


def test_username_first_tab_to_password_enter_submits(
    desks: None, make_app: AppFactory, engine: Engine
) -> None:
    app = make_app(live=False)

    async def scenario() -> None:
        async with app.run_test() as pilot:
            assert isinstance(app.focused, Input) and app.focused.id == "username"
            await pilot.press(*"p1a", "tab")
            assert isinstance(app.focused, Input) and app.focused.id == "password"
            await pilot.press(*"salah-sandi", "enter")
            error = app.screen.query_one("#login-error", Static)
            await until(pilot, lambda: "salah" in str(error.render()))
            assert isinstance(app.screen, LoginScreen)
            assert app.screen.query_one("#password", Input).value == ""
            await pilot.press(*PASSWORD, "enter")
            await until(pilot, lambda: isinstance(app.screen, InboxScreen) and app.loads >= 1)
            await pilot.pause()  # the inbox's header has mounted before the app closes

    asyncio.run(scenario())
    assert login_events(engine) == ["login_failed", "login"]


def test_an_inactive_officer_cannot_log_in(
    desks: None, make_app: AppFactory, engine: Engine
) -> None:
    with engine.begin() as conn:
        conn.execute(text("UPDATE officer SET active = false WHERE username = 'p2ax'"))
    app = make_app(live=False, lang="en")

    async def scenario() -> None:
        async with app.run_test() as pilot:
            await pilot.press(*"p2ax", "tab", *PASSWORD, "enter")
            error = app.screen.query_one("#login-error", Static)
            await until(pilot, lambda: "inactive" in str(error.render()))
            assert isinstance(app.screen, LoginScreen)

    asyncio.run(scenario())
    assert login_events(engine) == ["login_refused"]


def test_a_locked_out_officer_is_told_until_when_in_their_language_and_office_time(
    desks: None, make_app: AppFactory, engine: Engine
) -> None:
    """Seen before: `account locked after 5 failed log-ins, until 20:47 UTC` in the Indonesian
    desk: English, and the time in UTC."""
    app = make_app(live=False)
    until_shown = f"{(MONDAY_10 + LOCK_FOR).astimezone(WIB):%H:%M} WIB"

    async def scenario() -> None:
        async with app.run_test() as pilot:
            shown = app.screen.query_one("#login-error", Static)
            for attempt in range(1, MAX_FAILURES + 1):
                await pilot.press(*"p1a", "tab", *f"salah-{attempt}", "enter")
                await until(pilot, lambda: len(login_events(engine)) == attempt)  # noqa: B023
                await pilot.press("shift+tab", *["backspace"] * 3)
            await pilot.press(*"p1a", "tab", *PASSWORD, "enter")
            await until(pilot, lambda: until_shown in str(shown.render()))
            text_shown = str(shown.render())
            assert f"dikunci setelah {MAX_FAILURES} kali gagal masuk" in text_shown
            assert "UTC" not in text_shown and "locked" not in text_shown
            assert isinstance(app.screen, LoginScreen)

    asyncio.run(scenario())
    assert login_events(engine)[-1] == "login_refused"
