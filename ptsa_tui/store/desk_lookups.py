"""What the desk's forms and menus offer: customers, services, hand-off targets, actions.

`allowed_actions` mirrors the workflow's rules so a desk offers only what would succeed;
the workflow still checks every call on its own.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, or_
from sqlalchemy.orm import Session
from sqlmodel import col, select

from ptsa_tui.store.errors import InvalidInput
from ptsa_tui.store.inbox import InboxRow
from ptsa_tui.store.inputs import normalise_phone
from ptsa_tui.store.login import DeskUser
from ptsa_tui.store.models import Customer, Officer, Presence, Service, Unit
from ptsa_tui.store.presence import PRESENCE_TTL
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


def dispatch_targets(engine: Engine, *, unit_id: int, service_code: str | None) -> list[UnitChoice]:
    """Where a desk can dispatch to: from echelon 1 the echelon-2 units under it, the
    service's owner first; from the front office (a returned request) the echelon-1 units."""
    with Session(engine) as session:
        unit = session.get(Unit, unit_id)
        if unit is None or unit.tier == 2:
            return []
        owner_id = None
        if service_code:
            owner_id = session.scalar(
                select(Service.unit_id).where(col(Service.code) == service_code)
            )
        if unit.tier == 1:
            query = select(Unit).where(col(Unit.parent_id) == unit_id)
        else:
            query = select(Unit).where(col(Unit.tier) == 1)
        units = session.scalars(query.order_by(col(Unit.code))).all()
    choices = [UnitChoice(u.code, u.name, u.id == owner_id) for u in units]
    return sorted(choices, key=lambda c: not c.owns_service)


def transfer_targets(engine: Engine, *, unit_id: int) -> list[UnitChoice]:
    """Units of the same tier (echelon 2: under the same parent) a task may move to."""
    with Session(engine) as session:
        unit = session.get(Unit, unit_id)
        if unit is None or unit.tier == 0:
            return []
        query = select(Unit).where(col(Unit.tier) == unit.tier, col(Unit.id) != unit_id)
        if unit.tier == 2:
            query = query.where(col(Unit.parent_id) == unit.parent_id)
        units = session.scalars(query.order_by(col(Unit.code))).all()
    return [UnitChoice(u.code, u.name, False) for u in units]


def assign_targets(engine: Engine, *, unit_id: int, now: datetime) -> list[OfficerChoice]:
    """The active officers of a unit a supervisor may hand a task to: those with a desk
    app open first, then by username."""
    on_duty = (
        select(Presence.officer_id)
        .where(col(Presence.officer_id) == col(Officer.id))
        .where(col(Presence.last_seen_at) > as_utc(now) - PRESENCE_TTL)
        .exists()
    )
    with Session(engine) as session:
        rows = session.execute(
            select(Officer, on_duty)
            .where(col(Officer.unit_id) == unit_id, col(Officer.active))
            .order_by(on_duty.desc(), col(Officer.username))
        ).all()
    return [OfficerChoice(o.username, o.full_name, o.supervisor, here) for o, here in rows]


def allowed_actions(user: DeskUser, row: InboxRow) -> frozenset[str]:
    """The actions `user` may take on `row` now (the row must come from the user's inbox)."""
    if row.closed_at is not None:
        return frozenset({"message"})
    actions = {"message"}
    free = row.claimed_by is None
    mine = row.claimed_by == user.username
    if free:
        actions.add("claim")
        if user.supervisor:
            actions.add("assign")
    if mine or (user.supervisor and not free):
        actions.add("release")
    if user.position == "P0":
        if row.purpose == "deliver" and (free or mine):
            actions.add("close")
        if row.purpose == "returned" and (free or mine):
            actions.update({"close", "resolve"})
            if mine:
                actions.add("dispatch")
        return frozenset(actions)
    if mine:
        actions.update({"return", "transfer"})
        actions.add("dispatch" if user.position == "P1" else "resolve")
    return frozenset(actions)
