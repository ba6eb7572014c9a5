"""A screen's load meets a database that went away: the officer is told, in Indonesian, and
the spinner stops. (Worker.StateChanged does not bubble: each screen must handle its own.)"""

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
import pytest
from sqlalchemy.engine import make_url
from textual.pilot import Pilot
from textual.widgets import Button, DataTable, OptionList, Static, Tabs

from ptsa_tui.screens.app import DeskApp
from ptsa_tui.screens.intake import IntakeScreen
from ptsa_tui.screens.modals import DispatchModal
from ptsa_tui.screens.request_screen import RequestScreen
from ptsa_tui.store.workflow import Workflow
from tests.screens.conftest import AppFactory, log_in, until
from tests.screens.office import morning

UNAVAILABLE = "Basis data tidak tersedia"  # the catalogue's Indonesian for "database unavailable"
NOT_LOADED = "tidak dapat dimuat"  # "could not be loaded"

Steps = Callable[[DeskApp, Pilot[Any]], Awaitable[None]]


@contextmanager
def database_gone(admin_url: str) -> Iterator[None]:
    """Every connection of the test's database cut, and no new one let in, for the block."""
    name = make_url(admin_url).database
    admin = make_url(admin_url).set(database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false')
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,)
        )
        try:
            yield
        finally:
            conn.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS true')


@pytest.fixture
def desk_offline(
    desks: None, make_app: AppFactory, workflow: Workflow, admin_url: str
) -> Callable[[str | None, Steps, Steps], None]:
    """Run a desk on the morning's office: `before` with the database there (after logging in
    as `username`, unless None), then `offline` with it gone."""

    def run(username: str | None, before: Steps, offline: Steps) -> None:
        morning(workflow)
        app = make_app(live=False)

        async def scenario() -> None:
            async with app.run_test(size=(100, 40)) as pilot:
                if username is not None:
                    await log_in(pilot, username)
                await before(app, pilot)
                with database_gone(admin_url):
                    await offline(app, pilot)

        asyncio.run(scenario())

    return run


async def nothing(app: DeskApp, pilot: Pilot[Any]) -> None:
    pass


async def told_unavailable(app: DeskApp, pilot: Pilot[Any]) -> None:
    await until(pilot, lambda: any(UNAVAILABLE in str(n.message) for n in app._notifications))


def test_request_screen_says_why_and_stops_loading(desk_offline: Any) -> None:
    async def offline(app: DeskApp, pilot: Pilot[Any]) -> None:
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, RequestScreen))
        story = app.screen.query_one("#story")
        await told_unavailable(app, pilot)
        await until(pilot, lambda: not story.loading)
        assert NOT_LOADED in str(app.screen.query_one("#facts", Static).render())

    desk_offline("p1a", nothing, offline)


def test_a_picker_says_why_and_stops_loading(desk_offline: Any) -> None:
    async def before(app: DeskApp, pilot: Pilot[Any]) -> None:
        app.screen.query_one(Tabs).active = "mine"  # p1a2 holds a task to dispatch
        app.screen.query_one(DataTable).focus()
        await pilot.pause()
        assert app.screen.check_action("act", ("dispatch",)) is True

    async def offline(app: DeskApp, pilot: Pilot[Any]) -> None:
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, DispatchModal))
        choices = app.screen.query_one(OptionList)
        await told_unavailable(app, pilot)
        await until(pilot, lambda: not choices.loading)
        assert choices.option_count == 0

    desk_offline("p1a2", before, offline)


def test_intake_says_the_services_did_not_load(desk_offline: Any) -> None:
    async def offline(app: DeskApp, pilot: Pilot[Any]) -> None:
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, IntakeScreen))
        await told_unavailable(app, pilot)
        problem = app.screen.query_one("#problem-service", Static)
        await until(pilot, lambda: NOT_LOADED in str(problem.render()))

    desk_offline("p0", nothing, offline)


def test_an_inbox_reload_says_why_and_keeps_what_was_shown(desk_offline: Any) -> None:
    shown: list[object] = []

    async def before(app: DeskApp, pilot: Pilot[Any]) -> None:
        shown.extend(app.rows)

    async def offline(app: DeskApp, pilot: Pilot[Any]) -> None:
        app.reload()
        await told_unavailable(app, pilot)
        await until(pilot, lambda: app.feed.idle)
        assert app.rows == shown and shown

    desk_offline("p1a", before, offline)


def test_login_says_why_and_lets_the_officer_try_again(desk_offline: Any) -> None:
    async def offline(app: DeskApp, pilot: Pilot[Any]) -> None:
        await pilot.press(*"p1a", "tab", *"whatever", "enter")
        error = app.screen.query_one("#login-error", Static)
        await until(pilot, lambda: UNAVAILABLE in str(error.render()))
        assert not app.screen.query_one("#login", Button).disabled

    desk_offline(None, nothing, offline)
