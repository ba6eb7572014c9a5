"""Presence: an open desk app counts as present; a closed one stops counting at once."""

import asyncio
from datetime import timedelta

from sqlalchemy import Engine

from ptsa_tui.store.limits import PRESENCE_TTL
from ptsa_tui.store.presence import present
from tests.conftest import MONDAY_10
from tests.screens.conftest import AppFactory, log_in, until


def on_duty(engine: Engine, at: object = MONDAY_10) -> set[str]:
    return {p.username for p in present(engine, now=at)}  # type: ignore[arg-type]


def test_an_open_app_is_present_and_a_closed_one_is_not(
    desks: None, make_app: AppFactory, engine: Engine
) -> None:
    app = make_app(live=False)

    async def scenario() -> None:
        async with app.run_test() as pilot:
            assert on_duty(engine) == set()  # the login screen alone is nobody
            await log_in(pilot, "p1a")
            await until(pilot, lambda: on_duty(engine) == {"p1a"})
            # A crashed app stops refreshing: after the TTL it no longer counts.
            assert on_duty(engine, MONDAY_10 + PRESENCE_TTL + timedelta(seconds=1)) == set()

    asyncio.run(scenario())
    assert on_duty(engine) == set()
