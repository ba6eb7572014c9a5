"""Language: Indonesian by default, English per officer, and PTSA_LANG over both."""

import asyncio

from sqlalchemy import Engine, text
from textual.widgets import Tab

from ptsa_tui.config import Settings
from ptsa_tui.screens.app import desk_language
from tests.screens.conftest import AppFactory, log_in


def tab_labels(app: object) -> list[str]:
    return [str(tab.label) for tab in app.screen.query(Tab)]  # type: ignore[attr-defined]


def test_the_officers_language_is_used_after_login(
    desks: None, make_app: AppFactory, engine: Engine
) -> None:
    with engine.begin() as conn:
        conn.execute(text("UPDATE officer SET language = 'en' WHERE username = 'p1a'"))
    app = make_app(live=False)

    async def scenario() -> None:
        async with app.run_test() as pilot:
            assert "Nama pengguna" in str(app.screen.query_one("Label").render())
            await log_in(pilot, "p1a")
            assert tab_labels(app)[0] == "1 Queue (0)"

    asyncio.run(scenario())


def test_ptsa_lang_wins_over_the_officer() -> None:
    assert desk_language(Settings.model_construct(), "en") == "en"
    assert desk_language(Settings.model_construct(), "id") == "id"
    assert desk_language(Settings.model_construct(lang="en"), "id") == "en"
    assert desk_language(Settings.model_construct(lang="id"), "en") == "id"
