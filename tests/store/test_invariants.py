"""What the database itself refuses, and what `register` refuses before writing anything."""

from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from psycopg import errors
from sqlalchemy import Engine

from ptsa_tui.store.errors import InvalidInput
from ptsa_tui.store.queries import request_story
from ptsa_tui.store.workflow import Workflow
from tests.store.helpers import counts, register, snapshot

pytestmark = pytest.mark.usefixtures("org")


@pytest.fixture
def raw(db_url: str) -> Iterator[psycopg.Connection[Any]]:
    """A plain autocommit connection: each statement stands alone, as an intruder's would."""
    with psycopg.connect(db_url, autocommit=True) as conn:
        yield conn


@pytest.fixture
def registered(workflow: Workflow) -> tuple[int, int]:
    """A request (with its events) and its open task."""
    reg = register(workflow)
    assert reg.request.id is not None and reg.task.id is not None
    return reg.request.id, reg.task.id


def one(conn: psycopg.Connection[Any], sql: str, *params: Any) -> Any:
    row = conn.execute(sql, params).fetchone()
    assert row is not None
    return row[0]


@pytest.mark.parametrize(
    "statement",
    ["UPDATE event SET kind = 'forged'", "DELETE FROM event", "TRUNCATE event"],
)
def test_events_are_append_only(
    raw: psycopg.Connection[Any], registered: tuple[int, int], statement: str, owner_url: str
) -> None:
    before = raw.execute("SELECT id, kind, at, details FROM event ORDER BY id").fetchall()
    assert len(before) >= 2  # org import and registration
    # The runtime role has no such right; the owner, who has, meets the append-only trigger.
    with pytest.raises(errors.InsufficientPrivilege, match="permission denied for table event"):
        raw.execute(statement)
    with (
        psycopg.connect(owner_url, autocommit=True) as owner,
        pytest.raises(errors.InsufficientPrivilege, match="append-only"),
    ):
        owner.execute(statement)
    assert raw.execute("SELECT id, kind, at, details FROM event ORDER BY id").fetchall() == before


def test_one_open_task_per_request(
    raw: psycopg.Connection[Any], registered: tuple[int, int]
) -> None:
    request_id, task_id = registered
    copy = (
        "INSERT INTO task (request_id, unit_id, position, purpose, offered_at, claim_due_at)"
        " SELECT request_id, unit_id, position, purpose, offered_at, claim_due_at"
        " FROM task WHERE id = %s"
    )
    with pytest.raises(errors.UniqueViolation, match="task_one_open_per_request"):
        raw.execute(copy, (task_id,))
    # Once the first hop is closed, a second open one is fine: the index is partial.
    raw.execute(
        "UPDATE task SET closed_at = offered_at, outcome = 'released' WHERE id = %s", (task_id,)
    )
    raw.execute(copy, (task_id,))
    open_tasks = one(
        raw, "SELECT count(*) FROM task WHERE request_id = %s AND closed_at IS NULL", request_id
    )
    assert open_tasks == 1


def test_claimer_and_claim_time_go_together(
    raw: psycopg.Connection[Any], registered: tuple[int, int]
) -> None:
    _, task_id = registered
    officer = one(raw, "SELECT id FROM officer WHERE username = 'p1a'")
    with pytest.raises(errors.CheckViolation, match="task_claim_pair"):
        raw.execute("UPDATE task SET claimed_by = %s WHERE id = %s", (officer, task_id))
    with pytest.raises(errors.CheckViolation, match="task_claim_pair"):
        raw.execute("UPDATE task SET claimed_at = now() WHERE id = %s", (task_id,))
    with pytest.raises(errors.CheckViolation, match="task_close_pair"):
        raw.execute("UPDATE task SET closed_at = now() WHERE id = %s", (task_id,))
    assert raw.execute(
        "SELECT claimed_by, claimed_at, closed_at FROM task WHERE id = %s", (task_id,)
    ).fetchone() == (None, None, None)


def test_tracking_numbers_are_unique(workflow: Workflow, raw: psycopg.Connection[Any]) -> None:
    first, second = register(workflow), register(workflow)
    assert first.request.tracking_no != second.request.tracking_no
    with pytest.raises(errors.UniqueViolation, match="tracking_no"):
        raw.execute(
            "UPDATE request SET tracking_no = %s WHERE id = %s",
            (first.request.tracking_no, second.request.id),
        )
    with pytest.raises(errors.UniqueViolation, match="tracking_no"):
        raw.execute(
            "INSERT INTO request (tracking_no, customer_id, origin_unit_id, registered_by,"
            " subject, details, channel, status, created_at)"
            " SELECT tracking_no, customer_id, origin_unit_id, registered_by, subject, details,"
            " channel, status, created_at FROM request WHERE id = %s",
            (first.request.id,),
        )
    assert one(raw, "SELECT count(*) FROM request") == 2


BAD_INPUT: list[tuple[str, dict[str, Any], str]] = [
    ("empty subject", {"subject": ""}, "subject"),
    ("blank subject", {"subject": "   \t"}, "subject"),
    ("100 KB details", {"details": "x" * 100_000}, "details"),
    ("malformed phone", {"customer": {"name": "Ani", "phone": "12ab"}}, "phone"),
    ("short phone", {"customer": {"name": "Ani", "phone": "0812"}}, "phone"),
    ("malformed email", {"customer": {"name": "Ani", "email": "ani@"}}, "email"),
    ("email with space", {"customer": {"name": "Ani", "email": "a ni@x.id"}}, "email"),
    ("NUL in subject", {"subject": "izin\x00kerja"}, "subject"),
    ("NUL in name", {"customer": {"name": "A\x00ni"}}, "name"),
    ("empty name", {"customer": {"name": ""}}, "name"),
    ("short NIK", {"customer": {"name": "Ani", "nik": "12345"}}, "nik"),
    ("unknown channel", {"channel": "pigeon"}, "channel"),
    ("unknown field", {"colour": "red"}, "colour"),
]


@pytest.mark.parametrize(
    ("fields", "field"), [case[1:] for case in BAD_INPUT], ids=[case[0] for case in BAD_INPUT]
)
def test_bad_input_is_refused_before_writing(
    workflow: Workflow, engine: Engine, fields: dict[str, Any], field: str
) -> None:
    before = snapshot(engine)
    with pytest.raises(InvalidInput, match=field):
        register(workflow, **fields)
    assert snapshot(engine) == before


def test_blank_answer_is_refused_before_writing(workflow: Workflow, engine: Engine) -> None:
    before = counts(engine)
    with pytest.raises(InvalidInput, match="answer"):
        register(workflow, answer=" ")
    assert counts(engine) == before


@pytest.mark.parametrize("name", ["[red]x[/]", "\x1b[31mBudi\x1b[0m", "[bold]A[/bold] \x1b[2J"])
def test_markup_and_escapes_are_stored_literally(
    workflow: Workflow, engine: Engine, name: str
) -> None:
    subject = f"perihal {name}"
    reg = register(workflow, customer={"name": name}, subject=subject)
    story = request_story(engine, reg.request.tracking_no)
    assert story.customer.name == name
    assert story.request.subject == subject
    assert [t.customer for t in story.tasks] == [name]
