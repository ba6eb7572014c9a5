"""Keys typed ahead of the login screen (a paste, a password manager, ssh lag) keep their field.

The terminal driver posts one Key event per character as fast as they arrive; these tests post
them the same way, all at once, without letting the app process any of them in between.
"""

import asyncio
from typing import Any

from textual import events
from textual.app import App
from textual.widgets import Input

from ptsa_tui.screens.inbox import InboxScreen
from tests.screens.conftest import PASSWORD, AppFactory, until


def burst(app: App[Any], *keys: str) -> None:
    """Post every key at once, as the driver does when they arrive in one read."""
    for key in keys:
        character = {"tab": "\t", "enter": "\r"}.get(key, key)
        app.post_message(events.Key(key, character))


def fields(app: App[Any]) -> tuple[str, str]:
    screen = app.screen
    return screen.query_one("#username", Input).value, screen.query_one("#password", Input).value


def test_a_burst_of_username_tab_password_keeps_each_in_its_field(
    desks: None, make_app: AppFactory
) -> None:
    app = make_app(live=False)

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            burst(app, *"p1a", "tab", *"ptsademo")
            await pilot.pause()
            await pilot.pause()
            assert fields(app) == ("p1a", "ptsademo")

    asyncio.run(scenario())


def test_a_burst_typed_before_the_login_screen_is_up_is_kept_and_logs_in(
    desks: None, make_app: AppFactory
) -> None:
    app = make_app(live=False)

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            burst(app, *"p1a", "tab", *PASSWORD, "enter")
            await until(pilot, lambda: isinstance(app.screen, InboxScreen) and app.loads >= 1)
            await pilot.pause()

    asyncio.run(scenario())


def test_the_password_never_shows_in_the_username_field(desks: None, make_app: AppFactory) -> None:
    app = make_app(live=False)

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            burst(app, *"p2", "tab", *"rahasia1", "tab", "tab", *"x")
            await pilot.pause()
            await pilot.pause()
            username, password = fields(app)
            assert "rahasia" not in username
            assert password.startswith("rahasia1")

    asyncio.run(scenario())
