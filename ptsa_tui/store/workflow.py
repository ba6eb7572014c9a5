"""Every state transition of a request, each one transaction with its audit event and NOTIFY.

Screens, the CLI and the alert daemon change state only through `Workflow`; rights are
checked here, by position, unit and supervisor flag, whatever the caller already checked.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, func
from sqlalchemy.orm import Session
from sqlmodel import col, select

from ptsa_tui.config import Settings
from ptsa_tui.store import audit
from ptsa_tui.store.actors import (
    Actor,
    holder_label,
    load_actor,
    load_unit,
    lock_task,
    require_holder,
    require_in_unit,
    require_open,
    require_position,
)
from ptsa_tui.store.claims import Claim, claim_task
from ptsa_tui.store.errors import Conflict, InvalidInput, NotAllowed, NotFound
from ptsa_tui.store.inputs import NewCustomer, NewRequest, checked, required_text
from ptsa_tui.store.models import Customer, Message, Request, Service, Task, Unit
from ptsa_tui.store.rules import Rules, load_rules
from ptsa_tui.store.timeutil import as_utc, utc_now


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
    def __init__(self, engine: Engine, settings: Settings) -> None:
        self.engine = engine
        self.settings = settings
        self._rules: Rules | None = None

    @property
    def rules(self) -> Rules:
        if self._rules is None:
            with Session(self.engine) as session:
                self._rules = load_rules(session, self.settings)
        return self._rules

    @contextmanager
    def _transaction(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
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
        with self._transaction() as session:
            actor = load_actor(session, by)
            require_position(actor, ("P0",), "register requests")
            service, target = self._route(session, new)
            customer = _find_or_add_customer(session, new.customer, now)
            request = Request(
                tracking_no=_next_tracking_no(session, now, self.rules),
                customer_id=customer.id,  # type: ignore[arg-type]
                service_id=service.id if service else None,
                origin_unit_id=actor.unit.id,  # type: ignore[arg-type]
                registered_by=actor.id,
                subject=new.subject,
                details=new.details,
                channel=new.channel,
                status="open",
                sop_due_at=self.rules.sop_due(now, service.sop_days) if service else None,
                created_at=now,
            )
            session.add(request)
            session.flush()
            task = self._offer(session, request, target, "route", now, actor, note=None)
            audit.record(
                session,
                kind="registered",
                at=now,
                officer_id=actor.id,
                request_id=request.id,
                task_id=task.id,
                details={"unit": target.code, "service": service.code if service else None},
            )
            if answer is not None:
                self._resolve_on_the_spot(session, actor, task, request, target, answer, now)
            return Registered(request=request, task=task, unit=target)

    def _route(self, session: Session, new: NewRequest) -> tuple[Service | None, Unit]:
        service = None
        if new.service_code:
            service = session.scalars(
                select(Service).where(Service.code == new.service_code, Service.active)
            ).first()
            if service is None:
                raise NotFound(f"no service {new.service_code!r}")
        if new.unit_code:
            unit = load_unit(session, new.unit_code)
            if unit.tier != 1:
                raise InvalidInput(f"unit {unit.code!r} is not an echelon-1 unit")
            return service, unit
        if service is None:
            raise InvalidInput("name a service, or the echelon-1 unit to send it to")
        owner = session.get(Unit, service.unit_id)
        assert owner is not None and owner.parent_id is not None
        parent = session.get(Unit, owner.parent_id)
        assert parent is not None
        return service, parent

    # -- claims -----------------------------------------------------------------

    def claim(self, *, task_id: int, by: By, now: datetime | None = None) -> Claim:
        """One atomic statement: of any number of concurrent claimers exactly one wins."""
        return claim_task(
            self.engine, task_id=task_id, by=by, now=as_utc(now) if now else utc_now()
        )

    def assign(self, *, task_id: int, to: By, by: By, now: datetime | None = None) -> Task:
        """A supervisor hands a queued task to a named officer of the same unit."""
        now = as_utc(now) if now else utc_now()
        with self._transaction() as session:
            actor = load_actor(session, by)
            task, _, unit = lock_task(session, task_id)
            require_in_unit(actor, task, unit, "assign")
            if not actor.officer.supervisor:
                raise NotAllowed(f"{actor.label} is not a supervisor; only supervisors assign")
            assignee = load_actor(session, to)
            if assignee.unit.id != unit.id:
                raise NotAllowed(f"{assignee.label} is not in {unit.code}")
            require_open(task)
            if task.claimed_by is not None:
                raise Conflict(
                    f"task {task.id} is claimed by {holder_label(session, task.claimed_by)}"
                )
            task.claimed_by, task.claimed_at = assignee.id, now
            self._log(session, "assigned", task, actor, now, {"to": assignee.officer.username})
            return task

    def release(self, *, task_id: int, by: By, reason: str, now: datetime | None = None) -> Moved:
        """Give a claim back: the hop ends and a fresh one, with its own clock, is offered."""
        now = as_utc(now) if now else utc_now()
        reason = required_text("reason", reason)
        with self._transaction() as session:
            actor = load_actor(session, by)
            task, request, unit = lock_task(session, task_id)
            if not (actor.officer.supervisor and actor.unit.id == unit.id):
                require_holder(session, actor, task, unit, "release")
            require_open(task)
            if task.claimed_by is None:
                raise Conflict(f"task {task.id} is not claimed")
            return self._hand_off(
                session, task, request, unit, actor, now, "released", unit, task.purpose, reason
            )

    # -- hand-offs --------------------------------------------------------------

    def dispatch(
        self, *, task_id: int, to: str, by: By, note: str | None = None, now: datetime | None = None
    ) -> Moved:
        """P1 sends its task to an echelon-2 unit under it; P0 re-routes a returned request."""
        now = as_utc(now) if now else utc_now()
        with self._transaction() as session:
            actor = load_actor(session, by)
            task, request, unit = lock_task(session, task_id)
            require_holder(session, actor, task, unit, "dispatch")
            target = load_unit(session, to)
            if unit.tier == 1 and not (target.tier == 2 and target.parent_id == unit.id):
                raise NotAllowed(f"{target.code} is not an echelon-2 unit under {unit.code}")
            if unit.tier == 0 and task.purpose != "returned":
                raise NotAllowed("only a returned request is sent out again; close this one")
            if unit.tier == 0 and target.tier != 1:
                raise NotAllowed(f"{target.code} is not an echelon-1 unit")
            if unit.tier == 2:
                raise NotAllowed("P2 serves and resolves; it does not dispatch")
            purpose = "serve" if target.tier == 2 else "route"
            return self._hand_off(
                session, task, request, unit, actor, now, "dispatched", target, purpose, note
            )

    def transfer(
        self, *, task_id: int, to: str, by: By, reason: str, now: datetime | None = None
    ) -> Moved:
        """Move a task sideways to another unit of the same tier (tier 2: same parent)."""
        now = as_utc(now) if now else utc_now()
        reason = required_text("reason", reason)
        with self._transaction() as session:
            actor = load_actor(session, by)
            task, request, unit = lock_task(session, task_id)
            require_holder(session, actor, task, unit, "transfer")
            target = load_unit(session, to)
            if unit.tier == 0 or target.tier != unit.tier or target.id == unit.id:
                raise NotAllowed(f"{unit.code} cannot transfer to {target.code}")
            if unit.tier == 2 and target.parent_id != unit.parent_id:
                raise NotAllowed(f"{target.code} is not under the same echelon-1 unit")
            return self._hand_off(
                session,
                task,
                request,
                unit,
                actor,
                now,
                "transferred",
                target,
                task.purpose,
                reason,
            )

    def return_task(
        self, *, task_id: int, by: By, reason: str, now: datetime | None = None
    ) -> Moved:
        """Send a task back down: P2 to its P1 unit, P1 to the front office that registered it."""
        now = as_utc(now) if now else utc_now()
        reason = required_text("reason", reason)
        with self._transaction() as session:
            actor = load_actor(session, by)
            task, request, unit = lock_task(session, task_id)
            require_holder(session, actor, task, unit, "return")
            if unit.tier == 0:
                raise NotAllowed("the front office has nobody to return a task to; close it")
            target_id = unit.parent_id if unit.tier == 2 else request.origin_unit_id
            target = session.get(Unit, target_id)
            assert target is not None
            purpose = "route" if target.tier == 1 else "returned"
            return self._hand_off(
                session, task, request, unit, actor, now, "returned", target, purpose, reason
            )

    # -- outcomes ---------------------------------------------------------------

    def resolve(self, *, task_id: int, by: By, answer: str, now: datetime | None = None) -> Moved:
        """P2 answers (the answer goes back to P0 to deliver), or P0 answers on the spot."""
        now = as_utc(now) if now else utc_now()
        answer = required_text("answer", answer)
        with self._transaction() as session:
            actor = load_actor(session, by)
            task, request, unit = lock_task(session, task_id)
            if actor.position == "P0":
                return self._resolve_on_the_spot(session, actor, task, request, unit, answer, now)
            require_position(actor, ("P2",), "resolve")
            require_holder(session, actor, task, unit, "resolve")
            request.status, request.resolution, request.resolved_at = "resolved", answer, now
            origin = session.get(Unit, request.origin_unit_id)
            assert origin is not None
            return self._hand_off(
                session, task, request, unit, actor, now, "resolved", origin, "deliver", None
            )

    def _resolve_on_the_spot(
        self,
        session: Session,
        actor: Actor,
        task: Task,
        request: Request,
        unit: Unit,
        answer: str,
        now: datetime,
    ) -> Moved:
        require_open(task)
        if request.origin_unit_id != actor.unit.id:
            raise NotAllowed(f"{actor.label} did not register {request.tracking_no}")
        if request.status != "open":  # the answering unit's answer must not be overwritten
            raise Conflict(f"{request.tracking_no} is already {request.status}; close it instead")
        if task.claimed_by not in (None, actor.id):
            raise Conflict(f"task {task.id} is claimed by {holder_label(session, task.claimed_by)}")
        request.status, request.resolution = "closed", answer
        request.resolved_at = request.closed_at = now
        self._close(
            session, task, unit, actor, now, "resolved", {"answer": answer, "on_the_spot": True}
        )
        return Moved(closed=task, offered=None, offered_unit=None)

    def close(self, *, task_id: int, by: By, now: datetime | None = None) -> Moved:
        """P0 hands the answer to the customer and closes the request."""
        now = as_utc(now) if now else utc_now()
        with self._transaction() as session:
            actor = load_actor(session, by)
            task, request, unit = lock_task(session, task_id)
            require_position(actor, ("P0",), "close requests")
            require_open(task)
            # Before the unit check: a request still upstream is "no answer yet", not "not yours".
            if request.status != "resolved" and task.purpose != "returned":
                raise Conflict(f"{request.tracking_no} has no answer yet; resolve it first")
            require_in_unit(actor, task, unit, "close")
            if task.claimed_by not in (None, actor.id):
                raise Conflict(
                    f"task {task.id} is claimed by {holder_label(session, task.claimed_by)}"
                )
            request.status, request.closed_at = "closed", now
            self._close(session, task, unit, actor, now, "closed", {})
            return Moved(closed=task, offered=None, offered_unit=None)

    def message(
        self, *, request_ref: int, by: By, body: str, now: datetime | None = None
    ) -> Message:
        """A note between positions, visible to every unit the request has passed through."""
        now = as_utc(now) if now else utc_now()
        body = required_text("message", body)
        with self._transaction() as session:
            actor = load_actor(session, by)
            request = session.get(Request, request_ref)
            if request is None:
                raise NotFound(f"no request {request_ref}")
            units = set(session.scalars(select(Task.unit_id).where(Task.request_id == request.id)))
            if actor.unit.id not in units | {request.origin_unit_id}:
                raise NotAllowed(f"{actor.label} has no part in {request.tracking_no}")
            open_task = session.scalars(
                select(Task).where(Task.request_id == request.id, col(Task.closed_at).is_(None))  # type: ignore[union-attr]
            ).first()
            message = Message(
                request_id=request.id,  # type: ignore[arg-type]
                task_id=open_task.id if open_task else None,
                officer_id=actor.id,
                body=body,
                created_at=now,
            )
            session.add(message)
            session.flush()
            audit.record(
                session,
                kind="message",
                at=now,
                officer_id=actor.id,
                request_id=request.id,
                task_id=message.task_id,
                details={"message": message.id},
            )
            for unit_id in units | {request.origin_unit_id}:
                audit.notify(
                    session,
                    kind="message",
                    request_id=request.id,  # type: ignore[arg-type]
                    task_id=message.task_id or 0,
                    unit_id=unit_id,
                )
            return message

    # -- shared steps -----------------------------------------------------------

    def _hand_off(
        self,
        session: Session,
        task: Task,
        request: Request,
        unit: Unit,
        actor: Actor,
        now: datetime,
        outcome: str,
        target: Unit,
        purpose: str,
        note: str | None,
    ) -> Moved:
        details: dict[str, Any] = {"from": unit.code, "to": target.code}
        if note:
            details["note" if outcome == "dispatched" else "reason"] = note
        if outcome == "resolved":
            details["answer"] = request.resolution
        self._close(session, task, unit, actor, now, outcome, details)
        offered = self._offer(session, request, target, purpose, now, actor, note=note)
        return Moved(closed=task, offered=offered, offered_unit=target)

    def _close(
        self,
        session: Session,
        task: Task,
        unit: Unit,
        actor: Actor,
        now: datetime,
        outcome: str,
        details: dict[str, Any],
    ) -> None:
        task.closed_at, task.outcome = now, outcome
        session.flush()  # the old hop must close before the new one opens (one open task)
        self._log(session, outcome, task, actor, now, details)

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
        position = {0: "P0", 1: "P1", 2: "P2"}[unit.tier]
        task = Task(
            request_id=request.id,  # type: ignore[arg-type]
            unit_id=unit.id,  # type: ignore[arg-type]
            position=position,
            purpose=purpose,
            offered_at=now,
            offered_by=actor.id,
            note=note,
            claim_due_at=self.rules.claim_due(unit, position, now),
        )
        session.add(task)
        session.flush()
        audit.notify(
            session,
            kind="offered",
            request_id=request.id,  # type: ignore[arg-type]
            task_id=task.id,  # type: ignore[arg-type]
            unit_id=unit.id,  # type: ignore[arg-type]
        )
        return task

    def _log(
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
            officer_id=actor.id,
            request_id=task.request_id,
            task_id=task.id,
            details=details,
        )
        audit.notify(
            session,
            kind=kind,
            request_id=task.request_id,
            task_id=task.id,  # type: ignore[arg-type]
            unit_id=task.unit_id,
        )


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
        return match
    customer = Customer(
        name=new.name,
        phone=new.phone,
        email=new.email,
        nik=new.nik,
        organisation=new.organisation,
        created_at=now,
    )
    session.add(customer)
    session.flush()
    return customer


def _next_tracking_no(session: Session, now: datetime, rules: Rules) -> str:
    number = session.scalar(select(func.nextval("tracking_no_seq")))
    year = now.astimezone(rules.calendar.timezone).year
    return f"PTSA-{year}-{number:06d}"
