"""Desk log-in: right and wrong passwords, the lock-out, inactive officers, the audit trail."""

from datetime import timedelta

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from sqlmodel import col

from ptsa_tui.store.errors import NotAllowed
from ptsa_tui.store.login import LOCK_FOR, MAX_FAILURES, authenticate
from ptsa_tui.store.models import Event, Officer
from ptsa_tui.store.officers import set_password
from tests.conftest import MONDAY_10

pytestmark = pytest.mark.usefixtures("org")
SECRET = "rahasia-123"


def kinds(engine: Engine) -> list[str]:
    with Session(engine) as session:
        return list(
            session.scalars(
                select(col(Event.kind))
                .where(col(Event.kind).startswith("login"))
                .order_by(col(Event.id))
            )
        )


def failures(engine: Engine, username: str) -> int:
    with Session(engine) as session:
        officer = session.scalars(select(Officer).where(col(Officer.username) == username)).one()
        return officer.failed_logins


def test_right_password_gives_the_officer_and_their_position(engine: Engine) -> None:
    set_password(engine, username="p2ax", password=SECRET, by="spv2ax")
    user = authenticate(engine, username="p2ax", password=SECRET, host="desk-7", now=MONDAY_10)
    assert (user.username, user.unit_code, user.position, user.supervisor) == (
        "p2ax",
        "A2X",
        "P2",
        False,
    )
    assert kinds(engine) == ["login"]


def test_wrong_password_and_unknown_user_say_the_same_and_are_recorded(engine: Engine) -> None:
    set_password(engine, username="p1a", password=SECRET, by="spv1a")
    with pytest.raises(NotAllowed) as wrong:
        authenticate(engine, username="p1a", password="nope", host="h", now=MONDAY_10)
    with pytest.raises(NotAllowed) as unknown:
        authenticate(engine, username="nobody", password="nope", host="h", now=MONDAY_10)
    assert str(wrong.value) == str(unknown.value) == "wrong username or password"
    assert kinds(engine) == ["login_failed", "login_failed"]
    assert failures(engine, "p1a") == 1


def test_five_failures_lock_the_account_for_fifteen_minutes(engine: Engine) -> None:
    set_password(engine, username="p1a", password=SECRET, by="spv1a")
    for attempt in range(MAX_FAILURES):
        with pytest.raises(NotAllowed):
            authenticate(engine, username="p1a", password=f"bad{attempt}", host="h", now=MONDAY_10)
    later = MONDAY_10 + LOCK_FOR - timedelta(seconds=1)
    with pytest.raises(NotAllowed, match="locked"):
        authenticate(engine, username="p1a", password=SECRET, host="h", now=later)
    user = authenticate(engine, username="p1a", password=SECRET, host="h", now=MONDAY_10 + LOCK_FOR)
    assert user.username == "p1a"
    assert failures(engine, "p1a") == 0
    assert kinds(engine) == ["login_failed"] * MAX_FAILURES + ["login_refused", "login"]


def test_a_success_resets_the_count_of_failures(engine: Engine) -> None:
    set_password(engine, username="p1a", password=SECRET, by="spv1a")
    for _ in range(MAX_FAILURES - 1):
        with pytest.raises(NotAllowed):
            authenticate(engine, username="p1a", password="bad", host="h", now=MONDAY_10)
    authenticate(engine, username="p1a", password=SECRET, host="h", now=MONDAY_10)
    with pytest.raises(NotAllowed, match="wrong"):
        authenticate(engine, username="p1a", password="bad", host="h", now=MONDAY_10)
    assert failures(engine, "p1a") == 1


def test_an_inactive_officer_cannot_log_in_even_with_the_right_password(engine: Engine) -> None:
    set_password(engine, username="gone", password=SECRET, by="spv1a")
    with pytest.raises(NotAllowed, match="inactive"):
        authenticate(engine, username="gone", password=SECRET, host="h", now=MONDAY_10)
    assert kinds(engine) == ["login_refused"]


def test_an_officer_without_a_password_cannot_log_in(engine: Engine) -> None:
    with pytest.raises(NotAllowed, match="wrong"):
        authenticate(engine, username="p0", password="", host="h", now=MONDAY_10)
