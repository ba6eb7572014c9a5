"""`ptsa officer passwd USER`: only a supervisor of the officer's unit (`--by`) or the holder
of the owner role's credentials (`--operator`); the event says who, and whether it lifted a
lock-out. `--by` of a locked-out officer is refused on every command."""

from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from ptsa_tui.store.errors import NotAllowed
from ptsa_tui.store.login import MAX_FAILURES, authenticate
from tests.cli.conftest import Cli, CountRows, assert_one_line_error, succeeded

pytestmark = pytest.mark.usefixtures("org")

TWICE = "new-secret-1\nnew-secret-1\n"


def password_events(engine: Engine) -> list[tuple[int | None, dict[str, Any]]]:
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT officer_id, details FROM event WHERE kind = 'password_set' ORDER BY id")
        )
        return [(officer_id, details) for officer_id, details in rows]


def hash_of(engine: Engine, username: str) -> str | None:
    with engine.connect() as conn:
        found = conn.scalar(
            text("SELECT password_hash FROM officer WHERE username = :u"), {"u": username}
        )
        return None if found is None else str(found)


def id_of(engine: Engine, username: str) -> int:
    with engine.connect() as conn:
        return int(conn.scalar(text("SELECT id FROM officer WHERE username = :u"), {"u": username}))


def lock_out(engine: Engine, username: str) -> None:
    for attempt in range(MAX_FAILURES):
        with pytest.raises(NotAllowed):
            authenticate(engine, username=username, password=f"guess-{attempt}", host="h")


@pytest.mark.parametrize("extra", [(), ("--by", "spv1a", "--operator")], ids=["neither", "both"])
def test_exactly_one_of_by_and_operator(
    cli: Cli, engine: Engine, count_rows: CountRows, extra: tuple[str, ...]
) -> None:
    before = count_rows()
    result = cli("officer", "passwd", "p1a", *extra, input=TWICE)
    assert_one_line_error(result, 2, "--by SUPERVISOR", "--operator")
    assert count_rows() == before
    assert hash_of(engine, "p1a") is None


@pytest.mark.parametrize(
    ("by", "why"),
    [("p1a2", "not a supervisor"), ("spv1b", "does not manage"), ("spv0", "does not manage")],
)
def test_only_a_supervisor_of_the_unit_may(
    cli: Cli, engine: Engine, count_rows: CountRows, by: str, why: str
) -> None:
    before = count_rows()
    result = cli("officer", "passwd", "p1a", "--by", by, input=TWICE)
    assert_one_line_error(result, 5, why, prompted=True)
    assert count_rows() == before
    assert hash_of(engine, "p1a") is None


def test_a_supervisor_sets_it_and_the_event_names_them(cli: Cli, engine: Engine) -> None:
    out = succeeded(cli("officer", "passwd", "p2ax", "--by", "spv1a", input=TWICE))
    assert "password set for p2ax" in out and "lock-out" not in out
    assert hash_of(engine, "p2ax") is not None
    ((officer_id, details),) = password_events(engine)
    assert officer_id == id_of(engine, "spv1a")  # the echelon-1 supervisor above A2X
    assert details == {"officer": "p2ax", "by": "spv1a", "cleared_lockout": False}


def test_lifting_a_lock_out_is_recorded(cli: Cli, engine: Engine) -> None:
    lock_out(engine, "p1a")
    out = succeeded(cli("officer", "passwd", "p1a", "--by", "spv1a", input=TWICE))
    assert "lock-out is lifted" in out
    ((_, details),) = password_events(engine)
    assert details["cleared_lockout"] is True
    user = authenticate(engine, username="p1a", password="new-secret-1", host="h")
    assert user.username == "p1a"


def test_a_locked_out_supervisor_cannot_set_one(cli: Cli, engine: Engine) -> None:
    lock_out(engine, "spv1a")
    result = cli("officer", "passwd", "p1a", "--by", "spv1a", input=TWICE)
    assert_one_line_error(result, 5, "'spv1a' is locked out", "until", prompted=True)
    assert password_events(engine) == []


def test_the_operator_sets_it_with_the_owner_credentials(
    cli: Cli, engine: Engine, owner_url: str
) -> None:
    lock_out(engine, "spv1a")
    env = {"PTSA_DATABASE_OWNER_URL": owner_url}
    out = succeeded(cli("officer", "passwd", "spv1a", "--operator", input=TWICE, env=env))
    assert "lock-out is lifted" in out
    ((officer_id, details),) = password_events(engine)
    assert officer_id is None
    assert details["operator"] is True and details["cleared_lockout"] is True
    assert "by" not in details


def test_operator_without_the_owner_credentials_is_refused(
    cli: Cli, engine: Engine, count_rows: CountRows
) -> None:
    before = count_rows()
    result = cli("officer", "passwd", "p1a", "--operator", input=TWICE)
    assert_one_line_error(result, 5, "does not own", prompted=True)
    assert count_rows() == before


def test_the_operator_with_credentials_that_do_not_work_is_refused(
    cli: Cli, owner_url: str
) -> None:
    # The test server trusts local connections, so a role that does not exist stands in for
    # a wrong password.
    wrong = make_url(owner_url).set(username="ptsa_nobody", password="not-the-secret")
    env = {"PTSA_DATABASE_OWNER_URL": wrong.render_as_string(hide_password=False)}
    result = cli("officer", "passwd", "p1a", "--operator", input=TWICE, env=env)
    assert_one_line_error(result, 5, "cannot connect", prompted=True)
    assert "not-the-secret" not in result.stderr


def test_a_short_password_is_refused_before_anything(cli: Cli, count_rows: CountRows) -> None:
    before = count_rows()
    result = cli("officer", "passwd", "p1a", "--by", "spv1a", input="1234\n1234\n")
    assert_one_line_error(result, 2, "at least 8", prompted=True)
    assert count_rows() == before


def test_a_locked_out_officer_is_refused_on_task_commands(cli: Cli, engine: Engine) -> None:
    created = cli(
        "request",
        "new",
        "--service",
        "SVC-A",
        "--customer",
        "Budi",
        "--subject",
        "Izin",
        "--by",
        "p0",
        "--json",
    )
    tracking_no = succeeded(created).split('"tracking_no": "')[1].split('"')[0]
    lock_out(engine, "p1a")
    claim = cli("task", "claim", tracking_no, "--by", "p1a")
    assert_one_line_error(claim, 5, "'p1a' is locked out")
    lock_out(engine, "p0")
    again = cli(
        "request",
        "new",
        "--service",
        "SVC-A",
        "--customer",
        "Ani",
        "--subject",
        "Izin",
        "--by",
        "p0",
    )
    assert_one_line_error(again, 5, "'p0' is locked out")
