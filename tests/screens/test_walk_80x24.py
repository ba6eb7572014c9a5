"""A new officer's walk at 80×24, keys only: P0 registers, P1 claims and dispatches, P2 claims
and resolves, P0 opens the answer and closes the request. Every screen on the way is read as
the officer sees it, and none shows a string the Indonesian catalog translates."""

import asyncio
import io
from importlib.resources import files
from typing import Any

from babel.messages.pofile import read_po
from sqlalchemy import Engine, text
from textual.pilot import Pilot

from ptsa_tui.screens.app import DeskApp
from ptsa_tui.screens.intake import IntakeScreen
from ptsa_tui.screens.modals import Confirm, DispatchModal, TextPrompt
from ptsa_tui.screens.request_screen import RequestScreen
from tests.screens.conftest import AppFactory, log_in, until
from tests.screens.screen_text import screen_text

SIZE = (80, 24)


def english_phrases() -> set[str]:
    """The catalog's English phrases of two words or more that Indonesian says otherwise."""
    path = files("ptsa_tui") / "locale" / "id" / "LC_MESSAGES" / "ptsa.po"
    catalog = read_po(io.BytesIO(path.read_bytes()), locale="id")
    return {
        str(m.id)
        for m in catalog
        if m.id and m.string and m.string != m.id and " " in str(m.id) and "{" not in str(m.id)
    }


def where(engine: Engine) -> tuple[str, str]:
    """The open task's unit and the request's status."""
    with engine.connect() as conn:
        row = conn.execute(
            text(
                "SELECT coalesce(u.code, '-'), r.status FROM request r"
                " LEFT JOIN task t ON t.request_id = r.id AND t.closed_at IS NULL"
                " LEFT JOIN unit u ON u.id = t.unit_id"
            )
        ).one()
    return str(row[0]), str(row[1])


def test_a_request_walks_from_intake_to_close_at_80x24_with_keys_only_in_indonesian(
    desks: None, make_app: AppFactory, engine: Engine
) -> None:
    seen: list[str] = []

    async def walk(app: DeskApp, officer: str, steps: Any) -> None:
        async with app.run_test(size=SIZE) as pilot:
            await log_in(pilot, officer)
            seen.append(screen_text(app))
            await steps(pilot, app)

    async def look(pilot: Pilot[Any], app: DeskApp) -> None:
        await pilot.pause()
        seen.append(screen_text(app))

    async def register(pilot: Pilot[Any], app: DeskApp) -> None:
        await pilot.press("n")
        await until(pilot, lambda: bool(getattr(app.screen, "services", None)))
        await look(pilot, app)
        await pilot.press(*"081234567890", "tab", "tab", *"PT Maju Jaya")
        await pilot.press("tab", "tab", "tab", "tab", *"SVC-A", "enter")  # past the updates box
        await pilot.press(*"Izin kerja", "ctrl+s")
        await until(pilot, lambda: not isinstance(app.screen, IntakeScreen))
        await look(pilot, app)  # the receipt
        await pilot.press("enter")
        await look(pilot, app)

    async def dispatch(pilot: Pilot[Any], app: DeskApp) -> None:
        await pilot.press("c")
        await until(pilot, lambda: any(r.tab == "mine" for r in app.rows))
        await pilot.press("2", "d")
        await until(pilot, lambda: isinstance(app.screen, DispatchModal))
        await until(pilot, lambda: app.screen.query_one("#choices").option_count > 0)  # type: ignore[attr-defined]
        await look(pilot, app)
        await pilot.press("enter", *"Segera", "ctrl+s")
        await until(pilot, lambda: where(engine)[0] == "A2X")

    async def resolve(pilot: Pilot[Any], app: DeskApp) -> None:
        await pilot.press("c")
        await until(pilot, lambda: any(r.tab == "mine" for r in app.rows))
        await pilot.press("2", "enter")
        await until(pilot, lambda: isinstance(app.screen, RequestScreen))
        await until(pilot, lambda: getattr(app.screen, "story", None) is not None)
        await look(pilot, app)
        await pilot.press("escape", "v")
        await until(pilot, lambda: isinstance(app.screen, TextPrompt))
        await look(pilot, app)
        await pilot.press(*"Izin terbit", "enter")
        await until(pilot, lambda: where(engine)[0] == "FO")

    async def close(pilot: Pilot[Any], app: DeskApp) -> None:
        await pilot.press("5")
        await until(pilot, lambda: any(r.tab == "deliver" for r in app.rows))
        await look(pilot, app)
        await pilot.press("x")
        await until(pilot, lambda: isinstance(app.screen, Confirm))
        await look(pilot, app)
        await pilot.press("y")
        await until(pilot, lambda: where(engine)[1] == "closed")
        await pilot.press("4")
        await look(pilot, app)

    for officer, steps in (("p0", register), ("p1a", dispatch), ("p2ax", resolve), ("p0", close)):
        asyncio.run(walk(make_app(live=False), officer, steps))

    assert where(engine) == ("-", "closed")
    english = english_phrases()
    assert len(english) > 50  # the check reads a real catalog
    found = sorted({phrase for page in seen for phrase in english if phrase in page})
    assert found == [], found
    cut = [
        line for page in seen for line in page.splitlines() if "…" in line and "Cari" not in line
    ]
    assert cut == [], cut  # no word cut off
