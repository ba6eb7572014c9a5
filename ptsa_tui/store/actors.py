"""Who is acting and on what: loading officers, units and tasks, and the rights checks."""

from dataclasses import dataclass

from sqlalchemy.orm import Session
from sqlmodel import col, select

from ptsa_tui.store.errors import Conflict, NotAllowed, NotFound
from ptsa_tui.store.models import Officer, Request, Task, Unit

POSITION_OF_TIER = {0: "P0", 1: "P1", 2: "P2"}


@dataclass(frozen=True)
class Actor:
    officer: Officer
    unit: Unit

    @property
    def id(self) -> int:
        assert self.officer.id is not None
        return self.officer.id

    @property
    def position(self) -> str:
        return POSITION_OF_TIER[self.unit.tier]

    @property
    def label(self) -> str:
        return f"{self.officer.username} ({self.unit.code})"


def load_actor(session: Session, by: str | int) -> Actor:
    """The acting officer by username or id; inactive officers may do nothing."""
    condition = Officer.id == by if isinstance(by, int) else Officer.username == by
    row = session.execute(
        select(Officer, Unit).join(Unit, col(Unit.id) == col(Officer.unit_id)).where(condition)
    ).first()
    if row is None:
        raise NotFound(f"no officer {by!r}")
    officer, unit = row
    if not officer.active:
        raise NotAllowed(f"officer {officer.username!r} is inactive")
    return Actor(officer=officer, unit=unit)


def load_unit(session: Session, code: str) -> Unit:
    unit = session.scalars(select(Unit).where(Unit.code == code)).first()
    if unit is None:
        raise NotFound(f"no unit {code!r}")
    return unit


def lock_task(session: Session, task_id: int) -> tuple[Task, Request, Unit]:
    """The task, its request and its unit; the task row stays locked until commit."""
    row = session.execute(
        select(Task, Request, Unit)
        .join(Request, col(Request.id) == col(Task.request_id))
        .join(Unit, col(Unit.id) == col(Task.unit_id))
        .where(Task.id == task_id)
        .with_for_update(of=Task)
    ).first()
    if row is None:
        raise NotFound(f"no task {task_id}")
    task, request, unit = row
    return task, request, unit


def holder_label(session: Session, officer_id: int) -> str:
    officer = session.get(Officer, officer_id)
    return f"{officer.username} ({officer.full_name})" if officer else f"officer {officer_id}"


def require_in_unit(actor: Actor, task: Task, unit: Unit, action: str) -> None:
    if actor.unit.id != task.unit_id:
        raise NotAllowed(
            f"{actor.label} may not {action} task {task.id}: it is in {unit.code}'s queue"
        )


def require_open(task: Task) -> None:
    if task.closed_at is not None:
        raise Conflict(f"task {task.id} is already closed ({task.outcome})")


def require_holder(session: Session, actor: Actor, task: Task, unit: Unit, action: str) -> None:
    """Only the officer who claimed the task may move it on."""
    require_in_unit(actor, task, unit, action)
    require_open(task)
    if task.claimed_by is None:
        raise Conflict(f"task {task.id} is not claimed; claim it before you {action} it")
    if task.claimed_by != actor.id:
        holder = holder_label(session, task.claimed_by)
        raise Conflict(f"task {task.id} is claimed by {holder}")


def require_position(actor: Actor, allowed: tuple[str, ...], action: str) -> None:
    if actor.position not in allowed:
        raise NotAllowed(
            f"{actor.label} is {actor.position}; only {'/'.join(allowed)} may {action}"
        )
