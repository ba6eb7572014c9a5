"""The login screen: username first, tab to the password, enter submits; refusals in one line."""

import asyncio

from sqlalchemy import Engine, text
from textual.widgets import Input, Static

from ptsa_tui.screens.inbox import InboxScreen
from ptsa_tui.screens.login import LoginScreen
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
