"""Who may act: a locked-out or inactive officer acts through no path, and a failed log-in
under an unknown name keeps only that name's keyed hash."""

import hashlib
import hmac
from datetime import timedelta

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import ProgrammingError

from ptsa_tui.store.errors import NotAllowed
from ptsa_tui.store.login import MAX_FAILURES, authenticate
from ptsa_tui.store.timeutil import utc_now
from ptsa_tui.store.workflow import Workflow
from tests.conftest import MONDAY_10
from tests.store.helpers import register

pytestmark = pytest.mark.usefixtures("org")


def lock_out(engine: Engine, username: str) -> None:
    """Five wrong passwords on the real clock, as a desk would send them."""
    for attempt in range(MAX_FAILURES):
        with pytest.raises(NotAllowed):
            authenticate(engine, username=username, password=f"guess-{attempt}", host="h")


def locked_until(engine: Engine, username: str) -> object:
    with engine.connect() as conn:
        return conn.scalar(
            text("SELECT locked_until FROM officer WHERE username = :u"), {"u": username}
        )


def test_a_locked_out_officer_cannot_register(engine: Engine, workflow: Workflow) -> None:
    lock_out(engine, "p0")
    with pytest.raises(NotAllowed, match=r"'p0' is locked out .* until \d\d:\d\d WIB") as refused:
        register(workflow, by="p0")
    assert refused.value.exit_code == 5
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM request")) == 0


def test_the_lock_out_is_told_in_office_time(engine: Engine, workflow: Workflow) -> None:
    lock_out(engine, "p0")
    until = locked_until(engine, "p0")
    assert until is not None and hasattr(until, "astimezone")
    office = until.astimezone(workflow.rules.calendar.timezone)
    with pytest.raises(NotAllowed, match=f"until {office:%H:%M} WIB"):
        register(workflow, by="p0")


def test_a_locked_out_officer_cannot_claim(engine: Engine, workflow: Workflow) -> None:
    registered = register(workflow)
    lock_out(engine, "p1a")
    with pytest.raises(NotAllowed, match="'p1a' is locked out"):
        workflow.claim(task_id=registered.task.id or 0, by="p1a", now=MONDAY_10)
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT claimed_by FROM task")) is None
    workflow.claim(task_id=registered.task.id or 0, by="p1a2", now=MONDAY_10)  # others may


def test_a_locked_out_supervisor_cannot_assign_nor_be_assigned(
    engine: Engine, workflow: Workflow
) -> None:
    registered = register(workflow)
    task_id = registered.task.id or 0
    lock_out(engine, "spv1a")
    with pytest.raises(NotAllowed, match="'spv1a' is locked out"):
        workflow.assign(task_id=task_id, to="p1a", by="spv1a", now=MONDAY_10)
    lock_out(engine, "p1a")
    with engine.begin() as conn:  # spv1a's lock-out is over
        conn.execute(text("UPDATE officer SET locked_until = NULL WHERE username = 'spv1a'"))
    with pytest.raises(NotAllowed, match="'p1a' is locked out"):
        workflow.assign(task_id=task_id, to="p1a", by="spv1a", now=MONDAY_10)


def test_an_expired_lock_out_lets_the_officer_act_again(engine: Engine, workflow: Workflow) -> None:
    lock_out(engine, "p0")
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE officer SET locked_until = :t WHERE username = 'p0'"),
            {"t": utc_now() - timedelta(seconds=1)},
        )
    assert register(workflow, by="p0").request.tracking_no


def test_an_inactive_officer_cannot_act_by_id_either(engine: Engine, workflow: Workflow) -> None:
    with engine.begin() as conn:
        conn.execute(text("UPDATE officer SET active = false WHERE username = 'p0'"))
        p0 = conn.scalar(text("SELECT id FROM officer WHERE username = 'p0'"))
    with pytest.raises(NotAllowed, match="'p0' is inactive"):
        workflow.register(by=int(p0), customer={"name": "Budi"}, subject="s", unit_code="A1")


def failed_logins(engine: Engine) -> list[tuple[int | None, dict[str, object]]]:
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT officer_id, details FROM event WHERE kind = 'login_failed' ORDER BY id")
        )
        return [(officer_id, details) for officer_id, details in rows]


def test_an_unknown_username_is_kept_only_as_its_keyed_hash(engine: Engine, owner_url: str) -> None:
    typed = "Sup3rS3cret!pwx"
    for _ in range(2):
        with pytest.raises(NotAllowed):
            authenticate(engine, username=typed, password="x", host="h", now=MONDAY_10)
    with pytest.raises(NotAllowed):
        authenticate(engine, username="other-name", password="x", host="h", now=MONDAY_10)
    with engine.connect() as conn:
        everything = conn.scalar(text("SELECT string_agg(details::text, ' ') FROM event"))
    assert typed not in str(everything)
    (_, first), (_, second), (_, other) = failed_logins(engine)
    assert "username" not in first
    assert first["username_hmac"] == second["username_hmac"]  # repeated probing shows
    assert first["username_hmac"] != other["username_hmac"]
    # It is HMAC-SHA256 under the key only the owner can read.
    from sqlalchemy import create_engine

    from ptsa_tui.store.database import sqlalchemy_url

    owner = create_engine(sqlalchemy_url(owner_url))
    try:
        with owner.connect() as conn:
            inner = bytes(conn.scalar(text("SELECT inner_pad FROM login_key")))
    finally:
        owner.dispose()
    key = bytes(b ^ 0x36 for b in inner)
    assert first["username_hmac"] == hmac.new(key, typed.encode(), hashlib.sha256).hexdigest()


def test_the_runtime_role_cannot_read_the_key(engine: Engine) -> None:
    with engine.connect() as conn, pytest.raises(ProgrammingError, match="permission denied"):
        conn.execute(text("SELECT inner_pad FROM login_key"))


def test_a_known_officer_failing_is_recorded_by_id(engine: Engine) -> None:
    with pytest.raises(NotAllowed):
        authenticate(engine, username="p0", password="wrong", host="h", now=MONDAY_10)
    ((officer_id, details),) = failed_logins(engine)
    assert officer_id is not None
    assert "username" not in details and "username_hmac" not in details
