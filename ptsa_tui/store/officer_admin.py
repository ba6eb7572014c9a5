"""A supervisor activates or deactivates an officer of a unit they supervise.

Deactivating gives the officer's claims back to their queues in the same transaction, each as
a fresh hop with its own claim clock and the reason, so nothing stays stuck with someone who
can no longer act. `give_back_claims` is that step, for every path that deactivates (the org
import is the other one).
"""

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session
from sqlmodel import col, select

from ptsa_tui.store import audit
from ptsa_tui.store.actors import actor_of, load_actor, lock_task, unit_facts
from ptsa_tui.store.domain import Outcome
from ptsa_tui.store.errors import Conflict, NotAllowed, NotFound
from ptsa_tui.store.inputs import optional_text
from ptsa_tui.store.models import Officer, Task, Unit
from ptsa_tui.store.rights import Actor, officer_admin_refusal, raise_if
from ptsa_tui.store.timeutil import as_utc, utc_now

if TYPE_CHECKING:
    from ptsa_tui.store.workflow import By, Workflow


@dataclass(frozen=True)
class ActiveChanged:
    username: str
    active: bool
    released: tuple[int, ...]  # the tasks given back to their queues (their old ids)


def set_active(
    workflow: "Workflow",
    *,
    username: str,
    active: bool,
    by: "By",
    reason: str | None = None,
    now: datetime | None = None,
) -> ActiveChanged:
    now = as_utc(now) if now else utc_now()
    reason = optional_text("reason", reason)
    with workflow.transaction() as session:
        actor = load_actor(session, by)
        row = session.execute(
            select(Officer, Unit)
            .join(Unit, col(Unit.id) == col(Officer.unit_id))
            .where(col(Officer.username) == username)
            .with_for_update(of=Officer)
        ).first()
        if row is None:
            raise NotFound(f"no officer {username!r}")
        officer, unit = row
        raise_if(officer_admin_refusal(actor, unit_facts(unit)))
        if officer.id == actor.officer_id:
            raise NotAllowed(f"{actor.label} cannot change their own account's state")
        if officer.active == active:
            raise Conflict(f"officer {username!r} is already {'active' if active else 'inactive'}")
        officer.active = active
        released: list[int] = []
        if not active:
            why = reason or f"{username} was deactivated"
            released = give_back_claims(workflow, session, officer, actor, now, why)
        audit.record(
            session,
            kind="officer_activated" if active else "officer_deactivated",
            at=now,
            officer_id=actor.officer_id,
            details={"officer": username, "reason": reason, "released": released},
        )
        return ActiveChanged(username, active, tuple(released))


def give_back_claims(
    workflow: "Workflow",
    session: Session,
    officer: Officer,
    actor: Actor,
    now: datetime,
    why: str,
) -> list[int]:
    """Every open task `officer` holds, back to its queue as a fresh hop with its own claim
    clock: the one way a deactivation (by a supervisor, or by the org import) releases."""
    held = session.scalars(
        select(Task.id)
        .where(col(Task.claimed_by) == officer.id, col(Task.closed_at).is_(None))
        .order_by(col(Task.id))
    ).all()
    released: list[int] = []
    for task_id in held:
        assert task_id is not None
        locked = lock_task(session, task_id)
        workflow.hand_off(
            session, locked, actor, now, Outcome.RELEASED, locked.unit, locked.task.purpose, why
        )
        released.append(task_id)
    return released


def active_changed(
    workflow: "Workflow", session: Session, username: str, active: bool, now: datetime
) -> list[int]:
    """The org import set `username` (in)active: the same release as `set_active`, with its
    event; the officer themself gives the claims back, as no supervisor acts."""
    row = session.execute(
        select(Officer, Unit)
        .join(Unit, col(Unit.id) == col(Officer.unit_id))
        .where(col(Officer.username) == username)
    ).one()
    officer, unit = row
    released: list[int] = []
    if not active:
        why = f"{username} was deactivated by the org import"
        released = give_back_claims(workflow, session, officer, actor_of(officer, unit), now, why)
    audit.record(
        session,
        kind="officer_activated" if active else "officer_deactivated",
        at=now,
        officer_id=None,
        details={"officer": username, "via": "org import", "released": released},
    )
    return released
