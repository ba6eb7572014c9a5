"""What the desk offers: customer look-up, hand-off targets, and actions the workflow agrees to."""

from datetime import timedelta

import pytest
from sqlalchemy import Engine

from ptsa_tui.store.actors import find_actor
from ptsa_tui.store.desk_lookups import (
    allowed_actions,
    assign_targets,
    dispatch_targets,
    find_customers,
    list_services,
    transfer_targets,
)
from ptsa_tui.store.errors import Conflict, InvalidInput, NotAllowed
from ptsa_tui.store.inbox import load_inbox
from ptsa_tui.store.rights import Actor
from ptsa_tui.store.task_rows import TaskRow
from ptsa_tui.store.workflow import Workflow
from tests.store.helpers import register, unit_id, wib

pytestmark = pytest.mark.usefixtures("org")


def user(engine: Engine, username: str) -> Actor:
    return find_actor(engine, username)


def row_for(engine: Engine, username: str, tracking_no: str) -> tuple[Actor, TaskRow]:
    me = user(engine, username)
    [row] = [
        r for r in load_inbox(engine, user=me, now=wib(23, 12)) if r.tracking_no == tracking_no
    ]
    return me, row


def test_customers_are_found_by_phone_in_either_form_and_by_nik(
    engine: Engine, workflow: Workflow
) -> None:
    customer = {"name": "Siti", "phone": "0812-3456-7890", "nik": "3171234567890123"}
    register(workflow, customer=customer)
    assert [c.name for c in find_customers(engine, phone="+6281234567890")] == ["Siti"]
    assert [c.name for c in find_customers(engine, phone="081234567890")] == ["Siti"]
    assert [c.name for c in find_customers(engine, nik="3171234567890123")] == ["Siti"]
    assert find_customers(engine, phone="0811111111") == []
    with pytest.raises(InvalidInput):
        find_customers(engine, phone="call me")


def test_dispatch_lists_the_units_under_mine_with_the_service_owner_first(engine: Engine) -> None:
    a1 = unit_id(engine, "A1")
    assert [u.code for u in dispatch_targets(engine, unit_id=a1, service_code="SVC-AY")] == [
        "A2Y",
        "A2X",
    ]
    assert [u.code for u in dispatch_targets(engine, unit_id=a1, service_code=None)] == [
        "A2X",
        "A2Y",
    ]
    assert dispatch_targets(engine, unit_id=unit_id(engine, "A2X"), service_code="SVC-A") == []
    assert [u.code for u in transfer_targets(engine, unit_id=unit_id(engine, "A2X"))] == ["A2Y"]
    assert {s.code for s in list_services(engine)} == {"SVC-A", "SVC-AY", "SVC-B"}


def test_offered_actions_are_the_ones_the_workflow_accepts(
    engine: Engine, workflow: Workflow
) -> None:
    reg = register(workflow, now=wib(23, 9))
    tracking, first = reg.request.tracking_no, reg.task.id or 0
    me, row = row_for(engine, "p1a", tracking)
    assert allowed_actions(me, row) == {"claim", "message"}
    with pytest.raises(Conflict):  # not offered: dispatch before claiming
        workflow.dispatch(task_id=first, to="A2X", by="p1a", now=wib(23, 9, 1))

    workflow.claim(task_id=first, by="p1a", now=wib(23, 9, 2))
    me, row = row_for(engine, "p1a", tracking)
    assert allowed_actions(me, row) == {"message", "release", "return", "transfer", "dispatch"}
    with pytest.raises(NotAllowed):  # not offered: a P1 resolving
        workflow.resolve(task_id=first, by="p1a", answer="x", now=wib(23, 9, 3))
    colleague, row = row_for(engine, "p1a2", tracking)
    assert allowed_actions(colleague, row) == {"message"}
    with pytest.raises(Conflict):
        workflow.release(task_id=first, by="p1a2", reason="x", now=wib(23, 9, 3))
    boss, row = row_for(engine, "spv1a", tracking)
    assert allowed_actions(boss, row) == {"message", "release"}

    moved = workflow.dispatch(task_id=first, to="A2X", by="p1a", now=wib(23, 9, 4))
    assert moved.offered is not None
    served = moved.offered.id or 0
    workflow.claim(task_id=served, by="p2ax", now=wib(23, 9, 5))
    p2, row = row_for(engine, "p2ax", tracking)
    assert allowed_actions(p2, row) == {
        "message",
        "release",
        "return",
        "transfer",
        "resolve",
        "pause",
    }
    workflow.pause(task_id=served, by="p2ax", reason="KTP missing", now=wib(23, 9, 6))
    p2, row = row_for(engine, "p2ax", tracking)
    assert "pause" not in allowed_actions(p2, row)
    assert "resume" in allowed_actions(p2, row)
    with pytest.raises(NotAllowed):  # not offered: a P2 dispatching
        workflow.dispatch(task_id=served, to="A2Y", by="p2ax", now=wib(23, 9, 6))

    answered = workflow.resolve(task_id=served, by="p2ax", answer="OK", now=wib(23, 9, 7))
    assert answered.offered is not None
    p0, row = row_for(engine, "p0", tracking)
    assert row.tab == "deliver"
    assert allowed_actions(p0, row) == {"message", "claim", "close"}
    workflow.close(task_id=answered.offered.id or 0, by="p0", now=wib(23, 9, 8))
    p0, row = row_for(engine, "p0", tracking)
    assert allowed_actions(p0, row) == {"message"}


def test_assign_offers_my_units_active_officers_those_at_their_desks_first(
    engine: Engine,
) -> None:
    from ptsa_tui.store.presence import touch

    a1 = unit_id(engine, "A1")
    now = wib(23, 12)
    everyone = [o.username for o in assign_targets(engine, unit_id=a1, now=now)]
    assert everyone == sorted(everyone) and {"p1a", "p1a2", "spv1a"} <= set(everyone)
    assert all(not o.on_duty for o in assign_targets(engine, unit_id=a1, now=now))

    p1a2 = user(engine, "p1a2").officer_id
    touch(engine, officer_id=p1a2, host="desk-7", pid=1, now=now - timedelta(seconds=30))
    first, *rest = assign_targets(engine, unit_id=a1, now=now)
    assert (first.username, first.on_duty) == ("p1a2", True)
    assert not any(o.on_duty for o in rest)
    # A minute later the app no longer counts as open.
    later = assign_targets(engine, unit_id=a1, now=now + timedelta(seconds=40))
    assert [o.username for o in later] == everyone
    assert "gone" not in everyone  # inactive, though in A1
    assert "p2ax" not in everyone  # another unit's officer
