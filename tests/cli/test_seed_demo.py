"""`ptsa seed demo --weeks N`: the demo office with N weeks of history, and a second run that
adds nothing."""

from datetime import datetime

import pytest
import time_machine
from sqlalchemy import Engine, text

from ptsa_tui.store import demo_story as story
from tests.cli.conftest import Cli, CountRows, assert_one_line_error, succeeded
from tests.conftest import WIB

NOW = datetime(2026, 11, 25, 8, 0, tzinfo=WIB)  # a Wednesday, half an hour after opening


def test_seed_demo_with_a_week_of_history_then_again_adds_nothing(
    cli: Cli, engine: Engine, count_rows: CountRows, monkeypatch: pytest.MonkeyPatch
) -> None:
    # argon2 for 56 officers costs seconds and is not what this test is about
    monkeypatch.setattr("ptsa_tui.store.org.hash_password", lambda password: "not-a-hash")
    with time_machine.travel(NOW, tick=False):
        said = succeeded(cli("seed", "demo", "--weeks", "1"))
    with engine.connect() as conn:
        history = conn.scalar(
            text("SELECT count(*) FROM request WHERE details = :d"), {"d": story.DETAILS}
        )
        latest = conn.scalar(text("SELECT max(at) FROM event WHERE officer_id IS NOT NULL"))
    assert history and history > 5 * 6  # five working days, six or more requests a day
    assert latest is not None and latest <= NOW
    assert (
        "demo office: 28 units, 56 officers, 15 services, 27 new sample requests,"
        f" {history} requests of history over 1 week, 7 overdue today with" in said
    )
    before = count_rows("request", "task", "message", "alert", "alert_attempt")
    again = succeeded(cli("seed", "demo", "--weeks", "1"))
    assert "27 new sample requests" not in again and "history" not in again
    assert "0 new sample requests" in again
    assert count_rows("request", "task", "message", "alert", "alert_attempt") == before


def test_seed_demo_refuses_negative_weeks(cli: Cli, count_rows: CountRows) -> None:
    assert_one_line_error(cli("seed", "demo", "--weeks", "-1"), 2, "--weeks")
    assert count_rows("request") == {"request": 0}


def test_weeks_is_offered_by_seed_demo_and_demo(cli: Cli) -> None:
    for command in (("seed", "demo"), ("demo",)):
        assert "--weeks" in succeeded(cli(*command, "--help"))
