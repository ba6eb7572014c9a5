"""The daemon's next wake-up: the next claim deadline or level-2 time, counted with the rules
it holds now, so a calendar override added while it runs moves it."""

from collections.abc import Callable
from datetime import date, datetime, timedelta

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from ptsa_tui.alerts.daemon import Daemon
from ptsa_tui.store import audit
from ptsa_tui.store.models import CalendarOverride
from ptsa_tui.store.workflow import Workflow
from tests.alerts.helpers import keys
from tests.alerts.processes import wait_until
from tests.store.helpers import register, wib

MakeDaemon = Callable[..., Daemon]
TUESDAY = date(2026, 11, 24)


def close_day(engine: Engine, day: date, at: datetime) -> None:
    """As an admin command does: the override and its audit event in one transaction (the
    override's trigger NOTIFYs the rules change)."""
    with Session(engine) as session, session.begin():
        session.add(CalendarOverride(day=day, closed=True, note="cuti bersama"))
        audit.record(
            session,
            kind="calendar_changed",
            at=at,
            officer_id=None,
            details={"day": day.isoformat(), "closed": True, "reason": "cuti bersama"},
        )


def test_the_next_claim_deadline_comes_first(
    workflow: Workflow, org: None, make_daemon: MakeDaemon
) -> None:
    register(workflow, now=wib(23, 10))  # breaches 10:30, level 2 at 11:00
    register(workflow, now=wib(23, 10, 20))  # breaches 10:50
    daemon = make_daemon()
    daemon.step(now=wib(23, 10, 31))
    assert daemon.next_deadline == wib(23, 10, 50)
    daemon.step(now=wib(23, 10, 51))
    assert daemon.next_deadline == wib(23, 11)


def test_level2_over_a_weekend_is_found_among_older_breaches(
    workflow: Workflow, org: None, make_daemon: MakeDaemon
) -> None:
    register(workflow, now=wib(27, 15, 30))  # Friday: due 16:00, level 2 at 16:30 (close)
    register(workflow, now=wib(27, 16))  # due 16:30, level 2 Monday 08:00
    daemon = make_daemon()
    daemon.step(now=wib(27, 16, 1))
    saturday = wib(28, 12)
    # asked before this pass raises the first one's level 2: that one is behind, not ahead
    assert daemon.outbox.next_deadline(now=saturday, rules=daemon.store.rules()) == wib(30, 8)


def test_a_day_closed_while_the_daemon_runs_moves_its_next_deadline(
    workflow: Workflow, org: None, engine: Engine, make_daemon: MakeDaemon
) -> None:
    register(workflow, now=wib(23, 15, 20))  # due 15:50; level 2: 10 min Monday, 20 Tuesday
    daemon = make_daemon()
    daemon.step(now=wib(23, 15, 51))
    assert {k[1] for k in keys(engine)} == {1}
    assert daemon.next_deadline == wib(24, 7, 50)

    close_day(engine, TUESDAY, at=wib(23, 15, 52))

    def moved() -> bool:  # the daemon's LISTEN hears the change; poll its passes until then
        daemon.step(now=wib(23, 15, 52))
        return daemon.next_deadline == wib(25, 7, 50)

    wait_until(moved, 10, "the daemon to count with the new calendar")
    daemon.step(now=wib(24, 8))
    assert {k[1] for k in keys(engine)} == {1}  # Tuesday is a day off now
    daemon.step(now=wib(25, 7, 50) - timedelta(seconds=1))
    assert {k[1] for k in keys(engine)} == {1}
    daemon.step(now=wib(25, 7, 50))
    assert {k[1] for k in keys(engine)} == {1, 2}
