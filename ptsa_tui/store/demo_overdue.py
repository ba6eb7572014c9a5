"""Today's overdue requests and their alerts, so that the escalation screen has work to show.

The requests go through the workflow and are left unclaimed past their claim deadline, by
the office clock: their offers are placed in the office time before `now`, so they are late
even when `now` is at night or on a holiday. Their alerts are raised and delivered the way
the daemon does it, through the outbox, in passes at the moments a daemon would have woken:
most are sent; one supervisor's mailbox refuses every attempt until the outbox gives up, and
another alert is still being retried.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session
from sqlmodel import col, select

from ptsa_tui.config import Settings
from ptsa_tui.store import demo_story as story
from ptsa_tui.store.calendar import OfficeCalendar
from ptsa_tui.store.clock import claim_deadline
from ptsa_tui.store.domain import position_of
from ptsa_tui.store.models import Officer, Task, Unit
from ptsa_tui.store.org import Progress
from ptsa_tui.store.outbox import Ladder, Outbox
from ptsa_tui.store.rules import Rules
from ptsa_tui.store.workflow import Workflow

DAEMON = "demo-seed"  # the name its deliveries carry in alert_attempt
GAVE_UP = "550 5.1.1 mailbox unavailable"
RETRYING = "timed out connecting to the mail server"


@dataclass(frozen=True)
class Overdue:
    unit: str  # the queue it waits in
    service: str
    late_minutes: int  # office minutes past its claim deadline at `now`


# Late beyond `sla.escalate_after` (30 min by default) reaches level 2.
OVERDUE = (
    Overdue("BINAPENTA", "RPTKA-PENGESAHAN", 12),
    Overdue("PPTKA", "RPTKA-PENGESAHAN", 8),
    Overdue("PPTKA", "RPTKA-PENGESAHAN", 50),
    Overdue("PTKLN", "PMI-REKOMENDASI", 25),  # its level-1 email is being retried
    Overdue("BINWASNAKER-K3", "NORMA-PENGADUAN", 65),
    Overdue("DIT-BINRIKSA", "NORMA-PENGADUAN", 20),
)
RETRIED = 3  # index in OVERDUE
# Late since the day before, longer than the outbox retries: its level-1 email was given up.
STALE = Overdue("DIT-BINRIKSA", "NORMA-PENGADUAN", 5)

_CUSTOMERS = (
    ("PT Samudra Perikanan", "081311122233"),
    ("Ratna Siregar", "081255566677"),
    ("PT Garuda Mas Elektronik", "082112345678"),
    ("Joko Nugroho", "087788990011"),
    ("CV Sejahtera Garmen", "085712349876"),
    ("Lina Hasibuan", "081298761234"),
    ("Teguh Pratama", "081377788899"),
)


@dataclass(frozen=True)
class AlertCounts:
    raised: int
    sent: int
    failed: int  # given up
    retrying: int


def office_instant_before(calendar: OfficeCalendar, end: datetime, span: timedelta) -> datetime:
    """The instant from which `span` of office time runs until `end` (UTC)."""
    end = end.astimezone(UTC)
    if span <= timedelta(0):
        return end
    if not calendar.hours:
        raise ValueError("office calendar has no office hours on any weekday")
    zone, left = calendar.timezone, span
    day = end.astimezone(zone).date()
    while True:
        if calendar.is_working_day(day):
            opens, closes = calendar.hours[day.weekday()]
            first = datetime.combine(day, opens, zone).astimezone(UTC)
            last = min(datetime.combine(day, closes, zone).astimezone(UTC), end)
            if last > first:
                if left <= last - first:
                    return last - left
                left -= last - first
        day -= timedelta(days=1)


def add_overdue(
    workflow: Workflow, *, now: datetime, progress: Progress | None = None
) -> tuple[list[int], int]:
    """The overdue requests; returns their open tasks (OVERDUE's order) and the stale one's."""
    rules = workflow.rules
    units = _units(workflow)
    tasks = []
    for index, overdue in enumerate(OVERDUE):
        tasks.append(_overdue(workflow, rules, units, overdue, now, _CUSTOMERS[index]))
        if progress:
            progress("overdue", 1)
    # its alert must be older than the outbox's patience when the seed delivers at `now`
    before = now - workflow.settings.alerts.give_up_after - timedelta(minutes=15)
    stale = _overdue(workflow, rules, units, STALE, before, _CUSTOMERS[-1])
    if progress:
        progress("overdue", 1)
    return tasks, stale


def overdue_steps() -> int:
    return len(OVERDUE) + 1


def _units(workflow: Workflow) -> dict[str, tuple[int, int, tuple[str, ...]]]:
    """Unit code → (id, tier, active desks)."""
    with Session(workflow.engine) as session:
        rows = session.execute(
            select(Unit.code, Unit.id, Unit.tier, Officer.username)
            .join(Officer, (col(Officer.unit_id) == Unit.id) & Officer.active, isouter=True)
            .order_by(col(Officer.username))
        ).all()
    found: dict[str, tuple[int, int, tuple[str, ...]]] = {}
    for code, unit_id, tier, username in rows:
        known = found.get(code, (unit_id, tier, ()))
        found[code] = (unit_id, tier, known[2] + ((username,) if username else ()))
    return found


def _overdue(
    workflow: Workflow,
    rules: Rules,
    units: dict[str, tuple[int, int, tuple[str, ...]]],
    overdue: Overdue,
    now: datetime,
    customer: tuple[str, str],
) -> int:
    calendar = rules.calendar
    unit_id, tier, _desks = units[overdue.unit]
    sla = rules.claim_sla(unit_id, position_of(tier))
    offered = office_instant_before(calendar, now, sla + timedelta(minutes=overdue.late_minutes))
    front = units["FO"][2]
    first_hop = office_instant_before(calendar, offered, timedelta(minutes=12 if tier == 2 else 0))
    registered = workflow.register(
        by=front[0],
        now=first_hop,
        customer={"name": customer[0], "phone": customer[1]},
        service_code=overdue.service,
        subject=story.SUBJECTS[overdue.service][0],
        details=story.TODAY_DETAILS,
        channel="walk-in",
    )
    task_id = registered.task.id
    assert task_id is not None
    if tier == 2:  # echelon 1 did its part in time; the echelon-2 queue is late
        p1 = registered.unit.code
        claimed = office_instant_before(calendar, offered, timedelta(minutes=5))
        workflow.claim(task_id=task_id, by=units[p1][2][0], now=claimed)
        moved = workflow.dispatch(
            task_id=task_id,
            to=overdue.unit,
            by=units[p1][2][0],
            note=story.DISPATCH_NOTES[0],
            now=offered,
        )
        assert moved.offered is not None and moved.offered.id is not None
        task_id = moved.offered.id
    return task_id


def raise_and_deliver(
    workflow: Workflow,
    *,
    now: datetime,
    failing: dict[int, str],
    settings: Settings | None = None,
) -> AlertCounts:
    """Raise every alert due by `now` and deliver it, in the passes a daemon would have made.

    `failing`: task id → the error every level-1 send for it meets.
    """
    settings = settings or workflow.settings
    rules = workflow.rules
    outbox = Outbox(workflow.engine, _ladder(settings), DAEMON)
    sent = gave_up = raised = 0
    for at in _passes(workflow, rules, now, failing, settings):
        raised += sum(r.alerts for r in outbox.raise_due(now=at, rules=rules).raised)
        while True:
            with outbox.delivering(now=at) as delivery:
                if delivery is None:
                    break
                error = failing.get(delivery.due.task_id) if delivery.due.level == 1 else None
                if error is None:
                    delivery.sent(at)
                    sent += 1
                elif delivery.failed(at, error) == "failed":
                    gave_up += 1
    return AlertCounts(raised, sent, gave_up, raised - sent - gave_up)


def _ladder(settings: Settings) -> Ladder:
    alerts = settings.alerts
    return Ladder(
        channels=("email", "sms") if settings.sms.backend != "none" else ("email",),
        tier1_escalate_to=alerts.tier1_escalate_to,
        retry_after=alerts.retry_after,
        retry_max=alerts.retry_max,
        give_up_after=alerts.give_up_after,
    )


def _passes(
    workflow: Workflow, rules: Rules, now: datetime, failing: dict[int, str], settings: Settings
) -> list[datetime]:
    """When a daemon would have scanned: just after each overdue deadline and each level 2,
    every `retry_max` while a failing alert waits to be retried, and at `now`."""
    with Session(workflow.engine) as session:
        rows = session.execute(
            select(Task.id, Task.claim_due_at).where(
                col(Task.closed_at).is_(None),
                col(Task.claimed_by).is_(None),
                col(Task.claim_due_at) <= now,
            )
        ).all()
    escalate = settings.sla.escalate_after
    moments = {now}
    for task_id, due in rows:
        second = claim_deadline(due, escalate, calendar=rules.calendar, clock=rules.clock)
        moments.update(at + timedelta(minutes=1) for at in (due, second))
        if task_id in failing:
            moments.update(_every(due + timedelta(minutes=1), now, settings.alerts.retry_max))
    return sorted(at for at in moments if at <= now)


def _every(start: datetime, end: datetime, step: timedelta) -> Iterable[datetime]:
    step = max(step, (end - start) / 400)  # a long patience needs no more passes than this
    at = start
    while at < end:
        yield at
        at += step


def failing_sends(tasks: Sequence[int], stale: int) -> dict[int, str]:
    """The sends that fail: the stale task's until given up, and one of today's, retried."""
    return {stale: GAVE_UP, tasks[RETRIED]: RETRYING}
