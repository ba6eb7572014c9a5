"""At 80×24, the size of an ssh session, each screen shows all of itself: the login box whole,
the keys that matter first in the footer, the header kept when filtering."""

import asyncio

import pytest

from ptsa_tui.screens.app import DeskApp
from ptsa_tui.screens.inbox import InboxScreen
from ptsa_tui.store.workflow import Workflow
from tests.conftest import MONDAY_10
from tests.screens.conftest import AppFactory, log_in, until
from tests.screens.office import morning
from tests.screens.screen_text import screen_text

SIZE = (80, 24)


def lines_of(text: str) -> list[str]:
    return text.rstrip("\n").split("\n")


def test_the_login_box_is_whole_with_an_error_shown(desks: None, make_app: AppFactory) -> None:
    app = make_app(live=False)

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press(*"p1a", "tab", *"wrong-password", "enter")
            await until(pilot, lambda: "Checking" not in screen_text(app))
            await until(pilot, lambda: not app.screen.query_one("#login").disabled)
            lines = lines_of(screen_text(app))
            assert len(lines) == 24
            top = next(i for i, line in enumerate(lines) if "╭" in line)
            bottom = next(i for i, line in enumerate(lines) if "╰" in line)
            assert top < bottom < 23  # above the footer's line
            box = "\n".join(lines[top : bottom + 1])
            assert "Masuk" in box and "Kata sandi" in box

    asyncio.run(scenario())


def test_the_login_subtitle_is_all_english_in_english(desks: None, make_app: AppFactory) -> None:
    app = make_app(live=False, lang="en")

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            shown = screen_text(app)
            assert "Ministry of Manpower" in shown
            assert "Kementerian" not in shown and "Pelayanan" not in shown

    asyncio.run(scenario())


def test_the_queue_footer_leads_with_open_then_claim(
    desks: None, make_app: AppFactory, workflow: Workflow
) -> None:
    morning(workflow)
    app = make_app(live=False)

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await log_in(pilot, "p1a")
            footer = lines_of(screen_text(app))[-1]
            assert "⏎ Buka" in footer
            assert footer.index("Buka") < footer.index("Klaim") < footer.index("Saring")
            assert "palet" in footer and "palette" not in footer

    asyncio.run(scenario())


def test_filtering_keeps_the_header_with_the_officer(
    desks: None, make_app: AppFactory, workflow: Workflow
) -> None:
    morning(workflow)
    app = make_app(live=False)

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await log_in(pilot, "p1a")
            await pilot.press("slash", *"Budi")
            await pilot.pause()
            lines = lines_of(screen_text(app))
            assert "Officer p1a" in lines[0]
            assert "⭘" not in lines[0]
            assert any("Budi Santoso" in line for line in lines)
            assert not any("CV Karya Mandiri" in line for line in lines)

    asyncio.run(scenario())


def test_inbox_columns_give_way_at_80_columns(
    desks: None, make_app: AppFactory, workflow: Workflow
) -> None:
    morning(workflow)
    workflow.register(
        by="p0",
        service_code="SVC-A",
        customer={"name": "Koperasi Tenaga Kerja Sejahtera Abadi", "phone": "081299887766"},
        subject="Permohonan",
        details="",
        now=MONDAY_10.replace(hour=8),  # late by 1h30m at ten: the widest countdown
    )
    app = make_app(live=False)

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await log_in(pilot, "p1a")
            assert isinstance(app.screen, InboxScreen)
            text = screen_text(app)
            assert "Tenggat SOP" in text  # the last column's heading, not cut
            assert "terlambat 1h30m" in text
            assert "PTSA-2026-000007" in text
            assert "Koperasi Tenag" in text and "Abadi" not in text  # the customer gives way
            assert "…" in text
            assert "26/11 16:00" in text
            await pilot.press("3")  # the team tab: a claimed task, held by someone
            await pilot.pause()
            team = screen_text(app)
            assert "PTSA-2026-000003" in team and "Tenggat SOP" in team

    asyncio.run(scenario())


def footer_on(app: DeskApp) -> str:
    return lines_of(screen_text(app))[-1]


@pytest.mark.parametrize(
    ("username", "tab_key", "first_keys"),
    [
        ("p0", "5", ("⏎ Buka", "x Tutup")),  # an answer to deliver: open it, close it
        ("p2ax", "2", ("⏎ Buka", "v Selesaikan")),  # a late task P2 holds
        ("spv1a", "1", ("⏎ Buka", "c Klaim", "a Tugaskan")),
    ],
)
def test_every_footer_fits_whole_with_its_first_keys(
    desks: None,
    make_app: AppFactory,
    workflow: Workflow,
    username: str,
    tab_key: str,
    first_keys: tuple[str, ...],
) -> None:
    ids = morning(workflow)
    workflow.claim(task_id=ids["p2_late"], by="p2ax", now=MONDAY_10)
    app = make_app(live=False)

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await log_in(pilot, username)
            await pilot.press(tab_key)
            await pilot.pause()
            footer = footer_on(app)
            positions = [footer.index(key) for key in first_keys]
            assert positions == sorted(positions)
            keys, palette = footer.split("▏")
            assert palette.strip() == "^p palet"
            words = {b.description for _n, b, _e, _t in app.screen.active_bindings.values()}
            assert any(keys.rstrip().endswith(" " + word) for word in words if word)  # whole

    asyncio.run(scenario())
