"""The desk's door to the store: its live link keeps the rules fresh, its errors are the store's."""

import threading
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta

import pytest
from sqlalchemy import Engine, text

from ptsa_tui.config import Settings
from ptsa_tui.store.api import DatabaseUnavailable, DeskStore
from ptsa_tui.store.listener import Change
from tests.store.helpers import wib

pytestmark = pytest.mark.usefixtures("org")


def wait_for(condition: Callable[[], object], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {condition}")
        time.sleep(0.02)


@pytest.fixture
def store(engine: Engine, settings: Settings, db_url: str) -> DeskStore:
    return DeskStore(engine=engine, settings=settings, url=db_url)


@pytest.fixture
def heard(store: DeskStore) -> Iterator[list[Change]]:
    """The store's live link running in a thread, as the desk app runs it."""
    changes: list[Change] = []
    up = threading.Event()
    stop = threading.Event()
    thread = threading.Thread(
        target=store.listen,
        kwargs={
            "on_change": changes.append,
            "on_connected": lambda connected: up.set() if connected else None,
            "stop": stop,
        },
        daemon=True,
    )
    thread.start()
    assert up.wait(5)
    yield changes
    stop.set()
    thread.join(5)


def test_a_day_closed_elsewhere_moves_the_desks_countdown_at_once(
    store: DeskStore, heard: list[Change], engine: Engine
) -> None:
    due, now = wib(24, 8), wib(23, 15)  # Tuesday 08:00, seen on Monday 15:00
    before = store.countdown(due, now).remaining
    assert before == timedelta(hours=1, minutes=30)  # Mon 15:00-16:00, Tue 07:30-08:00
    with engine.begin() as conn:  # another process's calendar admin closes Tuesday
        conn.execute(
            text("INSERT INTO calendar_override (day, closed, note) VALUES (:d, true, 'cuti')"),
            {"d": date(2026, 11, 24)},
        )
    wait_for(lambda: any(c.kind == "rules" for c in heard))
    assert date(2026, 11, 24) in store.rules().calendar.closed_days
    assert store.countdown(due, now).remaining == timedelta(hours=1)


def test_a_database_gone_is_database_unavailable(settings: Settings) -> None:
    from ptsa_tui.store.database import make_engine

    nowhere = "postgresql://nobody@127.0.0.1:9/none"
    engine = make_engine(nowhere)
    store = DeskStore(engine=engine, settings=settings, url=nowhere)
    try:
        with pytest.raises(DatabaseUnavailable):
            store.services()
    finally:
        engine.dispose()
