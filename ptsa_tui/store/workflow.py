"""Every state transition of a request, each one transaction with its audit event.

Screens, the CLI and the alert daemon change state only through `Workflow`; rights are
checked here, by position, unit and supervisor flag, whatever the caller already checked.
The NOTIFYs come from the database's triggers on `event` and `task` (migration 0004).
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlalchemy.orm import Session
from sqlmodel import col, select

from ptsa_tui.config import Settings
from ptsa_tui.store import audit, pauses, personal_data, supervision, survey
from ptsa_tui.store.actors import (
    OFFICE_ZONE,
    LockedTask,
    load_actor,
    load_unit,
    lock_task,
    request_facts,
    unit_facts,
)
from ptsa_tui.store.claims import Claim, claim_task
from ptsa_tui.store.domain import Outcome, Position, Purpose, Status, position_of
from ptsa_tui.store.errors import InvalidInput, NotFound
from ptsa_tui.store.inputs import (
    NewCustomer,
    NewRequest,
    checked,
    optional_text,
    required_text,
)
from ptsa_tui.store.models import Customer, Message, Request, RequestPause, Service, Task, Unit
from ptsa_tui.store.rights import (
    Action,
    Actor,
    assignee_refusal,
    message_refusal,
    raise_if,
    refusal,
    register_refusal,
    return_target_id,
    target_refusal,
)
from ptsa_tui.store.rules import Rules
from ptsa_tui.store.shared_rules import SharedRules
from ptsa_tui.store.timeutil import as_utc, utc_now
from ptsa_tui.store.tracking import next_tracking_no


@dataclass(frozen=True)
class Registered:
    request: Request
    task: Task
    unit: Unit


@dataclass(frozen=True)
class Moved:
    """The result of a hand-off: the closed task and the newly offered one, if any."""

    closed: Task
    offered: Task | None
    offered_unit: Unit | None


By = str | int


class Workflow:
    def __init__(
        self, engine: Engine, settings: Settings, rules: SharedRules | None = None
    ) -> None:
        """`rules`: the process's shared cache; without one the workflow keeps its own, which
        nothing refreshes (fine for a short-lived command)."""
        self.engine = engine
        self.settings = settings
        self.shared_rules = rules if rules is not None else SharedRules(engine, settings)

    @property
    def rules(self) -> Rules:
        return self.shared_rules.get()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        info = {OFFICE_ZONE: ZoneInfo(self.settings.office.timezone)}  # for lock-out refusals
        with Session(self.engine, expire_on_commit=False, info=info) as session, session.begin():
            yield session

    # -- intake -----------------------------------------------------------------

    def register(
        self, *, by: By, now: datetime | None = None, answer: str | None = None, **fields: Any
    ) -> Registered:
        """P0 registers a request; a P1 task is offered to the service owner's parent unit.

        With an answer, P0 resolves it on the spot in the same transaction.
        """
        now = as_utc(now) if now else utc_now()
        new = checked(NewRequest, **fields)
        if answer is not None:
            answer = required_text("answer", answer)
        with self.transaction() as session:
            actor = load_actor(session, by)
            raise_if(register_refusal(actor))
            service, target = self._route(session, new)
            customer = _find_or_add_customer(session, new.customer, now)
            request = Request(
                tracking_no=_next_tracking_no(session, now, self.rules),
                customer_id=ident(customer.id),
                service_id=service.id if service else None,
                origin_unit_id=actor.unit_id,
                registered_by=actor.officer_id,
                subject=new.subject,
                details=new.details,
                channel=new.channel,
                status=Status.OPEN,
                sop_due_at=self.rules.sop_due(now, service.sop_days) if service else None,
                created_at=now,
            )
            session.add(request)
            session.flush()
            task = self._offer(session, request, target, Purpose.ROUTE, now, actor, note=None)
            audit.record(
                session,
                kind="registered",
                at=now,
                officer_id=actor.officer_id,
                request_id=request.id,
                task_id=task.id,
                details={"unit": target.code, "service": service.code if service else None},
            )
            if answer is not None:  # the registering officer answers at once: nothing to check
                self._answer_on_the_spot(session, actor, task, request, answer, now)
            return Registered(request=request, task=task, unit=target)

    def _route(self, session: Session, new: NewRequest) -> tuple[Service | None, Unit]:
        service = None
        if new.service_code:
            service = session.scalars(
                select(Service).where(Service.code == new.service_code, Service.active)
            ).first()
            if service is None:
                raise NotFound("no service {service!r}", service=new.service_code)
        if new.unit_code:
            unit = load_unit(session, new.unit_code)
            if unit.tier != 1:
                raise InvalidInput("unit {unit!r} is not an echelon-1 unit", unit=unit.code)
            return service, unit
        if service is None:
            raise InvalidInput("name a service, or the echelon-1 unit to send it to")
        owner = session.get(Unit, service.unit_id)
        assert owner is not None and owner.parent_id is not None
        parent = session.get(Unit, owner.parent_id)
        assert parent is not None
        return service, parent

    def acting(
        self, session: Session, action: Action, by: By, task_id: int
    ) -> tuple[Actor, LockedTask]:
        """The actor and the locked task, once the rules allow the action's task side."""
        actor = load_actor(session, by)
        locked = lock_task(session, task_id)
        raise_if(refusal(action, actor, locked.facts))
        return actor, locked

    # -- claims -----------------------------------------------------------------

    def claim(self, *, task_id: int, by: By, now: datetime | None = None) -> Claim:
        """One atomic statement: of any number of concurrent claimers exactly one wins."""
        return claim_task(
            self.engine,
            task_id=task_id,
            by=by,
            now=as_utc(now) if now else utc_now(),
            zone=ZoneInfo(self.settings.office.timezone),
        )

    def assign(self, *, task_id: int, to: By, by: By, now: datetime | None = None) -> Task:
        """A supervisor hands a queued task to a named officer of the same unit."""
        now = as_utc(now) if now else utc_now()
        with self.transaction() as session:
            actor, locked = self.acting(session, Action.ASSIGN, by, task_id)
            assignee = load_actor(session, to)
            raise_if(assignee_refusal(locked.facts.unit, assignee))
            task = locked.task
            task.claimed_by, task.claimed_at = assignee.officer_id, now
            self.log(session, "assigned", task, actor, now, {"to": assignee.username})
            return task

    def release(self, *, task_id: int, by: By, reason: str, now: datetime | None = None) -> Moved:
        """Give a claim back: the hop ends and a fresh one, with its own clock, is offered."""
        now = as_utc(now) if now else utc_now()
        reason = required_text("reason", reason)
        with self.transaction() as session:
            actor, locked = self.acting(session, Action.RELEASE, by, task_id)
            return self.hand_off(
                session,
                locked,
                actor,
                now,
                Outcome.RELEASED,
                locked.unit,
                locked.task.purpose,
                reason,
            )

    # -- hand-offs --------------------------------------------------------------

    def dispatch(
        self, *, task_id: int, to: str, by: By, note: str | None = None, now: datetime | None = None
    ) -> Moved:
        """P1 sends its task to an echelon-2 unit under it; P0 re-routes a returned request."""
        note = optional_text("note", note)
        now = as_utc(now) if now else utc_now()
        with self.transaction() as session:
            actor, locked = self.acting(session, Action.DISPATCH, by, task_id)
            target = load_unit(session, to)
            raise_if(target_refusal(Action.DISPATCH, locked.facts.unit, unit_facts(target)))
            purpose = Purpose.SERVE if target.tier == 2 else Purpose.ROUTE
            return self.hand_off(
                session, locked, actor, now, Outcome.DISPATCHED, target, purpose, note
            )

    def transfer(
        self, *, task_id: int, to: str, by: By, reason: str, now: datetime | None = None
    ) -> Moved:
        """Move a task sideways to another unit of the same tier (tier 2: same parent)."""
        now = as_utc(now) if now else utc_now()
        reason = required_text("reason", reason)
        with self.transaction() as session:
            actor, locked = self.acting(session, Action.TRANSFER, by, task_id)
            target = load_unit(session, to)
            raise_if(target_refusal(Action.TRANSFER, locked.facts.unit, unit_facts(target)))
            return self.hand_off(
                session,
                locked,
                actor,
                now,
                Outcome.TRANSFERRED,
                target,
                locked.task.purpose,
                reason,
            )

    def return_task(
        self, *, task_id: int, by: By, reason: str, now: datetime | None = None
    ) -> Moved:
        """Send a task back down: P2 to its P1 unit, P1 to the front office that registered it."""
        now = as_utc(now) if now else utc_now()
        reason = required_text("reason", reason)
        with self.transaction() as session:
            actor, locked = self.acting(session, Action.RETURN, by, task_id)
            target = session.get(Unit, return_target_id(locked.facts))
            assert target is not None
            purpose = Purpose.ROUTE if target.tier == 1 else Purpose.RETURNED
            return self.hand_off(
                session, locked, actor, now, Outcome.RETURNED, target, purpose, reason
            )

    # -- outcomes ---------------------------------------------------------------

    def resolve(self, *, task_id: int, by: By, answer: str, now: datetime | None = None) -> Moved:
        """P2 answers (the answer goes back to P0 to deliver), or P0 answers on the spot."""
        now = as_utc(now) if now else utc_now()
        answer = required_text("answer", answer)
        with self.transaction() as session:
            actor, locked = self.acting(session, Action.RESOLVE, by, task_id)
            request = locked.request
            pauses.end_pause(self, session, locked, actor, now)
            if actor.position is Position.P0:
                return self._answer_on_the_spot(session, actor, locked.task, request, answer, now)
            request.status, request.resolution, request.resolved_at = Status.RESOLVED, answer, now
            origin = session.get(Unit, request.origin_unit_id)
            assert origin is not None
            return self.hand_off(
                session, locked, actor, now, Outcome.RESOLVED, origin, Purpose.DELIVER, None
            )

    def _answer_on_the_spot(
        self,
        session: Session,
        actor: Actor,
        task: Task,
        request: Request,
        answer: str,
        now: datetime,
    ) -> Moved:
        request.status, request.resolution = Status.CLOSED, answer
        request.resolved_at = request.closed_at = now
        self._close(
            session, task, actor, now, Outcome.RESOLVED, {"answer": answer, "on_the_spot": True}
        )
        return Moved(closed=task, offered=None, offered_unit=None)

    def close(self, *, task_id: int, by: By, now: datetime | None = None) -> Moved:
        """P0 hands the answer to the customer and closes the request."""
        now = as_utc(now) if now else utc_now()
        with self.transaction() as session:
            actor, locked = self.acting(session, Action.CLOSE, by, task_id)
            pauses.end_pause(self, session, locked, actor, now)
            locked.request.status, locked.request.closed_at = Status.CLOSED, now
            self._close(session, locked.task, actor, now, Outcome.CLOSED, {})
            return Moved(closed=locked.task, offered=None, offered_unit=None)

    def message(
        self, *, request_ref: int, by: By, body: str, now: datetime | None = None
    ) -> Message:
        """A note between positions, visible to every unit the request has passed through."""
        now = as_utc(now) if now else utc_now()
        body = required_text("message", body)
        with self.transaction() as session:
            actor = load_actor(session, by)
            request = session.get(Request, request_ref)
            if request is None:
                raise NotFound("no request {request}", request=request_ref)
            units = frozenset(
                session.scalars(select(Task.unit_id).where(Task.request_id == request.id))
            )
            raise_if(message_refusal(actor, request_facts(request, units)))
            open_task = session.scalars(
                select(Task).where(Task.request_id == request.id, col(Task.closed_at).is_(None))
            ).first()
            message = Message(
                request_id=ident(request.id),
                task_id=open_task.id if open_task else None,
                officer_id=actor.officer_id,
                body=body,
                created_at=now,
            )
            session.add(message)
            session.flush()
            audit.record(
                session,
                kind="message",
                at=now,
                officer_id=actor.officer_id,
                request_id=request.id,
                task_id=message.task_id,
                details={"message": message.id},
            )  # its trigger tells every unit the request passed through, and the front office
            return message

    # -- the SOP pause and supervision (their steps live in pauses.py, supervision.py) --

    def pause(
        self, *, task_id: int, by: By, reason: str, now: datetime | None = None
    ) -> RequestPause:
        """P2 sets "waiting on the customer": the SOP clock stops, the claim clock does not."""
        return pauses.pause(self, task_id=task_id, by=by, reason=reason, now=now)

    def resume(
        self, *, task_id: int, by: By, note: str | None = None, now: datetime | None = None
    ) -> RequestPause:
        """The customer answered: the SOP due date moves by the office time waited."""
        return pauses.resume(self, task_id=task_id, by=by, note=note, now=now)

    def rate(
        self,
        *,
        tracking_no: str,
        scores: object,
        comment: str | None = None,
        by: By | None = None,
        now: datetime | None = None,
    ) -> survey.Rated:
        """The customer's SKM survey of a closed request: at the kiosk, or a paper form that
        a front-office officer (`by`) types in. Once per request."""
        return survey.rate(
            self, tracking_no=tracking_no, scores=scores, comment=comment, by=by, now=now
        )

    def forget_customer(
        self, *, customer_id: int, by: By, now: datetime | None = None
    ) -> personal_data.Forgotten:
        """Erase a customer's personal data at their request (a supervisor); audited."""
        return personal_data.forget_customer(self, customer_id=customer_id, by=by, now=now)

    def acknowledge(self, *, task_id: int, by: By, now: datetime | None = None) -> Task:
        """A supervisor takes the task's escalation on; level 2 waits `alerts.ack_hold`."""
        return supervision.acknowledge(self, task_id=task_id, by=by, now=now)

    def nudge(
        self, *, task_id: int, by: By, note: str | None = None, now: datetime | None = None
    ) -> Task:
        """A supervisor asks the unit's desks to claim a queued task."""
        return supervision.nudge(self, task_id=task_id, by=by, note=note, now=now)

    # -- shared steps -----------------------------------------------------------

    def hand_off(
        self,
        session: Session,
        locked: LockedTask,
        actor: Actor,
        now: datetime,
        outcome: Outcome,
        target: Unit,
        purpose: str,
        note: str | None,
    ) -> Moved:
        task, request = locked.task, locked.request
        details: dict[str, Any] = {"from": locked.unit.code, "to": target.code}
        if note:
            details["note" if outcome is Outcome.DISPATCHED else "reason"] = note
        if outcome is Outcome.RESOLVED:
            details["answer"] = request.resolution
        self._close(session, task, actor, now, outcome, details)
        offered = self._offer(session, request, target, purpose, now, actor, note=note)
        return Moved(closed=task, offered=offered, offered_unit=target)

    def _close(
        self,
        session: Session,
        task: Task,
        actor: Actor,
        now: datetime,
        outcome: Outcome,
        details: dict[str, Any],
    ) -> None:
        task.closed_at, task.outcome = now, outcome
        session.flush()  # the old hop must close before the new one opens (one open task)
        self.log(session, outcome, task, actor, now, details)

    def _offer(
        self,
        session: Session,
        request: Request,
        unit: Unit,
        purpose: str,
        now: datetime,
        actor: Actor,
        note: str | None,
    ) -> Task:
        position = position_of(unit.tier)
        task = Task(
            request_id=ident(request.id),
            unit_id=ident(unit.id),
            position=position,
            purpose=purpose,
            offered_at=now,
            offered_by=actor.officer_id,
            note=note,
            claim_due_at=self.rules.claim_due(ident(unit.id), position, now),
        )
        session.add(task)
        session.flush()  # the INSERT's trigger says "offered" to the unit
        return task

    def log(
        self,
        session: Session,
        kind: str,
        task: Task,
        actor: Actor,
        now: datetime,
        details: dict[str, Any],
    ) -> None:
        audit.record(
            session,
            kind=kind,
            at=now,
            officer_id=actor.officer_id,
            request_id=task.request_id,
            task_id=task.id,
            details=details,
        )


def ident(row_id: int | None) -> int:
    """A flushed row's id: the ORM types it optional until the row is written."""
    assert row_id is not None
    return row_id


def _find_or_add_customer(session: Session, new: NewCustomer, now: datetime) -> Customer:
    """Reuse a known customer by NIK, else by phone and name; otherwise add one."""
    match = None
    if new.nik:
        match = session.scalars(select(Customer).where(Customer.nik == new.nik)).first()
    if match is None and new.phone:
        match = session.scalars(
            select(Customer).where(Customer.phone == new.phone, Customer.name == new.name)
        ).first()
    if match is not None:
        match.notify = new.notify  # asked at every intake: the latest answer holds
        return match
    customer = Customer(
        name=new.name,
        phone=new.phone,
        email=new.email,
        nik=new.nik,
        organisation=new.organisation,
        notify=new.notify,
        created_at=now,
    )
    session.add(customer)
    session.flush()
    return customer


def _next_tracking_no(session: Session, now: datetime, rules: Rules) -> str:
    return next_tracking_no(session, now, rules.calendar.timezone)
