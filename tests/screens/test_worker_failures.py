"""A screen's load meets a database that went away: the officer is told, in Indonesian, and
the spinner stops. (Worker.StateChanged does not bubble: each screen must handle its own.)"""

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from sqlalchemy.engine import make_url
from textual.widgets import DataTable, OptionList, Static, Tabs

from ptsa_tui.screens.intake import IntakeScreen
from ptsa_tui.screens.modals import DispatchModal
from ptsa_tui.screens.request_screen import RequestScreen
from ptsa_tui.store.workflow import Workflow
from tests.screens.conftest import AppFactory, log_in, until
from tests.screens.office import morning

UNAVAILABLE = "Basis data tidak tersedia"  # the catalogue's Indonesian for "database unavailable"


@contextmanager
def database_gone(db_url: str) -> Iterator[None]:
    """Every connection of the test's database cut, and no new one let in, for the block."""
    name = make_url(db_url).database
    admin = make_url(db_url).set(database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false')
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,)
        )
        try:
            yield
        finally:
            conn.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS true')


def told(app: object) -> list[str]:
    return [str(n.message) for n in app._notifications]  # type: ignore[attr-defined]


def test_request_screen_says_why_and_stops_loading(
    desks: None, make_app: AppFactory, workflow: Workflow, db_url: str
) -> None:
    morning(workflow)
    app = make_app(live=False)

    async def scenario() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await log_in(pilot, "p1a")
            with database_gone(db_url):
                await pilot.press("enter")
                await until(pilot, lambda: isinstance(app.screen, RequestScreen))
                story = app.screen.query_one("#story")
                await until(pilot, lambda: any(UNAVAILABLE in m for m in told(app)))
                await until(pilot, lambda: not story.loading)
                facts = str(app.screen.query_one("#facts", Static).render())
                assert "tidak dapat dimuat" in facts

    asyncio.run(scenario())


def test_a_picker_says_why_and_stops_loading(
    desks: None, make_app: AppFactory, workflow: Workflow, db_url: str
) -> None:
    morning(workflow)
    app = make_app(live=False)

    async def scenario() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await log_in(pilot, "p1a2")
            app.screen.query_one(Tabs).active = "mine"  # p1a2 holds a task to dispatch
            app.screen.query_one(DataTable).focus()
            await pilot.pause()
            assert app.screen.check_action("act", ("dispatch",)) is True
            with database_gone(db_url):
                await pilot.press("d")
                await until(pilot, lambda: isinstance(app.screen, DispatchModal))
                choices = app.screen.query_one(OptionList)
                await until(pilot, lambda: any(UNAVAILABLE in m for m in told(app)))
                await until(pilot, lambda: not choices.loading)
                assert choices.option_count == 0

    asyncio.run(scenario())


def test_intake_says_the_services_did_not_load(
    desks: None, make_app: AppFactory, workflow: Workflow, db_url: str
) -> None:
    morning(workflow)
    app = make_app(live=False)

    async def scenario() -> None:
        async with app.run_test(size=(100, 40)) as pilot:
            await log_in(pilot, "p0")
            with database_gone(db_url):
                await pilot.press("n")
                await until(pilot, lambda: isinstance(app.screen, IntakeScreen))
                await until(pilot, lambda: any(UNAVAILABLE in m for m in told(app)))
                problem = app.screen.query_one("#problem-service", Static)
                await until(pilot, lambda: "tidak dapat dimuat" in str(problem.render()))

    asyncio.run(scenario())
