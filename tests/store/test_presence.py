"""Presence: an open app counts, a closed one stops at once, a crashed one after the TTL."""

from datetime import timedelta

import pytest
from sqlalchemy import Engine

from ptsa_tui.store.limits import PRESENCE_TTL
from ptsa_tui.store.presence import leave, present, touch
from tests.conftest import MONDAY_10
from tests.store.helpers import officer_id

pytestmark = pytest.mark.usefixtures("org")


def test_an_open_app_is_present_and_a_closed_one_is_not(engine: Engine) -> None:
    me = officer_id(engine, "p1a")
    touch(engine, officer_id=me, host="desk-1", pid=42, now=MONDAY_10)
    assert [p.username for p in present(engine, now=MONDAY_10)] == ["p1a"]
    leave(engine, officer_id=me, host="desk-1", pid=42)
    assert present(engine, now=MONDAY_10) == []


def test_a_crashed_app_stops_counting_after_the_ttl(engine: Engine) -> None:
    me = officer_id(engine, "p2ax")
    touch(engine, officer_id=me, host="desk-2", pid=7, now=MONDAY_10)
    assert present(engine, now=MONDAY_10 + PRESENCE_TTL - timedelta(seconds=1))
    assert present(engine, now=MONDAY_10 + PRESENCE_TTL) == []


def test_touch_refreshes_and_two_apps_of_one_officer_count_once(engine: Engine) -> None:
    me = officer_id(engine, "p0")
    touch(engine, officer_id=me, host="a", pid=1, now=MONDAY_10)
    touch(engine, officer_id=me, host="b", pid=2, now=MONDAY_10)
    touch(engine, officer_id=me, host="a", pid=1, now=MONDAY_10 + PRESENCE_TTL)
    later = MONDAY_10 + PRESENCE_TTL + timedelta(seconds=1)
    [only] = present(engine, now=later)
    assert (only.username, only.host) == ("p0", "a")
