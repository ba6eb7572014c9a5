"""The alert outbox: raise the alerts that fell due, hand out one at a time, record each attempt.

One row per (task, level, channel, recipient), inserted with ON CONFLICT DO NOTHING on the unique
key, so any number of scanners raise each alert once. Each one is delivered under
`store.delivery`'s rules, shared with the customer notices.
"""

from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from ptsa_tui.store import audit, delivery
from ptsa_tui.store.delivery import ALERTS, Delivery, Held, Retry
from ptsa_tui.store.level2 import first_ahead, level2_at
from ptsa_tui.store.rules import Rules


@dataclass(frozen=True)
class Ladder:
    """Who is warned, on which channels, and how failed sends are retried."""

    channels: tuple[str, ...] = ("email",)
    tier1_escalate_to: str = ""  # unit code; "" = the request's origin unit (the front office)
    retry_after: timedelta = timedelta(seconds=30)
    retry_max: timedelta = timedelta(minutes=30)
    give_up_after: timedelta = timedelta(hours=24)
    ack_hold: timedelta = timedelta(minutes=15)  # an acknowledged level 1 holds level 2

    @property
    def retry(self) -> Retry:
        return Retry(self.retry_after, self.retry_max, self.give_up_after)


@dataclass(frozen=True)
class Raised:
    """A level that fell due for a task, with the number of alert rows it produced."""

    task_id: int
    request_id: int
    unit_id: int
    level: int
    alerts: int


@dataclass(frozen=True)
class Due:
    """An alert ready to send, with what its message needs."""

    alert_id: int
    task_id: int
    request_id: int
    unit_id: int
    level: int
    channel: str
    address: str
    attempts: int
    created_at: datetime
    recipient: str
    language: str
    tracking_no: str
    unit_code: str
    unit_name: str
    service: str | None
    claim_due_at: datetime
    desks: tuple[str, ...]  # who could claim it: the unit's active officers


@dataclass(frozen=True)
class Scan:
    raised: list[Raised] = field(default_factory=list)
    unrouted: list[tuple[int, int]] = field(default_factory=list)  # (task, level): no recipient


_OPEN_UNCLAIMED = "t.closed_at IS NULL AND t.claimed_by IS NULL"

_LEVEL1_CANDIDATES = f"""
SELECT t.id, t.request_id, t.unit_id, t.unit_id AS notify_unit
FROM task t
WHERE {_OPEN_UNCLAIMED} AND t.claim_due_at <= :now
  AND NOT EXISTS (SELECT 1 FROM alert a WHERE a.task_id = t.id AND a.level = 1)
"""

# Past its claim deadline and still without level 2.
_AWAITING_LEVEL2 = f"""{_OPEN_UNCLAIMED}
  AND NOT EXISTS (SELECT 1 FROM alert a WHERE a.task_id = t.id AND a.level = 2)"""
_HELD = "coalesce(t.acked_level, 0) >= 1"  # level 1 acknowledged: level 2 waits ack_hold
_HELD_FROM = f"CASE WHEN {_HELD} THEN t.acked_at END"

# Level 2 goes to the parent unit; an echelon-1 unit's "parent" is the front office.
_LEVEL2_CANDIDATES = f"""
SELECT t.id, t.request_id, t.unit_id,
       CASE u.tier WHEN 2 THEN u.parent_id
                   WHEN 1 THEN coalesce(CAST(:tier1_unit AS integer), r.origin_unit_id) END,
       t.claim_due_at, {_HELD_FROM}
FROM task t JOIN unit u ON u.id = t.unit_id JOIN request r ON r.id = t.request_id
WHERE {_AWAITING_LEVEL2} AND t.claim_due_at <= :earliest
ORDER BY t.claim_due_at, t.id
"""

# What the daemon wakes for: the next claim deadline, and the level-2 times still ahead. The
# unheld tasks past their deadline for less than `escalate_after` of wall time all have their
# level 2 ahead, the earliest deadline's first; the older ones need the clock's arithmetic.
_NEXT_CLAIM_DEADLINE = f"""
SELECT (SELECT min(t.claim_due_at) FROM task t WHERE {_OPEN_UNCLAIMED} AND t.claim_due_at > :now),
       (SELECT min(t.claim_due_at) FROM task t WHERE {_AWAITING_LEVEL2} AND NOT {_HELD}
          AND t.claim_due_at > :earliest AND t.claim_due_at <= :now)
"""
_OLDER_UNHELD = f"""
SELECT t.claim_due_at FROM task t
WHERE {_AWAITING_LEVEL2} AND NOT {_HELD} AND t.claim_due_at <= :earliest
ORDER BY t.claim_due_at
"""
_HELD_WAITING = f"""
SELECT t.claim_due_at, t.acked_at FROM task t
WHERE {_AWAITING_LEVEL2} AND {_HELD} AND t.claim_due_at <= :now
"""

_INSERT_ALERTS = """
INSERT INTO alert (task_id, level, channel, recipient_id, address, status, attempts,
                   next_attempt_at, created_at)
SELECT d.task_id, d.level, c.channel, o.id,
       CASE c.channel WHEN 'email' THEN o.email ELSE o.phone END,
       'pending', 0, :now, :now
FROM unnest(CAST(:tasks AS integer[]), CAST(:levels AS smallint[]), CAST(:units AS integer[]))
     AS d(task_id, level, unit_id)
JOIN officer o ON o.unit_id = d.unit_id AND o.supervisor AND o.active
CROSS JOIN unnest(CAST(:channels AS text[])) AS c(channel)
WHERE coalesce(CASE c.channel WHEN 'email' THEN o.email ELSE o.phone END, '') <> ''
ON CONFLICT ON CONSTRAINT alert_once DO NOTHING
RETURNING task_id, level
"""

# Lock first, on the partial index alone, then join: the joins never see more than `limit` rows.
_TAKE_DUE = """
WITH picked AS (
    SELECT id FROM alert
    WHERE status = 'pending' AND next_attempt_at <= :now
    ORDER BY next_attempt_at
    LIMIT :limit
    FOR UPDATE SKIP LOCKED
)
SELECT a.id, a.task_id, t.request_id, t.unit_id, a.level, a.channel, a.address, a.attempts,
       a.created_at, o.full_name, o.language, r.tracking_no, u.code, u.name, s.name,
       t.claim_due_at,
       ARRAY(SELECT d.full_name || ' (' || d.username || ')' FROM officer d
             WHERE d.unit_id = t.unit_id AND d.active ORDER BY d.username) AS desks
FROM picked p
JOIN alert a ON a.id = p.id
JOIN officer o ON o.id = a.recipient_id
JOIN task t ON t.id = a.task_id
JOIN request r ON r.id = t.request_id
JOIN unit u ON u.id = t.unit_id
LEFT JOIN service s ON s.id = r.service_id
ORDER BY a.next_attempt_at, a.id
"""


def _unit_id(session: Session, code: str) -> int | None:
    if not code:
        return None
    found = session.execute(text("SELECT id FROM unit WHERE code = :c"), {"c": code}).scalar()
    if found is None:
        raise LookupError(f"alerts.tier1_escalate_to: no unit with code {code!r}")
    return int(found)


def _level2_due(
    rows: Sequence[Any], rules: Rules, ack_hold: timedelta, now: datetime
) -> list[tuple[Any, ...]]:
    """The candidates (in claim deadline order) whose level 2 is due by `now`."""
    unheld = [r for r in rows if r[5] is None]
    cut = first_ahead([r[4] for r in unheld], rules, now)
    held = [
        r
        for r in rows
        if r[5] is not None and level2_at(r[4], r[5], rules=rules, ack_hold=ack_hold) <= now
    ]
    return [r[:4] for r in unheld[:cut] + held]


def _raise(
    session: Session, now: datetime, level: int, rows: Sequence[Any], channels: Sequence[str]
) -> Scan:
    if not rows:
        return Scan()
    routed = [r for r in rows if r[3] is not None]
    inserted = session.execute(
        text(_INSERT_ALERTS),
        {
            "now": now,
            "tasks": [r[0] for r in routed],
            "levels": [level] * len(routed),
            "units": [r[3] for r in routed],
            "channels": list(channels),
        },
    ).all()
    counts: dict[int, int] = {}
    for task_id, _level in inserted:
        counts[task_id] = counts.get(task_id, 0) + 1
    raised = [Raised(r[0], r[1], r[2], level, counts[r[0]]) for r in rows if r[0] in counts]
    unrouted = [(r[0], level) for r in rows if r[0] not in counts]
    return Scan(raised, unrouted)


def _record_raised(session: Session, now: datetime, raised: Sequence[Raised]) -> None:
    """One audit event per (task, level) raised, in bulk; each event NOTIFYs itself."""
    audit.record_all(
        session,
        [
            audit.NewEvent(
                kind="alert_raised",
                at=now,
                officer_id=None,
                request_id=r.request_id,
                task_id=r.task_id,
                details={"level": r.level, "alerts": r.alerts},
            )
            for r in raised
        ],
    )


def raise_due_in(session: Session, *, now: datetime, rules: Rules, ladder: Ladder) -> Scan:
    """Insert every alert whose level fell due by `now` (missed levels too), in `session`."""
    level1 = session.execute(text(_LEVEL1_CANDIDATES), {"now": now}).all()
    # office time only stretches a span, so a wall-clock bound narrows the candidates safely
    earliest = now - rules.sla.escalate_after
    candidates = session.execute(
        text(_LEVEL2_CANDIDATES),
        {"earliest": earliest, "tier1_unit": _unit_id(session, ladder.tier1_escalate_to)},
    ).all()
    first = _raise(session, now, 1, level1, ladder.channels)
    due = _level2_due(candidates, rules, ladder.ack_hold, now)
    second = _raise(session, now, 2, due, ladder.channels)
    _record_raised(session, now, first.raised + second.raised)
    return Scan(first.raised + second.raised, first.unrouted + second.unrouted)


_DUE_FIELDS = [f.name for f in fields(Due) if f.name != "desks"]


def _due(row: Any) -> Due:
    values: dict[str, Any] = dict(zip(_DUE_FIELDS, row, strict=False))
    return Due(**values, desks=tuple(row[len(_DUE_FIELDS)] or ()))


class Outbox:
    """The daemon's door to the store: every write it makes goes through here."""

    def __init__(self, engine: Engine, ladder: Ladder, daemon: str) -> None:
        self.engine = engine
        self.ladder = ladder
        self.daemon = daemon

    def check_routing(self) -> None:
        """Raise LookupError now, not at every pass, when the level-2 unit does not exist."""
        with Session(self.engine) as session:
            _unit_id(session, self.ladder.tier1_escalate_to)

    def raise_due(self, *, now: datetime, rules: Rules, dry_run: bool = False) -> Scan:
        """Raise what fell due, committed; with dry_run, rolled back (nothing recorded)."""
        with Session(self.engine) as session:
            scan = raise_due_in(session, now=now, rules=rules, ladder=self.ladder)
            if dry_run:
                session.rollback()
            else:
                session.commit()
            return scan

    def preview(self, *, now: datetime, rules: Rules, limit: int = 1000) -> list[Due]:
        """What a pass would send at `now`, including what it would raise; changes nothing."""
        with Session(self.engine) as session:
            raise_due_in(session, now=now, rules=rules, ladder=self.ladder)
            rows = session.execute(text(_TAKE_DUE), {"now": now, "limit": limit}).all()
            session.rollback()
        return [_due(row) for row in rows]

    def delivering(self, *, now: datetime) -> AbstractContextManager[Delivery[Due] | None]:
        """Lock the next due alert until the block ends; commit what the block recorded."""
        return delivery.delivering(self.engine, _TAKE_DUE, now, self._delivery)

    def delivering_batch(
        self, *, now: datetime, limit: int
    ) -> AbstractContextManager[list[Delivery[Due]]]:
        """Lock up to `limit` due alerts until the block ends; commit what it recorded."""
        return delivery.delivering_batch(self.engine, _TAKE_DUE, now, self._delivery, limit)

    def _delivery(self, row: Any) -> Delivery[Due]:
        due = _due(row)
        held = Held(
            row_id=due.alert_id,
            request_id=due.request_id,
            task_id=due.task_id,
            attempts=due.attempts,
            created_at=due.created_at,
            details={"alert": due.alert_id, "level": due.level, "channel": due.channel},
            sent_details={"recipient": due.recipient},
        )
        return Delivery(ALERTS, held, due, self.ladder.retry, self.daemon)

    def next_deadline(self, *, now: datetime, rules: Rules) -> datetime | None:
        """The earliest moment after `now` that a level falls due, so the daemon can wake for
        it: a claim deadline, a level 2 (moved by a calendar change), or a hold's end."""
        earliest = now - rules.sla.escalate_after
        hold = self.ladder.ack_hold
        with Session(self.engine) as session:
            claim, recent = session.execute(
                text(_NEXT_CLAIM_DEADLINE), {"now": now, "earliest": earliest}
            ).one()
            older = session.execute(text(_OLDER_UNHELD), {"earliest": earliest}).scalars().all()
            held = session.execute(text(_HELD_WAITING), {"now": now}).all()
        ahead = [claim] if claim is not None else []
        cut = first_ahead(older, rules, now)
        first_unheld = older[cut] if cut < len(older) else recent
        if first_unheld is not None:
            ahead.append(level2_at(first_unheld, None, rules=rules, ack_hold=hold))
        ahead += [level2_at(due, acked, rules=rules, ack_hold=hold) for due, acked in held]
        return min((at for at in ahead if at > now), default=None)
