"""Textual's own words in the desk, translated where Textual lets them be: the palette key in
the footer, the palette's placeholder, its system commands and their help lines."""

import asyncio

from ptsa_tui.store.workflow import Workflow
from tests.screens.conftest import AppFactory, log_in
from tests.screens.office import morning
from tests.screens.screen_text import screen_text


def test_the_palette_speaks_indonesian(
    desks: None, make_app: AppFactory, workflow: Workflow
) -> None:
    morning(workflow)
    app = make_app(live=False)

    async def scenario() -> None:
        async with app.run_test(size=(80, 40)) as pilot:
            await log_in(pilot, "p1a")
            await pilot.press("ctrl+p")
            await pilot.pause()
            await pilot.pause()
            shown = screen_text(app)
            assert "Cari perintah…" in shown
            assert "Tombol" in shown and "Tema" in shown
            for english in ("Search for commands", "Keys", "Theme", "Quit the application"):
                assert english not in shown
            await pilot.press(*"tomb")
            await pilot.pause()
            await pilot.pause()
            assert "Tampilkan bantuan" in screen_text(app)

    asyncio.run(scenario())


def test_the_palette_stays_english_in_english(
    desks: None, make_app: AppFactory, workflow: Workflow
) -> None:
    morning(workflow)
    app = make_app(live=False, lang="en")

    async def scenario() -> None:
        async with app.run_test(size=(80, 40)) as pilot:
            await log_in(pilot, "p1a")
            assert "^p palette" in screen_text(app)
            await pilot.press("ctrl+p")
            await pilot.pause()
            await pilot.pause()
            shown = screen_text(app)
            assert "Search for commands…" in shown and "Keys" in shown

    asyncio.run(scenario())
