"""The desk inbox: which tab each task lands in, per officer, and the claim countdown."""

from datetime import timedelta

import pytest
from sqlalchemy import Engine

from ptsa_tui.config import Settings
from ptsa_tui.store.actors import find_actor
from ptsa_tui.store.inbox import countdown, load_inbox
from ptsa_tui.store.rights import Actor
from ptsa_tui.store.workflow import Workflow
from tests.store.helpers import register, wib

pytestmark = pytest.mark.usefixtures("org")


def user(engine: Engine, username: str) -> Actor:
    return find_actor(engine, username)


def tabs(engine: Engine, username: str, now_day: int = 23) -> dict[str, str]:
    rows = load_inbox(engine, user=user(engine, username), now=wib(now_day, 15))
    return {row.tracking_no: str(row.tab) for row in rows}


def test_tasks_land_in_queue_mine_team_and_done(engine: Engine, workflow: Workflow) -> None:
    free = register(workflow, now=wib(23, 9))
    mine = register(workflow, now=wib(23, 9))
    theirs = register(workflow, now=wib(23, 9))
    done = register(workflow, now=wib(23, 9))
    workflow.claim(task_id=mine.task.id or 0, by="p1a", now=wib(23, 10))
    workflow.claim(task_id=theirs.task.id or 0, by="p1a2", now=wib(23, 10))
    workflow.claim(task_id=done.task.id or 0, by="p1a", now=wib(23, 10))
    workflow.dispatch(task_id=done.task.id or 0, to="A2X", by="p1a", now=wib(23, 11))
    seen = tabs(engine, "p1a")
    assert seen == {
        free.request.tracking_no: "queue",
        mine.request.tracking_no: "mine",
        theirs.request.tracking_no: "team",
        done.request.tracking_no: "done",
    }
    # the colleague sees the same tasks from their side
    assert tabs(engine, "p1a2")[theirs.request.tracking_no] == "mine"
    assert tabs(engine, "p1a2")[mine.request.tracking_no] == "team"


def test_done_is_today_only_in_office_time(engine: Engine, workflow: Workflow) -> None:
    reg = register(workflow, now=wib(23, 9))
    workflow.claim(task_id=reg.task.id or 0, by="p1a", now=wib(23, 10))
    workflow.dispatch(task_id=reg.task.id or 0, to="A2X", by="p1a", now=wib(23, 11))
    assert tabs(engine, "p1a", now_day=23) == {reg.request.tracking_no: "done"}
    assert tabs(engine, "p1a", now_day=24) == {}


def test_a_p2_inbox_never_holds_another_units_tasks(engine: Engine, workflow: Workflow) -> None:
    for service in ("SVC-A", "SVC-B"):
        reg = register(workflow, service_code=service, now=wib(23, 9))
        p1 = "p1a" if service == "SVC-A" else "p1b"
        workflow.claim(task_id=reg.task.id or 0, by=p1, now=wib(23, 9, 5))
        to = "A2X" if service == "SVC-A" else "B2X"
        workflow.dispatch(task_id=reg.task.id or 0, to=to, by=p1, now=wib(23, 9, 10))
    rows = load_inbox(engine, user=user(engine, "p2ax"), now=wib(23, 15))
    assert [r.service_code for r in rows] == ["SVC-A"]


def test_answers_come_back_to_the_front_office_as_deliver(
    engine: Engine, workflow: Workflow
) -> None:
    reg = register(workflow, now=wib(23, 9))
    workflow.claim(task_id=reg.task.id or 0, by="p1a", now=wib(23, 9, 5))
    moved = workflow.dispatch(task_id=reg.task.id or 0, to="A2X", by="p1a", now=wib(23, 9, 6))
    assert moved.offered is not None
    workflow.claim(task_id=moved.offered.id or 0, by="p2ax", now=wib(23, 9, 7))
    workflow.resolve(task_id=moved.offered.id or 0, by="p2ax", answer="OK", now=wib(23, 9, 8))
    assert tabs(engine, "p0") == {reg.request.tracking_no: "deliver"}
    assert tabs(engine, "p0b") == {reg.request.tracking_no: "deliver"}


def test_countdown_is_ok_then_at_risk_then_late_in_office_time(
    engine: Engine, workflow: Workflow, settings: Settings
) -> None:
    reg = register(workflow, now=wib(23, 10))
    due = reg.task.claim_due_at
    assert due == wib(23, 10, 30)
    warn = timedelta(minutes=5)
    rules = workflow.rules
    assert countdown(due, wib(23, 10, 20), rules=rules, warn_before=warn).level == "ok"
    risky = countdown(due, wib(23, 10, 26), rules=rules, warn_before=warn)
    assert (risky.level, risky.remaining) == ("at_risk", timedelta(minutes=4))
    late = countdown(due, wib(23, 10, 45), rules=rules, warn_before=warn)
    assert (late.level, late.remaining) == ("late", -timedelta(minutes=15))
    # the office clock stops at 16:00 and restarts at 07:30: 10:30 → 16:00 is 5 h 30 min late
    overnight = countdown(due, wib(24, 7, 30), rules=rules, warn_before=warn)
    assert overnight.remaining == -timedelta(hours=5, minutes=30)


def test_a_change_reads_only_the_requests_it_names(engine: Engine, workflow: Workflow) -> None:
    first = register(workflow, now=wib(23, 9))
    second = register(workflow, now=wib(23, 9))
    me = user(engine, "p1a")
    assert first.request.id is not None
    rows = load_inbox(engine, user=me, now=wib(23, 15), request_ids={first.request.id})
    assert [r.tracking_no for r in rows] == [first.request.tracking_no]
    assert load_inbox(engine, user=me, now=wib(23, 15), request_ids=set()) == []
    assert len(load_inbox(engine, user=me, now=wib(23, 15))) == 2
    assert second.request.tracking_no != first.request.tracking_no
