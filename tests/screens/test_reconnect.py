"""The database drops the app's connections: the offline banner shows, actions are disabled,
the form keeps its text; on reconnect the inbox reloads."""

import asyncio

import psycopg
from textual.message import Message
from textual.widgets import Input

from ptsa_tui.screens.banner import OfflineBanner
from ptsa_tui.screens.intake import IntakeScreen
from ptsa_tui.screens.messages import LinkChanged
from tests.screens.conftest import AppFactory, log_in, until


def terminate_connections(db_url: str) -> int:
    with psycopg.connect(db_url, autocommit=True) as conn:
        killed = conn.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchone()
    assert killed is not None
    return int(killed[0])


def test_connection_loss_shows_banner_keeps_typing_and_reloads(
    desks: None, make_app: AppFactory, db_url: str
) -> None:
    app = make_app(retry_every=0.5)
    links: list[bool] = []
    offline_seen: dict[str, object] = {}

    def hook(message: Message) -> None:
        if isinstance(message, LinkChanged):
            links.append(message.connected)

    async def scenario() -> None:
        async with app.run_test(size=(100, 40), message_hook=hook) as pilot:
            await log_in(pilot, "p0")
            await until(pilot, lambda: links == [True])  # the listener is connected
            await pilot.press("n")
            await until(pilot, lambda: isinstance(app.screen, IntakeScreen))
            form = app.screen
            form.query_one("#subject", Input).focus()
            await pilot.press(*"Izin kerja asing")
            banner = form.query_one(OfflineBanner)
            assert not banner.display
            loads = app.loads

            assert terminate_connections(db_url) >= 1

            def offline() -> bool:
                if app.online or not banner.display:
                    return False
                offline_seen["save"] = form.check_action("save", ())
                return True

            await until(pilot, offline)
            assert offline_seen == {"save": None}  # shown, disabled
            await until(pilot, lambda: app.online and app.loads > loads)
            assert links == [True, False, True]
            assert not banner.display
            assert form.query_one("#subject", Input).value == "Izin kerja asing"

    asyncio.run(scenario())
