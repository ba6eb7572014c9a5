"""Acknowledge, nudge and assign: supervisors only, within their scope, whoever calls."""

from datetime import datetime

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from ptsa_tui.store.errors import Conflict, NotAllowed
from ptsa_tui.store.outbox import Ladder, raise_due_in
from ptsa_tui.store.workflow import Workflow
from tests.store.helpers import event_kinds, officer_id, register, task, wib

pytestmark = pytest.mark.usefixtures("org")


def escalate(workflow: Workflow, engine: Engine, now: datetime) -> None:
    """Raise the alerts that fell due, as the daemon does."""
    with Session(engine) as session, session.begin():
        raise_due_in(session, now=now, rules=workflow.rules, ladder=Ladder())


def queued_at_a2x(workflow: Workflow) -> int:
    """A task offered to A2X at Monday 10:03, claim deadline 10:33."""
    made = register(workflow, now=wib(23, 10))
    first = made.task.id or 0
    workflow.claim(task_id=first, by="p1a", now=wib(23, 10, 1))
    moved = workflow.dispatch(task_id=first, to="A2X", by="p1a", now=wib(23, 10, 3))
    assert moved.offered is not None and moved.offered.id is not None
    return moved.offered.id


def test_acknowledge_records_the_level_the_time_and_the_supervisor(
    workflow: Workflow, engine: Engine
) -> None:
    task_id = queued_at_a2x(workflow)
    with pytest.raises(Conflict, match="no escalation"):
        workflow.acknowledge(task_id=task_id, by="spv2ax", now=wib(23, 10, 20))
    escalate(workflow, engine, wib(23, 10, 34))
    workflow.acknowledge(task_id=task_id, by="spv2ax", now=wib(23, 10, 40))
    acked = task(engine, task_id)
    assert (acked.acked_level, acked.acked_by) == (1, officer_id(engine, "spv2ax"))
    assert acked.acked_at == wib(23, 10, 40)
    assert event_kinds(engine, acked.request_id)[-2:] == ["alert_raised", "acknowledged"]
    with pytest.raises(Conflict, match="already acknowledged"):
        workflow.acknowledge(task_id=task_id, by="spv1a", now=wib(23, 10, 41))


def test_only_supervisors_in_scope_acknowledge(workflow: Workflow, engine: Engine) -> None:
    task_id = queued_at_a2x(workflow)
    escalate(workflow, engine, wib(23, 10, 34))
    with pytest.raises(NotAllowed, match="not a supervisor"):
        workflow.acknowledge(task_id=task_id, by="p2ax", now=wib(23, 10, 40))
    with pytest.raises(NotAllowed, match="do not supervise"):  # another echelon-2 unit
        workflow.acknowledge(task_id=task_id, by="spv2bx", now=wib(23, 10, 40))
    with pytest.raises(NotAllowed, match="do not supervise"):  # another echelon-1 unit
        workflow.acknowledge(task_id=task_id, by="spv1b", now=wib(23, 10, 40))
    with pytest.raises(NotAllowed, match="do not supervise"):  # the front office: not tier 2
        workflow.acknowledge(task_id=task_id, by="spv0", now=wib(23, 10, 40))
    workflow.acknowledge(task_id=task_id, by="spv1a", now=wib(23, 10, 40))  # the unit above


def test_the_front_office_supervises_the_echelon_1_queues(workflow: Workflow) -> None:
    made = register(workflow, now=wib(23, 10))
    first = made.task.id or 0
    workflow.assign(task_id=first, to="p1a2", by="spv0", now=wib(23, 10, 5))
    with pytest.raises(NotAllowed, match="is not in A2X"):  # an officer of the task's unit only
        workflow.assign(task_id=queued_at_a2x(workflow), to="p1a", by="spv1a", now=wib(23, 11))


def test_a_nudge_marks_a_queued_task(workflow: Workflow, engine: Engine) -> None:
    task_id = queued_at_a2x(workflow)
    workflow.nudge(task_id=task_id, by="spv1a", note="tolong segera", now=wib(23, 10, 30))
    nudged = task(engine, task_id)
    assert (nudged.nudged_at, nudged.nudged_by) == (wib(23, 10, 30), officer_id(engine, "spv1a"))
    assert event_kinds(engine, nudged.request_id)[-1] == "nudged"
    with pytest.raises(NotAllowed):
        workflow.nudge(task_id=task_id, by="p2ax2", now=wib(23, 10, 31))
    workflow.claim(task_id=task_id, by="p2ax", now=wib(23, 10, 32))
    with pytest.raises(Conflict, match="claimed by"):
        workflow.nudge(task_id=task_id, by="spv2ax", now=wib(23, 10, 33))
    with pytest.raises(Conflict, match="claimed by"):
        workflow.acknowledge(task_id=task_id, by="spv2ax", now=wib(23, 10, 33))
