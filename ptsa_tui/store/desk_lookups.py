"""What the desk's forms and menus offer: customers, services, hand-off targets, actions.

Actions and targets come from `rights`, the rules the workflow itself applies, so a desk
offers only what would succeed; the workflow still checks every call on its own.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, or_
from sqlalchemy.orm import Session
from sqlmodel import col, select

from ptsa_tui.phone import normalise_phone
from ptsa_tui.store.actors import actor_of, unit_facts
from ptsa_tui.store.errors import InvalidInput
from ptsa_tui.store.limits import PRESENCE_TTL
from ptsa_tui.store.models import Customer, Officer, Presence, Service, Unit
from ptsa_tui.store.rights import (
    Action,
    Actor,
    RequestFacts,
    TaskFacts,
    UnitFacts,
    allowed,
    assignee_refusal,
    target_refusal,
)
from ptsa_tui.store.task_rows import TaskRow
from ptsa_tui.store.timeutil import as_utc


@dataclass(frozen=True)
class ServiceChoice:
    code: str
    name: str
    unit_code: str
    sop_days: int


@dataclass(frozen=True)
class UnitChoice:
    code: str
    name: str
    owns_service: bool


@dataclass(frozen=True)
class OfficerChoice:
    username: str
    full_name: str
    supervisor: bool
    on_duty: bool  # has a desk app open now


def find_customers(
    engine: Engine, *, phone: str | None = None, nik: str | None = None
) -> list[Customer]:
    """Known customers by NIK or by phone (0812… and +62812… are the same number)."""
    conditions = []
    if nik and nik.strip():
        conditions.append(col(Customer.nik) == nik.strip())
    if phone and phone.strip():
        try:
            conditions.append(col(Customer.phone) == normalise_phone(phone))
        except ValueError as error:
            raise InvalidInput(str(error)) from None
    if not conditions:
        return []
    query = select(Customer).where(or_(*conditions)).order_by(col(Customer.id).desc()).limit(20)
    with Session(engine, expire_on_commit=False) as session:
        return list(session.scalars(query))


def list_services(engine: Engine) -> list[ServiceChoice]:
    with Session(engine) as session:
        rows = session.execute(
            select(Service, Unit)
            .join(Unit, col(Unit.id) == col(Service.unit_id))
            .where(col(Service.active))
            .order_by(col(Service.name))
        ).all()
    return [ServiceChoice(s.code, s.name, u.code, s.sop_days) for s, u in rows]


def _targets(session: Session, action: Action, unit_id: int) -> list[UnitFacts]:
    """The units the rules let a task of `unit_id` go to by `action`, by code."""
    units = [unit_facts(u) for u in session.scalars(select(Unit).order_by(col(Unit.code)))]
    source = next((u for u in units if u.id == unit_id), None)
    if source is None:
        return []
    return [u for u in units if target_refusal(action, source, u) is None]


def dispatch_targets(engine: Engine, *, unit_id: int, service_code: str | None) -> list[UnitChoice]:
    """Where a desk can dispatch to, the service's owner first."""
    with Session(engine) as session:
        targets = _targets(session, Action.DISPATCH, unit_id)
        owner_id = None
        if targets and service_code:
            owner_id = session.scalar(
                select(Service.unit_id).where(col(Service.code) == service_code)
            )
    choices = [UnitChoice(u.code, u.name, u.id == owner_id) for u in targets]
    return sorted(choices, key=lambda c: not c.owns_service)


def transfer_targets(engine: Engine, *, unit_id: int) -> list[UnitChoice]:
    """Units a task may move sideways to."""
    with Session(engine) as session:
        targets = _targets(session, Action.TRANSFER, unit_id)
    return [UnitChoice(u.code, u.name, False) for u in targets]


def assign_targets(engine: Engine, *, unit_id: int, now: datetime) -> list[OfficerChoice]:
    """The officers of a unit a supervisor may hand a task to: those with a desk app open
    first, then by username."""
    on_duty = (
        select(Presence.officer_id)
        .where(col(Presence.officer_id) == col(Officer.id))
        .where(col(Presence.last_seen_at) > as_utc(now) - PRESENCE_TTL)
        .exists()
    )
    with Session(engine) as session:
        rows = session.execute(
            select(Officer, Unit, on_duty)
            .join(Unit, col(Unit.id) == col(Officer.unit_id))
            .where(col(Officer.unit_id) == unit_id, col(Officer.active))
            .order_by(on_duty.desc(), col(Officer.username))
        ).all()
    return [
        OfficerChoice(o.username, o.full_name, o.supervisor, here)
        for o, u, here in rows
        if assignee_refusal(unit_facts(u), actor_of(o, u)) is None
    ]


def task_facts(user: Actor, row: TaskRow) -> TaskFacts:
    """What the rules need of a row of `user`'s inbox (every row is in the user's unit)."""
    return row_facts(row, user.unit)


def row_facts(row: TaskRow, unit: UnitFacts) -> TaskFacts:
    """What the rules need of a task row of `unit`."""
    holder = f"{row.claimed_by} ({row.claimed_by_name})" if row.claimed_by else None
    request = RequestFacts(
        row.tracking_no,
        row.request_status,
        row.origin_unit_id,
        frozenset({unit.id}),
        row.paused,
    )
    outcome = row.outcome if row.closed_at is not None else None
    return TaskFacts(
        row.task_id,
        unit,
        row.purpose,
        outcome,
        row.holder_id,
        holder,
        request,
        row.level_reached,
        row.acked_level,
    )


def allowed_actions(user: Actor, row: TaskRow) -> frozenset[Action]:
    """The actions `user` may take on `row` now (the row must come from the user's inbox)."""
    return allowed(user, task_facts(user, row))
