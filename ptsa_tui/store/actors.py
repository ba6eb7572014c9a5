"""Loading who acts and what they act on, as the facts `rights` judges."""

from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any

from sqlalchemy import Engine, func
from sqlalchemy import select as select_columns
from sqlalchemy.orm import Session, aliased
from sqlmodel import col, select

from ptsa_tui.store.errors import NotFound
from ptsa_tui.store.models import Alert, Officer, Request, RequestPause, Task, Unit
from ptsa_tui.store.rights import Actor, RequestFacts, TaskFacts, UnitFacts, inactive, raise_if
from ptsa_tui.store.timeutil import utc_now

# session.info key: the office's time zone, in which a refusal tells when a lock-out ends
OFFICE_ZONE = "ptsa.office_zone"


def actor_of(
    officer: Officer, unit: Unit, *, now: datetime | None = None, zone: tzinfo = UTC
) -> Actor:
    """The officer as the rules see them at `now` (a lock-out still in force included)."""
    assert officer.id is not None
    until = officer.locked_until
    locked = until is not None and until > (now or utc_now())
    return Actor(
        officer_id=officer.id,
        username=officer.username,
        full_name=officer.full_name,
        unit=unit_facts(unit),
        supervisor=officer.supervisor,
        active=officer.active,
        language="en" if officer.language == "en" else "id",
        locked_until=until.astimezone(zone) if locked and until else None,
    )


def unit_facts(unit: Unit) -> UnitFacts:
    assert unit.id is not None
    return UnitFacts(unit.id, unit.code, unit.name, unit.tier, unit.parent_id)


def load_actor(session: Session, by: str | int, *, now: datetime | None = None) -> Actor:
    """The acting officer by username or id. Every action of every channel (CLI `--by`, the
    desk, the daemon) loads its actor here, so an inactive or locked-out officer is refused
    here already, whatever the caller checked at log-in."""
    condition = Officer.id == by if isinstance(by, int) else Officer.username == by
    row = session.execute(
        select(Officer, Unit).join(Unit, col(Unit.id) == col(Officer.unit_id)).where(condition)
    ).first()
    if row is None:
        raise NotFound("no officer {officer!r}", officer=by)
    officer, unit = row
    actor = actor_of(officer, unit, now=now, zone=session.info.get(OFFICE_ZONE, UTC))
    raise_if(inactive(actor))
    return actor


def find_actor(engine: Engine, by: str | int) -> Actor:
    with Session(engine) as session:
        return load_actor(session, by)


def actor_and_units(engine: Engine, user: Actor) -> tuple[Actor, list[UnitFacts]]:
    """`user` as stored now (a flag taken away since login counts at once; an inactive
    officer is refused), and every unit by code: what the scope rules judge."""
    with Session(engine) as session:
        actor = load_actor(session, user.officer_id)
        units = [unit_facts(u) for u in session.scalars(select(Unit).order_by(col(Unit.code)))]
    return actor, units


def load_unit(session: Session, code: str) -> Unit:
    unit = session.scalars(select(Unit).where(Unit.code == code)).first()
    if unit is None:
        raise NotFound("no unit {unit!r}", unit=code)
    return unit


@dataclass(frozen=True)
class LockedTask:
    """A task locked until commit, its request and unit, and the facts the rules need."""

    task: Task
    request: Request
    unit: Unit
    facts: TaskFacts


def lock_task(session: Session, task_id: int) -> LockedTask:
    holder = aliased(Officer)
    level = (
        select_columns(func.coalesce(func.max(col(Alert.level)), 0))
        .where(col(Alert.task_id) == col(Task.id))
        .scalar_subquery()
    )
    row = session.execute(
        select_columns(
            Task, Request, Unit, col(holder.username), col(holder.full_name), level, paused(Request)
        )
        .join(Request, col(Request.id) == col(Task.request_id))
        .join(Unit, col(Unit.id) == col(Task.unit_id))
        .outerjoin(holder, col(holder.id) == col(Task.claimed_by))
        .where(col(Task.id) == task_id)
        .with_for_update(of=Task)
    ).first()
    if row is None:
        raise NotFound("no task {task}", task=task_id)
    task, request, unit, username, full_name, level_reached, is_paused = row
    facts = TaskFacts(
        task_id=task_id,
        unit=unit_facts(unit),
        purpose=task.purpose,
        outcome=task.outcome if task.closed_at is not None else None,
        holder_id=task.claimed_by,
        holder=f"{username} ({full_name})" if username else None,
        # The task actions need only its own unit; a message reads all of them.
        request=request_facts(request, frozenset({task.unit_id}), paused=is_paused),
        level_reached=level_reached,
        acked_level=task.acked_level,
    )
    return LockedTask(task, request, unit, facts)


def paused(request: type[Request]) -> Any:
    """Whether the request waits on the customer now, as a column expression."""
    return (
        select_columns(col(RequestPause.id))
        .where(col(RequestPause.request_id) == col(request.id))
        .where(col(RequestPause.resumed_at).is_(None))
        .exists()
    )


def request_facts(
    request: Request, unit_ids: frozenset[int], *, paused: bool = False
) -> RequestFacts:
    return RequestFacts(
        request.tracking_no, request.status, request.origin_unit_id, unit_ids, paused
    )
