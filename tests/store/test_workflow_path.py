"""The request's path through the workflow, hop by hop, with deadlines, events and NOTIFYs.

Expected deadlines are worked out by hand on the default calendar (Mon–Thu 07:30–16:00,
Fri 07:30–16:30, WIB; claim SLA 30 min of office time; A2Y overrides it with 1 h).
"""

import re
from datetime import timedelta

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from ptsa_tui.store.database import make_engine
from ptsa_tui.store.errors import Conflict, InvalidInput, NotAllowed, NotFound
from ptsa_tui.store.queries import list_tasks, request_story, resolve_task_id
from ptsa_tui.store.workflow import Workflow
from tests.store.helpers import (
    event_kinds,
    listening,
    register,
    request,
    task,
    tasks_of,
    unit_id,
    wib,
)

pytestmark = pytest.mark.usefixtures("org")


def test_full_path_register_to_close(workflow: Workflow, engine: Engine, db_url: str) -> None:
    a1, a2x, fo = unit_id(engine, "A1"), unit_id(engine, "A2X"), unit_id(engine, "FO")
    with listening(db_url) as listener:
        reg = register(workflow, now=wib(23, 10))
        rid, t1 = reg.request.id, reg.task.id
        assert rid is not None and t1 is not None
        assert re.fullmatch(r"PTSA-2026-\d{6}", reg.request.tracking_no)
        assert listener.take(1) == [{"request": rid, "task": t1, "unit": a1, "kind": "offered"}]
        row = task(engine, t1)
        assert (row.unit_id, row.position, row.purpose) == (a1, "P1", "route")
        assert row.offered_at == wib(23, 10)
        assert row.claim_due_at == wib(23, 10, 30)
        assert row.claimed_by is None and row.closed_at is None
        req = request(engine, rid)
        assert req.status == "open" and req.resolution is None
        # 3 working days from Monday: Tue, Wed, Thu → Thursday's closing time
        assert req.sop_due_at == wib(26, 16)
        assert resolve_task_id(engine, req.tracking_no) == t1

        workflow.claim(task_id=t1, by="p1a", now=wib(23, 10, 5))
        assert listener.take(1) == [{"request": rid, "task": t1, "unit": a1, "kind": "claimed"}]
        assert task(engine, t1).claimed_at == wib(23, 10, 5)

        moved = workflow.dispatch(task_id=t1, to="A2X", by="p1a", note="cek", now=wib(23, 10, 20))
        assert moved.offered is not None and moved.offered.id is not None
        t2 = moved.offered.id
        assert listener.take(2) == [
            {"request": rid, "task": t1, "unit": a1, "kind": "dispatched"},
            {"request": rid, "task": t2, "unit": a2x, "kind": "offered"},
        ]
        old, new = task(engine, t1), task(engine, t2)
        assert (old.closed_at, old.outcome) == (wib(23, 10, 20), "dispatched")
        assert (new.unit_id, new.position, new.purpose, new.note) == (a2x, "P2", "serve", "cek")
        assert (new.offered_at, new.claim_due_at) == (wib(23, 10, 20), wib(23, 10, 50))

        workflow.claim(task_id=t2, by="p2ax", now=wib(23, 10, 40))
        assert listener.take(1)[0]["kind"] == "claimed"

        moved = workflow.resolve(task_id=t2, by="p2ax", answer="Disetujui", now=wib(23, 11))
        assert moved.offered is not None and moved.offered.id is not None
        t3 = moved.offered.id
        assert listener.take(2) == [
            {"request": rid, "task": t2, "unit": a2x, "kind": "resolved"},
            {"request": rid, "task": t3, "unit": fo, "kind": "offered"},
        ]
        assert task(engine, t2).outcome == "resolved"
        deliver = task(engine, t3)
        assert (deliver.unit_id, deliver.position, deliver.purpose) == (fo, "P0", "deliver")
        assert deliver.claim_due_at == wib(23, 11, 30)
        req = request(engine, rid)
        assert (req.status, req.resolution, req.resolved_at) == (
            "resolved",
            "Disetujui",
            wib(23, 11),
        )
        assert req.closed_at is None

        workflow.close(task_id=t3, by="p0", now=wib(23, 11, 10))
        assert listener.take(1) == [{"request": rid, "task": t3, "unit": fo, "kind": "closed"}]
        listener.nothing()

    req = request(engine, rid)
    assert (req.status, req.closed_at, req.resolution) == ("closed", wib(23, 11, 10), "Disetujui")
    assert task(engine, t3).outcome == "closed"
    assert event_kinds(engine, rid) == [
        "registered",
        "claimed",
        "dispatched",
        "claimed",
        "resolved",
        "closed",
    ]
    story = request_story(engine, req.tracking_no)
    assert [e["officer"] for e in story.events] == ["p0", "p1a", "p1a", "p2ax", "p2ax", "p0"]
    assert [t.task_id for t in story.tasks] == [t1, t2, t3] and story.open_task is None
    with pytest.raises(NotFound):
        resolve_task_id(engine, req.tracking_no)


def test_failed_transitions_notify_nobody(
    workflow: Workflow, engine: Engine, db_url: str, owner_url: str
) -> None:
    reg = register(workflow)
    t1, rid = reg.task.id, reg.request.id
    assert t1 is not None and rid is not None
    workflow.claim(task_id=t1, by="p1a", now=wib(23, 10, 5))
    a2x = unit_id(engine, "A2X")
    # A real trigger makes the new hop's INSERT fail, after the 'dispatched' event and its
    # NOTIFY were already queued in the transaction: the rollback must drop the NOTIFY too.
    owner = make_engine(owner_url)
    with owner.begin() as conn:
        conn.execute(
            text(
                "CREATE FUNCTION refuse_task() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                "RAISE EXCEPTION 'refused for the test'; END $$; "
                "CREATE TRIGGER refuse_a2x BEFORE INSERT ON task FOR EACH ROW "
                f"WHEN (NEW.unit_id = {a2x}) EXECUTE FUNCTION refuse_task()"
            )
        )
    with listening(db_url) as listener:
        with pytest.raises(NotAllowed):
            workflow.claim(task_id=t1, by="p1b", now=wib(23, 10, 6))
        with pytest.raises(DBAPIError, match="refused for the test"):
            workflow.dispatch(task_id=t1, to="A2X", by="p1a", now=wib(23, 10, 20))
        listener.nothing()
        assert task(engine, t1).closed_at is None
        assert event_kinds(engine, rid) == ["registered", "claimed"]
        with owner.begin() as conn:
            conn.execute(text("DROP TRIGGER refuse_a2x ON task"))
        owner.dispose()
        workflow.dispatch(task_id=t1, to="A2X", by="p1a", now=wib(23, 10, 20))
        assert [n["kind"] for n in listener.take(2)] == ["dispatched", "offered"]


def test_claim_deadlines_follow_the_calendar_and_unit_override(
    workflow: Workflow, engine: Engine
) -> None:
    late = register(workflow, now=wib(23, 15, 50))
    # 10 minutes on Monday, 20 from Tuesday's 07:30 opening
    assert task(engine, late.task.id or 0).claim_due_at == wib(24, 7, 50)
    friday = register(workflow, now=wib(27, 16, 20), service_code="SVC-B")
    # Friday closes at 16:30: 10 minutes then, 20 on Monday 30 November
    assert task(engine, friday.task.id or 0).claim_due_at == wib(30, 7, 50)
    # SVC-B: 5 working days from Friday: Mon 30, Tue 1, Wed 2, Thu 3, Fri 4 Dec (closes 16:30)
    assert request(engine, friday.request.id or 0).sop_due_at == wib(27, 16, 30) + timedelta(days=7)
    ay = register(workflow, service_code="SVC-AY")
    assert request(engine, ay.request.id or 0).sop_due_at == wib(25, 16)  # 2 days: Wednesday
    workflow.claim(task_id=ay.task.id or 0, by="p1a", now=wib(23, 10, 5))
    moved = workflow.dispatch(task_id=ay.task.id or 0, to="A2Y", by="p1a", now=wib(23, 10, 20))
    assert moved.offered is not None
    assert moved.offered.claim_due_at == wib(23, 11, 20)  # A2Y's 1 h override


def test_answer_at_registration_closes_on_the_spot(workflow: Workflow, engine: Engine) -> None:
    reg = register(workflow, answer="Sudah dijawab", now=wib(23, 10))
    req = request(engine, reg.request.id or 0)
    assert (req.status, req.resolution) == ("closed", "Sudah dijawab")
    assert req.resolved_at == req.closed_at == wib(23, 10)
    [only] = tasks_of(engine, req.id or 0)
    assert (only.outcome, only.closed_at) == ("resolved", wib(23, 10))
    assert event_kinds(engine, req.id or 0) == ["registered", "resolved"]
    assert list_tasks(engine, unit="A1") == []


def test_p0_cannot_answer_a_task_waiting_in_another_units_queue(
    workflow: Workflow, engine: Engine
) -> None:
    """Registered, then unclaimed at P1, then unclaimed at P2: each is that unit's to answer."""
    reg = register(workflow)
    p1_task = reg.task.id or 0
    with pytest.raises(NotAllowed, match="in A1's queue"):
        workflow.resolve(task_id=p1_task, by="p0", answer="Info", now=wib(23, 10, 9))
    workflow.claim(task_id=p1_task, by="p1a", now=wib(23, 10, 10))
    moved = workflow.dispatch(task_id=p1_task, to="A2X", by="p1a", now=wib(23, 10, 11))
    assert moved.offered is not None
    with pytest.raises(NotAllowed, match="in A2X's queue"):
        workflow.resolve(task_id=moved.offered.id or 0, by="p0", answer="x", now=wib(23, 10, 12))
    req = request(engine, reg.request.id or 0)
    assert (req.status, req.resolution, req.closed_at) == ("open", None, None)
    assert task(engine, moved.offered.id or 0).closed_at is None
    assert event_kinds(engine, req.id or 0) == ["registered", "claimed", "dispatched"]


def test_p0_cannot_overwrite_the_p2_answer(workflow: Workflow, engine: Engine) -> None:
    reg = register(workflow)
    workflow.claim(task_id=reg.task.id or 0, by="p1a", now=wib(23, 10, 1))
    p2 = workflow.dispatch(task_id=reg.task.id or 0, to="A2X", by="p1a", now=wib(23, 10, 2))
    assert p2.offered is not None
    workflow.claim(task_id=p2.offered.id or 0, by="p2ax", now=wib(23, 10, 3))
    back = workflow.resolve(task_id=p2.offered.id or 0, by="p2ax", answer="P2", now=wib(23, 11))
    assert back.offered is not None
    with pytest.raises(Conflict):
        workflow.resolve(task_id=back.offered.id or 0, by="p0", answer="P0", now=wib(23, 12))
    req = request(engine, reg.request.id or 0)
    assert (req.status, req.resolution, req.resolved_at) == ("resolved", "P2", wib(23, 11))


def test_return_p2_to_p1_then_p1_to_p0(workflow: Workflow, engine: Engine) -> None:
    reg = register(workflow)
    workflow.claim(task_id=reg.task.id or 0, by="p1a", now=wib(23, 10, 1))
    p2 = workflow.dispatch(task_id=reg.task.id or 0, to="A2X", by="p1a", now=wib(23, 10, 2))
    assert p2.offered is not None
    workflow.claim(task_id=p2.offered.id or 0, by="p2ax", now=wib(23, 10, 3))
    up = workflow.return_task(
        task_id=p2.offered.id or 0, by="p2ax", reason="bukan kami", now=wib(23, 10, 10)
    )
    assert up.offered is not None and task(engine, p2.offered.id or 0).outcome == "returned"
    back = task(engine, up.offered.id or 0)
    assert (back.unit_id, back.position, back.purpose) == (unit_id(engine, "A1"), "P1", "route")
    assert (back.claim_due_at, back.note) == (wib(23, 10, 40), "bukan kami")
    workflow.claim(task_id=back.id or 0, by="p1a2", now=wib(23, 10, 15))
    down = workflow.return_task(task_id=back.id or 0, by="p1a2", reason="salah", now=wib(23, 11))
    assert down.offered is not None
    front = task(engine, down.offered.id or 0)
    assert (front.unit_id, front.position, front.purpose) == (
        unit_id(engine, "FO"),
        "P0",
        "returned",
    )
    workflow.close(task_id=front.id or 0, by="p0b", now=wib(23, 11, 5))
    req = request(engine, reg.request.id or 0)
    assert (req.status, req.resolution) == ("closed", None)
    assert event_kinds(engine, req.id or 0)[-3:] == ["claimed", "returned", "closed"]


def test_transfer_sideways_only(workflow: Workflow, engine: Engine) -> None:
    reg = register(workflow)
    workflow.claim(task_id=reg.task.id or 0, by="p1a", now=wib(23, 10, 1))
    with pytest.raises(NotAllowed):
        workflow.transfer(task_id=reg.task.id or 0, to="A2X", by="p1a", reason="r")
    moved = workflow.transfer(
        task_id=reg.task.id or 0, to="B1", by="p1a", reason="r", now=wib(23, 10, 5)
    )
    assert moved.offered is not None
    b1 = task(engine, moved.offered.id or 0)
    assert (b1.unit_id, b1.position, b1.purpose) == (unit_id(engine, "B1"), "P1", "route")
    assert task(engine, reg.task.id or 0).outcome == "transferred"

    other = register(workflow)
    workflow.claim(task_id=other.task.id or 0, by="p1a", now=wib(23, 10, 1))
    p2 = workflow.dispatch(task_id=other.task.id or 0, to="A2X", by="p1a", now=wib(23, 10, 2))
    assert p2.offered is not None
    workflow.claim(task_id=p2.offered.id or 0, by="p2ax", now=wib(23, 10, 3))
    with pytest.raises(NotAllowed, match="same echelon-1"):
        workflow.transfer(task_id=p2.offered.id or 0, to="B2X", by="p2ax", reason="r")
    side = workflow.transfer(
        task_id=p2.offered.id or 0, to="A2Y", by="p2ax", reason="r", now=wib(23, 10, 4)
    )
    assert side.offered is not None
    ay = task(engine, side.offered.id or 0)
    assert (ay.unit_id, ay.purpose, ay.claim_due_at) == (
        unit_id(engine, "A2Y"),
        "serve",
        wib(23, 11, 4),
    )


def test_release_offers_a_fresh_hop(workflow: Workflow, engine: Engine) -> None:
    reg = register(workflow, now=wib(23, 10))
    workflow.claim(task_id=reg.task.id or 0, by="p1a", now=wib(23, 10, 1))
    with pytest.raises(Conflict, match="p1a"):
        workflow.release(task_id=reg.task.id or 0, by="p1a2", reason="r")
    with pytest.raises(NotAllowed):
        workflow.release(task_id=reg.task.id or 0, by="spv1b", reason="r")
    moved = workflow.release(task_id=reg.task.id or 0, by="p1a", reason="cuti", now=wib(23, 10, 20))
    assert moved.offered is not None and task(engine, reg.task.id or 0).outcome == "released"
    fresh = task(engine, moved.offered.id or 0)
    assert (fresh.unit_id, fresh.purpose, fresh.claimed_by) == (
        unit_id(engine, "A1"),
        "route",
        None,
    )
    assert (fresh.offered_at, fresh.claim_due_at) == (wib(23, 10, 20), wib(23, 10, 50))
    with pytest.raises(Conflict, match="not claimed"):
        workflow.release(task_id=fresh.id or 0, by="spv1a", reason="r")
    workflow.claim(task_id=fresh.id or 0, by="p1a2", now=wib(23, 10, 30))
    by_supervisor = workflow.release(task_id=fresh.id or 0, by="spv1a", reason="r", now=wib(23, 11))
    assert by_supervisor.offered is not None and by_supervisor.offered.claim_due_at == wib(
        23, 11, 30
    )


def test_assign_by_supervisor(workflow: Workflow, engine: Engine) -> None:
    reg = register(workflow)
    tid = reg.task.id or 0
    with pytest.raises(NotAllowed, match="supervisor"):
        workflow.assign(task_id=tid, to="p1a2", by="p1a")
    with pytest.raises(NotAllowed, match="not in A1"):
        workflow.assign(task_id=tid, to="p2ax", by="spv1a")
    with pytest.raises(NotAllowed):
        workflow.assign(task_id=tid, to="p1a", by="spv1b")
    workflow.assign(task_id=tid, to="p1a2", by="spv1a", now=wib(23, 10, 7))
    row = task(engine, tid)
    assert (row.claimed_at, row.closed_at) == (wib(23, 10, 7), None)
    story = request_story(engine, str(tid))
    assert story.open_task is not None and story.open_task.claimed_by == "p1a2"
    assert (story.events[-1]["kind"], story.events[-1]["officer"]) == ("assigned", "spv1a")
    assert story.events[-1]["details"] == {"to": "p1a2"}
    with pytest.raises(Conflict, match="p1a2"):
        workflow.assign(task_id=tid, to="p1a", by="spv1a")


def test_messages_only_from_units_involved(workflow: Workflow, engine: Engine, db_url: str) -> None:
    reg = register(workflow)
    rid, tid = reg.request.id or 0, reg.task.id or 0
    workflow.message(request_ref=rid, by="p0", body="tolong cepat", now=wib(23, 10, 1))
    with pytest.raises(NotAllowed):
        workflow.message(request_ref=rid, by="p1b", body="x")
    with pytest.raises(NotAllowed):
        workflow.message(request_ref=rid, by="p2ax", body="x")
    workflow.claim(task_id=tid, by="p1a", now=wib(23, 10, 2))
    workflow.dispatch(task_id=tid, to="A2X", by="p1a", now=wib(23, 10, 3))
    with listening(db_url) as listener:
        workflow.message(request_ref=rid, by="p2ax", body="data kurang", now=wib(23, 10, 4))
        notes = listener.take(3)
    assert {n["unit"] for n in notes} == {unit_id(engine, c) for c in ("FO", "A1", "A2X")}
    assert {n["kind"] for n in notes} == {"message"}
    story = request_story(engine, str(tid))
    assert [(m["officer"], m["body"]) for m in story.messages] == [
        ("p0", "tolong cepat"),
        ("p2ax", "data kurang"),
    ]
    with pytest.raises(InvalidInput):
        workflow.message(request_ref=rid, by="p0", body="   ")


def test_route_by_unit_when_the_service_is_unknown(workflow: Workflow, engine: Engine) -> None:
    reg = workflow.register(
        by="p0", now=wib(23, 10), customer={"name": "Ani"}, unit_code="B1", subject="?"
    )
    assert reg.unit.code == "B1" and task(engine, reg.task.id or 0).unit_id == unit_id(engine, "B1")
    req = request(engine, reg.request.id or 0)
    assert (req.service_id, req.sop_due_at) == (None, None)
    with pytest.raises(InvalidInput, match="echelon-1"):
        workflow.register(by="p0", customer={"name": "Ani"}, unit_code="A2X", subject="?")
    with pytest.raises(InvalidInput):
        workflow.register(by="p0", customer={"name": "Ani"}, subject="?")


def test_customer_reused_by_nik_or_phone_and_name(workflow: Workflow, engine: Engine) -> None:
    def customer_of(**customer: str) -> int:
        reg = register(workflow, customer=customer)
        return request(engine, reg.request.id or 0).customer_id

    nik = "3171012345678901"
    first = customer_of(name="Siti", nik=nik)
    assert customer_of(name="Siti Aminah", nik=nik) == first
    by_phone = customer_of(name="Joko", phone="0812-3456-7890")
    assert customer_of(name="Joko", phone="+6281234567890") == by_phone
    assert customer_of(name="Joko Widodo", phone="+6281234567890") not in (by_phone, first)
    assert customer_of(name="Budi") != customer_of(name="Budi")  # nothing to match on
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM customer")) == 5
        phone = conn.scalar(text("SELECT phone FROM customer WHERE id = :id"), {"id": by_phone})
    assert phone == "+6281234567890"
