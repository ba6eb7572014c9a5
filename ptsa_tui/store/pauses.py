"""The SOP pause: a request waiting on the customer, for missing documents for example.

The pause belongs to the request, so it survives a transfer or a return. On resume the SOP
due date moves by the office time the request waited; the claim clock never stops.
"""

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session
from sqlmodel import col, select

from ptsa_tui.store.actors import LockedTask
from ptsa_tui.store.inputs import optional_text, required_text
from ptsa_tui.store.models import RequestPause
from ptsa_tui.store.rights import Action, Actor
from ptsa_tui.store.timeutil import as_utc, utc_now

if TYPE_CHECKING:
    from ptsa_tui.store.workflow import By, Workflow


def pause(
    workflow: "Workflow", *, task_id: int, by: "By", reason: str, now: datetime | None = None
) -> RequestPause:
    now = as_utc(now) if now else utc_now()
    reason = required_text("reason", reason)
    with workflow.transaction() as session:
        actor, locked = workflow.acting(session, Action.PAUSE, by, task_id)
        started = RequestPause(
            request_id=locked.task.request_id,
            task_id=task_id,
            paused_at=now,
            paused_by=actor.officer_id,
            reason=reason,
        )
        session.add(started)
        session.flush()
        workflow.log(session, "paused", locked.task, actor, now, {"reason": reason})
        return started


def resume(
    workflow: "Workflow",
    *,
    task_id: int,
    by: "By",
    note: str | None = None,
    now: datetime | None = None,
) -> RequestPause:
    now = as_utc(now) if now else utc_now()
    note = optional_text("note", note)
    with workflow.transaction() as session:
        actor, locked = workflow.acting(session, Action.RESUME, by, task_id)
        ended = end_pause(workflow, session, locked, actor, now, note=note)
        assert ended is not None  # the rules refuse a resume with no pause
        return ended


def end_pause(
    workflow: "Workflow",
    session: Session,
    locked: LockedTask,
    actor: Actor,
    now: datetime,
    *,
    note: str | None = None,
) -> RequestPause | None:
    """End the request's pause, if it has one, and move its SOP due date. Resolving or
    closing a paused request ends it too."""
    request = locked.request
    open_pause = session.scalars(
        select(RequestPause)
        .where(RequestPause.request_id == request.id, col(RequestPause.resumed_at).is_(None))
        .with_for_update()
    ).first()
    if open_pause is None:
        return None
    calendar = workflow.rules.calendar
    waited = calendar.office_time_between(open_pause.paused_at, now)
    open_pause.resumed_at, open_pause.resumed_by, open_pause.moved_by = (
        now,
        actor.officer_id,
        waited,
    )
    if request.sop_due_at is not None and waited > timedelta(0):
        request.sop_due_at = calendar.add_office_time(request.sop_due_at, waited)
    session.flush()
    workflow.log(
        session,
        "resumed",
        locked.task,
        actor,
        now,
        {
            "reason": open_pause.reason,
            "waited_s": int(waited.total_seconds()),
            "sop_due_at": request.sop_due_at.isoformat() if request.sop_due_at else None,
        }
        | ({"note": note} if note else {}),
    )
    return open_pause
