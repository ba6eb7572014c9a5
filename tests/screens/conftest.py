"""Desk app fixtures: the small org with passwords, apps on a fixed clock, waiting helpers."""

import time
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import Engine, text
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from ptsa_tui.config import Settings
from ptsa_tui.screens.app import DeskApp
from ptsa_tui.screens.i18n import use_language
from ptsa_tui.screens.request_screen import RequestScreen
from ptsa_tui.store.api import DeskStore
from ptsa_tui.store.officers import set_password
from ptsa_tui.store.passwords import hash_password
from tests.conftest import MONDAY_10

PASSWORD = "rahasia-desk"
DESK_OFFICERS = ("p0", "p1a", "p1a2", "p2ax", "p2bx", "spv1a")

AppFactory = Callable[..., DeskApp]


@pytest.fixture(autouse=True)
def no_blink(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A steady cursor, so snapshots do not depend on when the blink timer fired."""
    monkeypatch.setattr(Input, "cursor_blink", False)
    monkeypatch.setattr(TextArea, "cursor_blink", False)
    yield
    use_language("id")


@pytest.fixture(scope="session")
def password_hash(tmp_path_factory: pytest.TempPathFactory) -> str:
    """One argon2 hash for the whole session: each hash costs a good fraction of a second."""
    return hash_password(PASSWORD)


@pytest.fixture
def desks(engine: Engine, org: None, password_hash: str) -> None:
    """The small org, with passwords for the officers the desk tests log in as."""
    set_password(engine, username=DESK_OFFICERS[0], password=PASSWORD, by="spv0")  # real path
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE officer SET password_hash = :hash WHERE username = ANY(:names)"),
            {"hash": password_hash, "names": list(DESK_OFFICERS[1:])},
        )


@pytest.fixture
def make_app(engine: Engine, settings: Settings, db_url: str) -> AppFactory:
    def make(
        *, clock: Callable[[], datetime] = lambda: MONDAY_10, lang: str | None = None, **kw: Any
    ) -> DeskApp:
        chosen = settings if lang is None else settings.model_copy(update={"lang": lang})
        if lang is not None:
            chosen.model_fields_set.add("lang")
        store = DeskStore(engine=engine, settings=chosen, url=db_url)
        app = DeskApp(store=store, clock=clock, **kw)
        app.animation_level = "none"  # tab underlines and toasts land at once, for snapshots
        return app

    return make


async def until(pilot: Pilot[Any], condition: Callable[[], object], timeout: float = 10.0) -> None:
    """Let the app run until `condition()` holds (an event we wait for, not a deadline)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {condition}")
        await pilot.pause(0.02)


async def log_in(pilot: Pilot[Any], username: str, password: str = PASSWORD) -> None:
    """Type the credentials as an officer would, and wait for the first inbox load."""
    app = pilot.app
    assert isinstance(app, DeskApp)
    await pilot.press(*username, "tab", *password, "enter")
    await until(pilot, lambda: app.loads >= 1)
    await pilot.pause()


def inbox_keys(app: DeskApp) -> list[str]:
    from textual.widgets import DataTable

    table = app.screen.query_one("#inbox", DataTable)
    return [str(row.key.value) for row in table.ordered_rows]


async def open_request(pilot: Pilot[Any]) -> RequestScreen:
    """Enter on the inbox's row: the request screen, once its story has loaded."""
    app = pilot.app
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(app.screen, RequestScreen))
    screen = app.screen
    assert isinstance(screen, RequestScreen)
    await until(pilot, lambda: screen.story is not None)
    await pilot.pause()
    return screen
