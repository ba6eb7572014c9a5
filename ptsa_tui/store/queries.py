"""Read-only queries: finding tasks by reference, queues, and a request's full story."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import Engine
from sqlalchemy import select as select_columns
from sqlalchemy.orm import Session, aliased
from sqlmodel import col, select

from ptsa_tui.store.errors import InvalidInput, NotFound
from ptsa_tui.store.models import Customer, Event, Message, Officer, Request, Service, Task, Unit

TaskState = Literal["open", "claimed", "done"]


@dataclass(frozen=True)
class TaskRow:
    """A task as queues and lists show it."""

    id: int
    tracking_no: str
    unit: str
    position: str
    purpose: str
    service: str | None
    customer: str
    subject: str
    offered_at: datetime
    claim_due_at: datetime
    claimed_by: str | None
    claimed_at: datetime | None
    closed_at: datetime | None
    outcome: str | None
    sop_due_at: datetime | None


@dataclass(frozen=True)
class RequestStory:
    """A request with its customer, service, every hop, every event and every message."""

    request: Request
    customer: Customer
    service: Service | None
    tasks: list[TaskRow]
    events: list[dict[str, Any]]
    messages: list[dict[str, Any]] = field(default_factory=list)

    @property
    def open_task(self) -> TaskRow | None:
        return next((t for t in self.tasks if t.closed_at is None), None)


def resolve_task_id(engine: Engine, ref: str) -> int:
    """A REF is a numeric task id, or a tracking number meaning that request's open task."""
    ref = ref.strip()
    if ref.isdigit():
        return int(ref)
    if not ref:
        raise InvalidInput("empty task reference")
    with Session(engine) as session:
        request_id = session.scalar(select(Request.id).where(Request.tracking_no == ref))
        if request_id is None:
            raise NotFound(f"no request {ref!r}")
        task_id = session.scalar(
            select(Task.id).where(Task.request_id == request_id, col(Task.closed_at).is_(None))
        )
        if task_id is None:
            raise NotFound(f"{ref} has no open task")
        return task_id


def _task_rows_query() -> Any:
    holder = aliased(Officer)
    return (
        select_columns(
            col(Task.id),
            col(Request.tracking_no),
            col(Unit.code).label("unit"),
            col(Task.position),
            col(Task.purpose),
            col(Service.code).label("service"),
            col(Customer.name).label("customer"),
            col(Request.subject),
            col(Task.offered_at),
            col(Task.claim_due_at),
            col(holder.username).label("claimed_by"),
            col(Task.claimed_at),
            col(Task.closed_at),
            col(Task.outcome),
            col(Request.sop_due_at),
        )
        .join(Request, col(Request.id) == col(Task.request_id))
        .join(Unit, col(Unit.id) == col(Task.unit_id))
        .join(Customer, col(Customer.id) == col(Request.customer_id))
        .outerjoin(Service, col(Service.id) == col(Request.service_id))
        .outerjoin(holder, col(holder.id) == col(Task.claimed_by))
    )


def list_tasks(
    engine: Engine, *, unit: str | None = None, state: TaskState = "open", limit: int = 500
) -> list[TaskRow]:
    query = _task_rows_query()
    if unit is not None:
        with Session(engine) as session:
            unit_id = session.scalar(select(Unit.id).where(Unit.code == unit))
        if unit_id is None:
            raise NotFound(f"no unit {unit!r}")
        query = query.where(Task.unit_id == unit_id)
    if state == "open":
        query = query.where(col(Task.closed_at).is_(None)).order_by(Task.claim_due_at, Task.id)
    elif state == "claimed":
        query = query.where(
            col(Task.closed_at).is_(None), col(Task.claimed_by).is_not(None)
        ).order_by(Task.claim_due_at, Task.id)
    else:
        query = query.where(col(Task.closed_at).is_not(None)).order_by(
            col(Task.closed_at).desc(), col(Task.id).desc()
        )
    with Session(engine) as session:
        return [TaskRow(**row._mapping) for row in session.execute(query.limit(limit))]


def request_story(engine: Engine, ref: str) -> RequestStory:
    """Everything about the request named by REF (tracking number or any of its task ids)."""
    with Session(engine) as session:
        ref = ref.strip()
        if ref.isdigit():
            request_id = session.scalar(select(Task.request_id).where(Task.id == int(ref)))
        else:
            request_id = session.scalar(select(Request.id).where(Request.tracking_no == ref))
        if request_id is None:
            raise NotFound(f"no task or request {ref!r}")
        request = session.get(Request, request_id)
        assert request is not None
        customer = session.get(Customer, request.customer_id)
        assert customer is not None
        service = session.get(Service, request.service_id) if request.service_id else None
        tasks = [
            TaskRow(**row._mapping)
            for row in session.execute(
                _task_rows_query().where(Task.request_id == request_id).order_by(Task.id)
            )
        ]
        events = [
            {
                "at": at,
                "kind": kind,
                "officer": username,
                "task_id": task_id,
                "details": details,
            }
            for at, kind, username, task_id, details in session.execute(
                select_columns(
                    col(Event.at),
                    col(Event.kind),
                    col(Officer.username),
                    col(Event.task_id),
                    col(Event.details),
                )
                .outerjoin(Officer, col(Officer.id) == col(Event.officer_id))
                .where(col(Event.request_id) == request_id)
                .order_by(col(Event.id))
            )
        ]
        messages = [
            {"at": at, "officer": username, "body": body}
            for at, username, body in session.execute(
                select(Message.created_at, Officer.username, Message.body)
                .join(Officer, col(Officer.id) == col(Message.officer_id))
                .where(Message.request_id == request_id)
                .order_by(col(Message.id))
            )
        ]
        return RequestStory(request, customer, service, tasks, events, messages)
