"""A desk on the embedded default keeps its server: after a plain `kill` of the postmaster
(which waits for every session to end) the desk lets go, starts it again and is back online."""

import asyncio
from pathlib import Path

import psutil
from textual.message import Message

from ptsa_tui.config import Settings
from ptsa_tui.screens.app import DeskApp
from ptsa_tui.screens.messages import LinkChanged
from ptsa_tui.store.api import DeskStore
from ptsa_tui.store.database import make_engine
from ptsa_tui.store.embedded import server_status
from ptsa_tui.store.embedded_keeper import EmbeddedKeeper
from ptsa_tui.store.migrate import ensure_schema
from ptsa_tui.store.officers import set_password
from ptsa_tui.store.org import import_org, parse_org
from ptsa_tui.store.urls import start_embedded
from tests.conftest import MONDAY_10
from tests.embedded_home import exited, postmaster_pid
from tests.org_fixture import SMALL_ORG
from tests.screens.conftest import PASSWORD, log_in, until


def test_a_desk_lets_go_of_a_stopping_server_and_starts_it_again(own_home: Path) -> None:
    urls = start_embedded(own_home)
    owner = make_engine(urls.owner)
    engine = make_engine(urls.runtime, channel="desk")
    try:
        ensure_schema(engine, urls.owner)
        import_org(owner, parse_org(SMALL_ORG))
        set_password(engine, username="p0", password=PASSWORD, by="spv0")
        owner.dispose()
        store = DeskStore(
            engine=engine,
            settings=Settings(database_url="", home=own_home),
            url=urls.runtime,
            keeper=EmbeddedKeeper(own_home),
        )
        asyncio.run(_kill_the_server_under(DeskApp(store=store, clock=lambda: MONDAY_10), own_home))
    finally:
        owner.dispose()
        engine.dispose()


async def _kill_the_server_under(app: DeskApp, home: Path) -> None:
    links: list[bool] = []

    def hook(message: Message) -> None:
        if isinstance(message, LinkChanged):
            links.append(message.connected)

    async with app.run_test(size=(80, 24), message_hook=hook) as pilot:
        await log_in(pilot, "p0")
        await until(pilot, lambda: links == [True])
        first = postmaster_pid(home)
        loads = app.loads

        psutil.Process(first).terminate()  # smart shutdown: waits for the desk's sessions

        await until(pilot, lambda: links == [True, False, True], timeout=60)
        assert server_status(home) == "ready" and postmaster_pid(home) != first
        assert exited(first)
        await until(pilot, lambda: app.online and app.loads > loads)  # the inbox reloaded
