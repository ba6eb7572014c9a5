"""Customer notices as the tests read them back, and a request walked through every step."""

from typing import Any

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from ptsa_tui.store.notices import NoticeRow, notices_of
from ptsa_tui.store.workflow import Registered, Workflow
from tests.store.helpers import register, wib

PHONE = "0812-3456-7890"
SIGNED_PHONE = "+6281234567890"  # the same number as the gateway is given it
EMAIL = "siti@example.id"
SITI = {"name": "Siti Aminah", "phone": PHONE, "email": EMAIL}


def notices(engine: Engine, request_id: int | None) -> list[NoticeRow]:
    assert request_id is not None
    with Session(engine) as session:
        return notices_of(session, request_id)


def notice_attempts(engine: Engine) -> list[tuple[int, bool, str | None]]:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT notice_id, ok, error FROM notice_attempt ORDER BY id"))
        return [(int(r[0]), bool(r[1]), r[2]) for r in rows]


def notice_statuses(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT status, count(*) FROM notice GROUP BY status"))
        return {row[0]: int(row[1]) for row in rows}


def served_to_the_end(workflow: Workflow, customer: dict[str, Any] = SITI) -> Registered:
    """Registered Monday 23 November, paused for a document, resolved, then closed by P0."""
    registered = register(workflow, customer=customer, now=wib(23, 10))
    first = registered.task.id
    assert first is not None
    workflow.claim(task_id=first, by="p1a", now=wib(23, 10, 5))
    served = workflow.dispatch(task_id=first, to="A2X", by="p1a", now=wib(23, 10, 6)).offered
    assert served is not None and served.id is not None
    workflow.claim(task_id=served.id, by="p2ax", now=wib(23, 10, 10))
    workflow.pause(
        task_id=served.id, by="p2ax", reason="fotokopi KTP yang dilegalisir", now=wib(23, 11)
    )
    workflow.resume(task_id=served.id, by="p2ax", now=wib(24, 9))
    answer = "Izin kerja disetujui; nomor izin 77/2026."
    back = workflow.resolve(task_id=served.id, by="p2ax", answer=answer, now=wib(24, 10)).offered
    assert back is not None and back.id is not None
    workflow.claim(task_id=back.id, by="p0", now=wib(24, 10, 5))
    workflow.close(task_id=back.id, by="p0", now=wib(24, 10, 30))
    return registered
