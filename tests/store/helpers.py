"""Shared helpers for the store tests: reading rows back, snapshots, and a NOTIFY listener."""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import psycopg
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session
from sqlmodel import col

from ptsa_tui.store.audit import CHANNEL
from ptsa_tui.store.models import Event, Officer, Request, Task, Unit
from ptsa_tui.store.workflow import Registered, Workflow
from tests.conftest import MONDAY_10

WIB = ZoneInfo("Asia/Jakarta")


def wib(day: int, hour: int, minute: int = 0) -> datetime:
    """An instant in November 2026, Jakarta time (the 23rd is a Monday)."""
    return datetime(2026, 11, day, hour, minute, tzinfo=WIB)


def register(
    workflow: Workflow,
    *,
    by: str = "p0",
    now: datetime = MONDAY_10,
    answer: str | None = None,
    **fields: Any,
) -> Registered:
    """Register with sensible defaults: customer Budi, service SVC-A, a subject."""
    fields.setdefault("customer", {"name": "Budi"})
    if "unit_code" not in fields:
        fields.setdefault("service_code", "SVC-A")
    fields.setdefault("subject", "Izin kerja")
    return workflow.register(by=by, now=now, answer=answer, **fields)


def task(engine: Engine, task_id: int) -> Task:
    with Session(engine) as session:
        row = session.get(Task, task_id)
        assert row is not None
        return row


def request(engine: Engine, request_id: int) -> Request:
    with Session(engine) as session:
        row = session.get(Request, request_id)
        assert row is not None
        return row


def officer_id(engine: Engine, username: str) -> int:
    with Session(engine) as session:
        found = session.scalar(select(col(Officer.id)).where(col(Officer.username) == username))
        assert found is not None
        return int(found)


def unit_id(engine: Engine, code: str) -> int:
    with Session(engine) as session:
        found = session.scalar(select(col(Unit.id)).where(col(Unit.code) == code))
        assert found is not None
        return int(found)


def unit_code(engine: Engine, unit_id: int) -> str:
    with Session(engine) as session:
        unit = session.get(Unit, unit_id)
        assert unit is not None
        return unit.code


def tasks_of(engine: Engine, request_id: int) -> list[Task]:
    with Session(engine) as session:
        return list(
            session.scalars(
                select(Task).where(col(Task.request_id) == request_id).order_by(col(Task.id))
            )
        )


def event_kinds(engine: Engine, request_id: int) -> list[str]:
    with Session(engine) as session:
        return list(
            session.scalars(
                select(col(Event.kind))
                .where(col(Event.request_id) == request_id)
                .order_by(col(Event.id))
            )
        )


def snapshot(engine: Engine) -> dict[str, Any]:
    """Every row of the mutable tables, and the event count: equal before and after = untouched."""
    tables = ("task", "request", "customer", "message")
    with engine.connect() as conn:
        state: dict[str, Any] = {
            name: conn.execute(text(f"SELECT * FROM {name} ORDER BY id")).all() for name in tables
        }
        state["events"] = conn.scalar(select(func.count()).select_from(Event))
        state["sequence"] = conn.scalar(text("SELECT last_value FROM tracking_no_seq"))
    return state


def counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            name: int(conn.scalar(text(f"SELECT count(*) FROM {name}")) or 0)
            for name in ("task", "event", "request", "customer", "message")
        }


class Listener:
    """LISTEN on the workflow's channel over its own autocommit connection."""

    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self.conn = conn

    def take(self, expected: int, timeout: float = 2.0) -> list[dict[str, Any]]:
        """The payloads delivered so far, waiting until `expected` arrived or `timeout` passed."""
        received = [
            json.loads(note.payload)
            for note in self.conn.notifies(timeout=timeout, stop_after=expected)
        ]
        return received

    def nothing(self, timeout: float = 0.3) -> None:
        """Assert no notification arrives within `timeout`."""
        assert self.take(1, timeout=timeout) == []


@contextmanager
def listening(db_url: str) -> Iterator[Listener]:
    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute(f"LISTEN {CHANNEL}")
        yield Listener(conn)
