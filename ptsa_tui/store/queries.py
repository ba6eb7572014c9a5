"""Read-only queries: finding tasks by reference, queues, and a request's full story."""

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine
from sqlalchemy import select as select_columns
from sqlalchemy.orm import Session, aliased
from sqlmodel import col, select

from ptsa_tui.store import lean
from ptsa_tui.store.database import bare_connection
from ptsa_tui.store.errors import NotFound
from ptsa_tui.store.models import (
    Customer,
    Event,
    Message,
    Officer,
    Request,
    RequestPause,
    Service,
    Task,
)
from ptsa_tui.store.notices import NoticeRow, notices_of
from ptsa_tui.store.phrases import Phrase
from ptsa_tui.store.refs import parse_ref
from ptsa_tui.store.task_rows import COLUMNS, TABLES, TaskRow, TaskState, task_rows
from ptsa_tui.store.task_rows import list_tasks_sql as list_tasks_sql
from ptsa_tui.text_safety import quoted


@dataclass(frozen=True)
class RequestStory:
    """A request with its customer, service, every hop, every event and every message."""

    request: Request
    customer: Customer
    service: Service | None
    tasks: list[TaskRow]
    events: list[dict[str, Any]]
    messages: list[dict[str, Any]] = field(default_factory=list)
    pauses: list[dict[str, Any]] = field(default_factory=list)  # waits on the customer
    notices: list[NoticeRow] = field(default_factory=list)  # what the customer was sent

    @property
    def paused(self) -> bool:
        return any(p["resumed_at"] is None for p in self.pauses)

    @staticmethod
    def said(event: dict[str, Any]) -> list[Phrase]:
        """What one of `events` says beyond its kind, as phrases to render."""
        from ptsa_tui.store.event_sentences import event_phrases

        return event_phrases(str(event["kind"]), event["details"])

    @property
    def open_task(self) -> TaskRow | None:
        return next((t for t in self.tasks if t.closed_at is None), None)


def resolve_task_id(engine: Engine, ref: str) -> int:
    """A REF is a numeric task id, or a tracking number meaning that request's open task."""
    with bare_connection(engine) as conn:
        return lean.task_id_for(conn, ref)


def list_tasks(
    engine: Engine, *, unit: str | None = None, state: TaskState = "open", limit: int = 500
) -> list[TaskRow]:
    with bare_connection(engine) as conn:
        return lean.list_tasks(conn, unit=unit, state=state, limit=limit)


def request_story(engine: Engine, ref: str) -> RequestStory:
    """Everything about the request named by REF (tracking number or any of its task ids)."""
    with Session(engine) as session:
        parsed = parse_ref(ref)
        if isinstance(parsed, int):
            request_id = session.scalar(select(Task.request_id).where(Task.id == parsed))
        else:
            request_id = session.scalar(select(Request.id).where(Request.tracking_no == parsed))
        if request_id is None:
            raise NotFound("no task or request {ref}", ref=quoted(ref.strip()))
        request = session.get(Request, request_id)
        assert request is not None
        customer = session.get(Customer, request.customer_id)
        assert customer is not None
        service = session.get(Service, request.service_id) if request.service_id else None
        hops = f"SELECT {COLUMNS} FROM {TABLES} WHERE t.request_id = %(r)s ORDER BY t.id"
        with bare_connection(engine) as conn:
            tasks = task_rows(conn.execute(hops, {"r": request_id}))
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
        return RequestStory(
            request,
            customer,
            service,
            tasks,
            events,
            messages,
            _pauses(session, request_id),
            notices_of(session, request_id),
        )


def _pauses(session: Session, request_id: int) -> list[dict[str, Any]]:
    paused_by, resumed_by = aliased(Officer), aliased(Officer)
    rows = session.execute(
        select_columns(RequestPause, col(paused_by.username), col(resumed_by.username))
        .join(paused_by, col(paused_by.id) == col(RequestPause.paused_by))
        .outerjoin(resumed_by, col(resumed_by.id) == col(RequestPause.resumed_by))
        .where(col(RequestPause.request_id) == request_id)
        .order_by(col(RequestPause.id))
    )
    return [
        {
            "paused_at": pause.paused_at,
            "paused_by": by,
            "reason": pause.reason,
            "task_id": pause.task_id,
            "resumed_at": pause.resumed_at,
            "resumed_by": resumer,
            "moved_s": int(pause.moved_by.total_seconds()) if pause.moved_by else None,
        }
        for pause, by, resumer in rows
    ]
