"""Tabs by number (1…5) and in turn ([ and ]), each tab labelled with its number."""

import asyncio

from textual.widgets import Tabs

from ptsa_tui.store.workflow import Workflow
from tests.screens.conftest import AppFactory, log_in
from tests.screens.office import morning
from tests.screens.screen_text import screen_text


def test_number_keys_and_brackets_switch_tabs(
    desks: None, make_app: AppFactory, workflow: Workflow
) -> None:
    morning(workflow)
    app = make_app(live=False)

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await log_in(pilot, "p0")
            tabs = app.screen.query_one(Tabs)
            assert "1 Antrean" in screen_text(app) and "5 Serahkan" in screen_text(app)
            await pilot.press("5")
            assert tabs.active == "deliver"
            await pilot.pause()
            # all five labels whole at 80 columns, the last one active (seen before: the bar
            # scrolled to it and cut the first label to "Antrean")
            assert "1 Antrean" in screen_text(app) and "5 Serahkan" in screen_text(app)
            await pilot.press("3")
            assert tabs.active == "team"
            await pilot.press("right_square_bracket")
            assert tabs.active == "done"
            await pilot.press("right_square_bracket", "right_square_bracket")
            assert tabs.active == "queue"  # round from the last to the first
            await pilot.press("left_square_bracket")
            assert tabs.active == "deliver"

    asyncio.run(scenario())


def test_the_keys_panel_lists_the_tab_keys(
    desks: None, make_app: AppFactory, workflow: Workflow
) -> None:
    morning(workflow)
    app = make_app(live=False)

    async def scenario() -> None:
        async with app.run_test(size=(100, 40)) as pilot:
            await log_in(pilot, "p1a")
            app.action_show_help_panel()
            await pilot.pause()
            await pilot.pause()
            shown = screen_text(app)
            assert "Tab berikutnya" in shown and "Tab sebelumnya" in shown
            assert "Ke tab ini" in shown

    asyncio.run(scenario())


def test_a_number_past_the_tabs_of_the_position_does_nothing(
    desks: None, make_app: AppFactory, workflow: Workflow
) -> None:
    morning(workflow)
    app = make_app(live=False)

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await log_in(pilot, "p1a")  # P1 has four tabs: no "to deliver"
            tabs = app.screen.query_one(Tabs)
            await pilot.press("2")
            assert tabs.active == "mine"
            await pilot.press("5")
            assert tabs.active == "mine"

    asyncio.run(scenario())


def test_digits_typed_in_the_filter_stay_in_the_filter(
    desks: None, make_app: AppFactory, workflow: Workflow
) -> None:
    morning(workflow)
    app = make_app(live=False)

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await log_in(pilot, "p1a")
            tabs = app.screen.query_one(Tabs)
            await pilot.press("slash", *"000004")
            await pilot.pause()
            assert tabs.active == "queue"
            assert "PTSA-2026-000004" in screen_text(app)
            assert "PTSA-2026-000005" not in screen_text(app)

    asyncio.run(scenario())
