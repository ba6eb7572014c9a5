"""Migration 0004: every NOTIFY comes from a trigger, on commit only, in the listeners' shape."""

from typing import Any

import pytest
from sqlalchemy import Engine, text

from ptsa_tui.store.database import make_engine
from ptsa_tui.store.listener import Change, parse_change
from ptsa_tui.store.org import import_org, parse_org
from ptsa_tui.store.workflow import Workflow
from tests.org_fixture import SMALL_ORG
from tests.store.helpers import listening, officer_id, register, unit_id, wib

pytestmark = pytest.mark.usefixtures("org")
RULES = {"request": None, "task": None, "unit": None, "kind": "rules"}


def add_event(engine: Engine, **row: Any) -> None:
    values = {"request_id": None, "task_id": None, "officer_id": None, **row}
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO event (at, kind, request_id, task_id, officer_id)"
                " VALUES (now(), :kind, :request_id, :task_id, :officer_id)"
            ),
            values,
        )


def run(engine: Engine, sql: str) -> None:
    with engine.begin() as conn:
        conn.execute(text(sql))


def test_an_event_on_a_task_tells_the_tasks_unit(
    engine: Engine, workflow: Workflow, db_url: str
) -> None:
    reg = register(workflow)
    rid, tid = reg.request.id, reg.task.id
    with listening(db_url) as listener:
        add_event(engine, kind="probe", request_id=rid, task_id=tid)
        assert listener.take(1) == [
            {"request": rid, "task": tid, "unit": unit_id(engine, "A1"), "kind": "probe"}
        ]


def test_a_rolled_back_event_tells_nobody(engine: Engine, workflow: Workflow, db_url: str) -> None:
    reg = register(workflow)
    with listening(db_url) as listener, engine.connect() as conn:
        conn.execute(
            text("INSERT INTO event (at, kind, task_id) VALUES (now(), 'probe', :t)"),
            {"t": reg.task.id},
        )
        conn.rollback()
        listener.nothing()


def test_an_event_without_a_task_tells_the_officers_unit(engine: Engine, db_url: str) -> None:
    with listening(db_url) as listener:
        add_event(engine, kind="login", officer_id=officer_id(engine, "p2ax"))
        add_event(engine, kind="login_failed")
        assert listener.take(2) == [
            {"request": None, "task": None, "unit": unit_id(engine, "A2X"), "kind": "login"},
            {"request": None, "task": None, "unit": None, "kind": "login_failed"},
        ]


def test_a_message_tells_every_unit_of_the_request(
    engine: Engine, workflow: Workflow, db_url: str
) -> None:
    reg = register(workflow)
    rid, tid = reg.request.id or 0, reg.task.id or 0
    workflow.claim(task_id=tid, by="p1a", now=wib(23, 10, 1))
    moved = workflow.dispatch(task_id=tid, to="A2X", by="p1a", now=wib(23, 10, 2))
    assert moved.offered is not None
    with listening(db_url) as listener:
        add_event(engine, kind="message", request_id=rid, task_id=moved.offered.id)
        notes = listener.take(4, timeout=0.5)
    assert sorted(n["unit"] for n in notes) == sorted(
        unit_id(engine, code) for code in ("FO", "A1", "A2X")
    )
    assert {(n["request"], n["task"], n["kind"]) for n in notes} == {
        (rid, moved.offered.id, "message")
    }


@pytest.mark.parametrize("kind", ["registered", "org_imported", "demo_seeded", "password_set"])
def test_silent_events(engine: Engine, workflow: Workflow, db_url: str, kind: str) -> None:
    reg = register(workflow)
    with listening(db_url) as listener:
        add_event(
            engine,
            kind=kind,
            request_id=reg.request.id,
            task_id=reg.task.id,
            officer_id=officer_id(engine, "p0"),
        )
        listener.nothing()


def test_calendar_changes_say_rules(engine: Engine, db_url: str) -> None:
    with listening(db_url) as listener:
        run(engine, "INSERT INTO calendar_override VALUES ('2026-11-24', true, 'cuti')")
        run(engine, "UPDATE calendar_override SET note = 'cuti bersama'")
        run(engine, "DELETE FROM calendar_override")
        assert listener.take(3) == [RULES] * 3
        listener.nothing()
    assert parse_change('{"request": null, "task": null, "unit": null, "kind": "rules"}') == (
        Change("rules", None, None, None)
    )


def test_units_say_rules_only_when_a_claim_sla_override_changes(
    engine: Engine, db_url: str, owner_url: str
) -> None:
    owner = make_engine(owner_url)  # the statements below are the org import's, not the app's
    with listening(db_url) as listener:
        import_org(engine, parse_org(SMALL_ORG))  # the same again: no override changed
        run(owner, "UPDATE unit SET name = name || '!'")
        run(owner, "INSERT INTO unit (code, name, tier) VALUES ('C1', 'C', 1)")
        run(owner, "DELETE FROM unit WHERE code = 'C1'")
        listener.nothing()
        run(owner, "UPDATE unit SET claim_sla = '2 hours' WHERE code IN ('A1', 'B1')")
        run(owner, "INSERT INTO unit (code, name, tier, claim_sla) VALUES ('C1', 'C', 1, '1h')")
        run(owner, "DELETE FROM unit WHERE code = 'C1'")
        assert listener.take(3) == [RULES] * 3  # one per statement, however many units
        listener.nothing()
    owner.dispose()
