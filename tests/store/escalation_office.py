"""A morning of overdue work in the small org, with the alerts the daemon raised and sent.

At MONDAY_10 (claim SLA 30 min of office time, escalate_after 30 min, warn_before 5 min):
- "p2_late": A2X's task, offered 09:30-ish and due 09:30: level 1 raised at 09:45 (email
  sent, SMS failed for good), level 2 to A1's supervisors raised at 10:00 (pending);
- "late": A1's task due 09:50: level 1 raised at 10:00 (pending);
- "at_risk": A1's task due 10:03: 3 minutes left, no alert;
- "b_late": B1's task due 09:30: level 1 (at 09:45) and level 2 to the front office (10:00);
- "fresh": A1's task due 10:20 and "claimed": A1's task held by p1a: neither is shown.
"""

from datetime import datetime, timedelta

from sqlalchemy import Engine

from ptsa_tui.store.outbox import Ladder, Outbox
from ptsa_tui.store.workflow import Workflow
from tests.conftest import MONDAY_10

LADDER = Ladder(channels=("email", "sms"), give_up_after=timedelta(0))  # one failure: given up
SMS_ERROR = "gateway down"


def at(hour: int, minute: int) -> datetime:
    return MONDAY_10.replace(hour=hour, minute=minute)


def _register(flow: Workflow, name: str, service: str, when: datetime) -> int:
    task = flow.register(
        by="p0",
        service_code=service,
        customer={"name": name},
        subject=f"Permohonan {service}",
        now=when,
    ).task
    assert task.id is not None
    return task.id


def overdue_morning(
    flow: Workflow, engine: Engine, customer: str = "PT Terlambat"
) -> dict[str, int]:
    """The tasks above, by name, with their alerts raised and delivered as the daemon would."""
    ids: dict[str, int] = {}
    first = _register(flow, customer, "SVC-A", at(8, 50))
    flow.claim(task_id=first, by="p1a", now=at(8, 55))
    moved = flow.dispatch(task_id=first, to="A2X", by="p1a", now=at(9, 0))
    assert moved.offered is not None and moved.offered.id is not None
    ids["p2_late"] = moved.offered.id
    ids["b_late"] = _register(flow, "CV Barat", "SVC-B", at(9, 0))
    ids["late"] = _register(flow, "Toko Lambat", "SVC-A", at(9, 20))
    ids["at_risk"] = _register(flow, "CV Hampir", "SVC-A", at(9, 33))
    ids["fresh"] = _register(flow, "Baru Saja", "SVC-A", at(9, 50))
    ids["claimed"] = _register(flow, "Sudah Diambil", "SVC-A", at(9, 10))
    flow.claim(task_id=ids["claimed"], by="p1a", now=at(9, 12))

    outbox = Outbox(engine, LADDER, "test-host:1")
    outbox.raise_due(now=at(9, 45), rules=flow.rules)
    deliver_all(outbox, at(9, 46))
    outbox.raise_due(now=MONDAY_10, rules=flow.rules)
    return ids


def deliver_all(outbox: Outbox, now: datetime) -> None:
    """Every due alert: email delivered, SMS failed (and given up, with this ladder)."""
    while True:
        with outbox.delivering(now=now) as delivery:
            if delivery is None:
                return
            if delivery.due.channel == "email":
                delivery.sent(now)
            else:
                delivery.failed(now, SMS_ERROR)
