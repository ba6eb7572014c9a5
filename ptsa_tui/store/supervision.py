"""What a supervisor does to an escalated task: acknowledge it, or nudge the unit's desks.

An acknowledged level 1 holds level 2 for `alerts.ack_hold` (the daemon's ladder reads
`task.acked_at`); a nudge marks the task and its event's NOTIFY reaches the unit's desks.
"""

from datetime import datetime
from typing import TYPE_CHECKING

from ptsa_tui.store.inputs import optional_text
from ptsa_tui.store.models import Task
from ptsa_tui.store.rights import Action
from ptsa_tui.store.timeutil import as_utc, utc_now

if TYPE_CHECKING:
    from ptsa_tui.store.workflow import By, Workflow


def acknowledge(
    workflow: "Workflow", *, task_id: int, by: "By", now: datetime | None = None
) -> Task:
    now = as_utc(now) if now else utc_now()
    with workflow.transaction() as session:
        actor, locked = workflow.acting(session, Action.ACKNOWLEDGE, by, task_id)
        task, level = locked.task, locked.facts.level_reached
        task.acked_level, task.acked_at, task.acked_by = level, now, actor.officer_id
        workflow.log(session, "acknowledged", task, actor, now, {"level": level})
        return task


def nudge(
    workflow: "Workflow",
    *,
    task_id: int,
    by: "By",
    note: str | None = None,
    now: datetime | None = None,
) -> Task:
    now = as_utc(now) if now else utc_now()
    note = optional_text("note", note)
    with workflow.transaction() as session:
        actor, locked = workflow.acting(session, Action.NUDGE, by, task_id)
        task = locked.task
        task.nudged_at, task.nudged_by = now, actor.officer_id
        workflow.log(session, "nudged", task, actor, now, {"note": note} if note else {})
        return task
