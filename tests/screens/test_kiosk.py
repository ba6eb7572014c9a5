"""The kiosk, driven through Pilot: a look-up with a right and a wrong pair, repeated wrong
tries slowed down, a survey submitted once and refused the second time, and a customer's
comment with markup and escape sequences shown literally."""

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, text
from textual.pilot import Pilot
from textual.widgets import Button, Input, RadioButton, TabbedContent

from ptsa_tui.config import Settings
from ptsa_tui.screens.kiosk.app import KioskApp
from ptsa_tui.store.kiosk_api import KioskStore, Proof
from ptsa_tui.store.workflow import Workflow
from tests.alerts.notice_helpers import SITI, served_to_the_end
from tests.screens.conftest import until
from tests.screens.screen_text import screen_text
from tests.store.helpers import register, wib

LAST_FOUR = "7890"  # of SITI's 0812-3456-7890
NIK = "3174012345678901"
Scenario = Callable[[Pilot[Any], KioskApp], Awaitable[None]]


def run_kiosk(engine: Engine, settings: Settings, now: datetime, scenario: Scenario) -> str:
    app = KioskApp(KioskStore(engine=engine, settings=settings, kiosk="loket-1"), clock=lambda: now)

    async def run() -> str:
        async with app.run_test(size=(110, 60)) as pilot:
            await pilot.pause()
            await scenario(pilot, app)
            return screen_text(app)

    return asyncio.run(run())


async def type_into(pilot: Pilot[Any], selector: str, value: str) -> None:
    box = pilot.app.query_one(selector, Input)
    box.focus()
    box.value = ""
    await pilot.press(*value)


async def look_up(pilot: Pilot[Any], tracking: str, four: str) -> str:
    result = pilot.app.query_one("#status-result")
    await type_into(pilot, "#status-tracking", tracking)
    await type_into(pilot, "#status-four", four)
    await pilot.press("enter")
    await until(pilot, lambda: "…" not in str(result.render()))
    await pilot.pause()
    return str(result.render())


def test_a_right_pair_shows_the_state_and_due_date_and_nothing_personal(
    workflow: Workflow, org: None, engine: Engine, settings: Settings
) -> None:
    tracking = register(workflow, customer={**SITI, "nik": NIK}, now=wib(23, 10)).request
    tracking_no = tracking.tracking_no

    async def scenario(pilot: Pilot[Any], app: KioskApp) -> None:
        await look_up(pilot, tracking_no, LAST_FOUR)

    page = run_kiosk(engine, settings, wib(23, 11), scenario)
    assert tracking_no in page and "Service of A-X" in page
    assert "sedang diproses" in page
    assert "Kamis, 26 November 2026" in page  # 23 November + SVC-A's 3 working days
    for personal in ("Siti", NIK, "0812", "siti@example.id", "p0"):
        assert personal not in page


def test_a_wrong_pair_shows_nothing_of_the_request(
    workflow: Workflow, org: None, engine: Engine, settings: Settings
) -> None:
    tracking_no = register(workflow, customer=SITI, now=wib(23, 10)).request.tracking_no

    async def scenario(pilot: Pilot[Any], app: KioskApp) -> None:
        await look_up(pilot, tracking_no, "1234")

    page = run_kiosk(engine, settings, wib(23, 11), scenario)
    assert "Tidak ada permohonan" in page
    assert "Service of A-X" not in page and "diproses" not in page and "Kamis" not in page


def test_repeated_wrong_tries_make_the_next_one_wait_even_with_the_right_pair(
    workflow: Workflow, org: None, engine: Engine, settings: Settings
) -> None:
    tracking_no = register(workflow, customer=SITI, now=wib(23, 10)).request.tracking_no
    seen: list[str] = []

    async def scenario(pilot: Pilot[Any], app: KioskApp) -> None:
        for guess in ("0000", "1111", "2222", "3333"):
            seen.append(await look_up(pilot, tracking_no, guess))
        seen.append(await look_up(pilot, tracking_no, LAST_FOUR))

    run_kiosk(engine, settings, wib(23, 11), scenario)
    assert all("Tidak ada permohonan" in said for said in seen[:3])
    assert "coba lagi" in seen[4] and "diproses" not in seen[4]

    later = wib(23, 11) + timedelta(minutes=11)  # the wait has passed: the right pair works
    store = KioskStore(engine=engine, settings=settings, kiosk="loket-1")
    found = store.look_up(Proof(tracking_no, LAST_FOUR), later)
    assert found is not None and found.tracking_no == tracking_no


async def fill_survey(pilot: Pilot[Any], tracking: str, comment: str) -> str:
    pane = pilot.app.query_one(TabbedContent)
    pane.active = "survey"
    await pilot.pause()
    await type_into(pilot, "#survey-tracking", tracking)
    await type_into(pilot, "#survey-four", LAST_FOUR)
    for element in range(1, 10):
        pilot.app.query_one(f"#u{element}-{1 + element % 4}", RadioButton).value = True
    pilot.app.query_one("#comment").text = comment  # type: ignore[attr-defined]
    result = pilot.app.query_one("#survey-result")
    before = str(result.render())
    pilot.app.query_one("#send", Button).focus()
    await pilot.press("enter")
    await until(pilot, lambda: str(result.render()) not in (before, "Mengirim…"))
    await pilot.pause()
    return str(result.render())


COMMENT = "[red]bagus[/red] \x1b[31mmerah"


def test_a_survey_is_taken_once_then_refused_and_its_comment_shown_as_typed(
    workflow: Workflow, org: None, engine: Engine, settings: Settings
) -> None:
    tracking_no = served_to_the_end(workflow).request.tracking_no
    said: list[str] = []

    async def scenario(pilot: Pilot[Any], app: KioskApp) -> None:
        said.append(await fill_survey(pilot, tracking_no, COMMENT))
        said.append(await fill_survey(pilot, tracking_no, "lagi"))

    page = run_kiosk(engine, settings, wib(24, 11), scenario)
    assert "Terima kasih" in said[0]
    assert "[red]bagus[/red] \\x1b[31mmerah" in said[0]  # markup and ESC, literally
    assert "sudah dinilai" in said[1]
    assert "sudah dinilai" in page
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT scores, comment, source FROM survey")).all()
    assert rows == [([2, 3, 4, 1, 2, 3, 4, 1, 2], COMMENT, "kiosk")]


def test_a_request_still_open_cannot_be_rated(
    workflow: Workflow, org: None, engine: Engine, settings: Settings
) -> None:
    tracking_no = register(workflow, customer=SITI, now=wib(23, 10)).request.tracking_no

    async def scenario(pilot: Pilot[Any], app: KioskApp) -> None:
        await fill_survey(pilot, tracking_no, "")

    assert "belum ditutup" in run_kiosk(engine, settings, wib(23, 11), scenario)


@pytest.mark.parametrize("four", ["12", "abcd"])
def test_the_last_four_must_be_four_digits_to_match(
    workflow: Workflow, org: None, engine: Engine, settings: Settings, four: str
) -> None:
    tracking_no = register(workflow, customer=SITI, now=wib(23, 10)).request.tracking_no
    store = KioskStore(engine=engine, settings=settings, kiosk="loket-2")
    assert store.look_up(Proof(tracking_no, four), wib(23, 11)) is None
