"""A task as every list shows it: the desk's inbox, `ptsa task list`, a request's hops.

One row type and one SELECT for all of them, read on the bare connection: thousands of rows
for a desk's inbox cost no ORM objects, and repeated strings are stored once.
"""

from collections.abc import Iterable
from datetime import datetime
from typing import Any, Literal, NamedTuple

from ptsa_tui.store.domain import Purpose

Tab = Literal["queue", "mine", "team", "done", "deliver"]


class TaskRow(NamedTuple):
    task_id: int
    request_id: int
    tracking_no: str
    unit: str  # the unit's code
    service_code: str | None
    service_name: str | None
    customer: str
    subject: str
    position: str
    purpose: str
    offered_at: datetime
    claim_due_at: datetime
    sop_due_at: datetime | None
    claimed_by: str | None  # the holder's username
    claimed_by_name: str | None
    claimed_at: datetime | None
    closed_at: datetime | None
    outcome: str | None
    holder_id: int | None
    request_status: str
    origin_unit_id: int
    paused: bool  # the request waits on the customer
    nudged_at: datetime | None  # a supervisor's last nudge of this hop
    level_reached: int  # the highest alert level raised for this hop (0: none)
    acked_level: int | None  # the highest level a supervisor acknowledged
    tab: Tab | None  # the inbox tab, for the officer it was read for; None in other lists

    def public(self) -> dict[str, Any]:
        """The row as `--json` prints it: the keys scripts rely on, then the rest."""
        return {
            "id": self.task_id,
            "tracking_no": self.tracking_no,
            "unit": self.unit,
            "position": self.position,
            "purpose": self.purpose,
            "service": self.service_code,
            "customer": self.customer,
            "subject": self.subject,
            "offered_at": self.offered_at,
            "claim_due_at": self.claim_due_at,
            "claimed_by": self.claimed_by,
            "claimed_at": self.claimed_at,
            "closed_at": self.closed_at,
            "outcome": self.outcome,
            "sop_due_at": self.sop_due_at,
            "request_id": self.request_id,
            "service_name": self.service_name,
            "claimed_by_name": self.claimed_by_name,
            "request_status": self.request_status,
            "paused": self.paused,
            "nudged_at": self.nudged_at,
            "level_reached": self.level_reached,
            "acked_level": self.acked_level,
        }


# In TaskRow's field order, up to the tab.
COLUMNS = """t.id, t.request_id, r.tracking_no, u.code, s.code, s.name, c.name, r.subject,
 t.position, t.purpose, t.offered_at, t.claim_due_at, r.sop_due_at, h.username, h.full_name,
 t.claimed_at, t.closed_at, t.outcome, t.claimed_by, r.status, r.origin_unit_id,
 EXISTS (SELECT FROM request_pause p WHERE p.request_id = r.id AND p.resumed_at IS NULL),
 t.nudged_at, coalesce((SELECT max(a.level) FROM alert a WHERE a.task_id = t.id), 0),
 t.acked_level"""
TABLES = """task t JOIN request r ON r.id = t.request_id JOIN customer c ON c.id = r.customer_id
 JOIN unit u ON u.id = t.unit_id LEFT JOIN service s ON s.id = r.service_id
 LEFT JOIN officer h ON h.id = t.claimed_by"""
# Unit, service code and name, position, purpose, holder's username and name, outcome, status.
_SHARED = (3, 4, 5, 8, 9, 13, 14, 17, 19)
_PURPOSE, _CLOSED_AT, _HOLDER = 9, 16, 18


def task_rows(found: Iterable[tuple[Any, ...]], me: int | None = None) -> list[TaskRow]:
    """Rows from a SELECT of COLUMNS; with `me` (an officer id), each in that officer's tab."""
    # Thousands of rows name the same few services, positions and officers: one string each.
    shared: dict[object, object] = {}
    rows = []
    for r in found:
        values = list(r)
        for column in _SHARED:
            values[column] = shared.setdefault(values[column], values[column])
        values.append(None if me is None else tab_of(r[_PURPOSE], r[_HOLDER], r[_CLOSED_AT], me))
        rows.append(TaskRow._make(values))
    return rows


def tab_of(purpose: str, holder_id: int | None, closed_at: datetime | None, me: int) -> Tab:
    if closed_at is not None:
        return "done"
    if purpose == Purpose.DELIVER and holder_id in (None, me):  # answers waiting to go out
        return "deliver"
    if holder_id is None:
        return "queue"
    return "mine" if holder_id == me else "team"


TaskState = Literal["open", "claimed", "done"]

_LIST = {
    "open": "t.closed_at IS NULL ORDER BY t.claim_due_at, t.id",
    "claimed": "t.closed_at IS NULL AND t.claimed_by IS NOT NULL ORDER BY t.claim_due_at, t.id",
    "done": "t.closed_at IS NOT NULL ORDER BY t.closed_at DESC, t.id DESC",
}


def list_tasks_sql(state: TaskState, *, by_unit: bool) -> str:
    """The SELECT behind `list_tasks` (parameters: unit, limit), for the scan benchmark too."""
    unit = "t.unit_id = %(unit)s AND " if by_unit else ""
    return f"SELECT {COLUMNS} FROM {TABLES} WHERE {unit}{_LIST[state]} LIMIT %(limit)s"
