"""An acknowledged level 1 holds level 2 for `alerts.ack_hold` from the acknowledgement, on
the claim SLA's clock; a claim meanwhile stops level 2 for good. Time is moved, not waited.

A task registered at MONDAY_10 (10:00) breaches at 10:30; its level 2 is normally due 11:00.
"""

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from sqlalchemy import Engine

from ptsa_tui.alerts.daemon import Daemon
from ptsa_tui.config import AlertSettings, OfficeSettings, Settings
from ptsa_tui.store.workflow import Workflow
from tests.alerts.helpers import keys
from tests.alerts.servers import SmtpServer
from tests.conftest import MONDAY_10
from tests.store.helpers import register, wib

MakeDaemon = Callable[..., Daemon]
LEVEL2_NORMALLY = wib(23, 11)


def levels(engine: Engine) -> set[int]:
    return {level for _task, level, _channel, _user in keys(engine)}


def mailed(smtp: SmtpServer) -> list[str]:
    return sorted(to for mail in smtp.inbox.snapshot() for to in mail.to)


def breached(workflow: Workflow, at: datetime = MONDAY_10) -> int:
    """A task registered `at`, in A1's queue: level 1 to spv1a, level 2 to FO's spv0."""
    task_id = register(workflow, now=at).task.id
    assert task_id is not None
    return task_id


def test_an_unacknowledged_level1_escalates_at_the_normal_time(
    workflow: Workflow, org: None, engine: Engine, make_daemon: MakeDaemon, smtp: SmtpServer
) -> None:
    breached(workflow)
    daemon = make_daemon()
    daemon.step(now=wib(23, 10, 31))
    assert levels(engine) == {1}
    assert daemon.next_deadline == LEVEL2_NORMALLY  # it wakes for level 2, not the next tick
    daemon.step(now=LEVEL2_NORMALLY - timedelta(seconds=1))
    assert levels(engine) == {1}
    daemon.step(now=LEVEL2_NORMALLY)
    assert levels(engine) == {1, 2}
    assert mailed(smtp) == ["spv0@test.go.id", "spv1a@test.go.id"]


def test_an_acknowledged_level1_holds_level2_for_ack_hold_then_releases_it(
    workflow: Workflow, org: None, engine: Engine, make_daemon: MakeDaemon, smtp: SmtpServer
) -> None:
    task_id = breached(workflow)
    daemon = make_daemon(clock=lambda: wib(23, 10, 51))
    daemon.step(now=wib(23, 10, 31))
    workflow.acknowledge(task_id=task_id, by="spv1a", now=wib(23, 10, 50))
    daemon.step(now=wib(23, 10, 51))
    hold_ends = wib(23, 11, 5)  # 10:50 + 15m, past the normal 11:00
    assert daemon.next_deadline == hold_ends
    assert daemon.seconds_to_next_deadline() == 14 * 60  # what the ticker sleeps for
    for minute in (0, 1, 4):
        daemon.step(now=wib(23, 11, minute))
        assert levels(engine) == {1}, minute
    daemon.step(now=hold_ends)
    assert levels(engine) == {1, 2}
    daemon.step(now=hold_ends + timedelta(minutes=30))
    assert mailed(smtp) == ["spv0@test.go.id", "spv1a@test.go.id"]  # each once


def test_acknowledged_after_the_normal_time_is_held_from_the_acknowledgement(
    workflow: Workflow, org: None, engine: Engine, make_daemon: MakeDaemon
) -> None:
    task_id = breached(workflow)
    daemon = make_daemon()
    daemon.step(now=wib(23, 10, 31))
    # no pass ran at 11:00 (the daemon was down): the acknowledgement comes first
    workflow.acknowledge(task_id=task_id, by="spv1a", now=wib(23, 11, 10))
    daemon.step(now=wib(23, 11, 24))
    assert levels(engine) == {1}
    assert daemon.next_deadline == wib(23, 11, 25)
    daemon.step(now=wib(23, 11, 25))
    assert levels(engine) == {1, 2}


def test_a_claim_during_the_hold_stops_level2_for_good(
    workflow: Workflow, org: None, engine: Engine, make_daemon: MakeDaemon, smtp: SmtpServer
) -> None:
    task_id = breached(workflow)
    daemon = make_daemon()
    daemon.step(now=wib(23, 10, 31))
    workflow.acknowledge(task_id=task_id, by="spv1a", now=wib(23, 10, 50))
    workflow.claim(task_id=task_id, by="p1a", now=wib(23, 11, 2))
    for at in (wib(23, 11, 6), wib(23, 15), wib(24, 10)):
        daemon.step(now=at)
        assert daemon.next_deadline is None
    assert levels(engine) == {1}
    assert mailed(smtp) == ["spv1a@test.go.id"]


@pytest.mark.parametrize(
    ("ack_hold", "level2_at"),
    [("5m", LEVEL2_NORMALLY), ("1h", wib(23, 11, 50))],
    ids=["ends-before-the-normal-time", "ends-after-it"],
)
def test_level2_waits_for_the_later_of_its_normal_time_and_the_holds_end(
    workflow: Workflow,
    org: None,
    engine: Engine,
    alert_settings: Settings,
    make_daemon: MakeDaemon,
    ack_hold: str,
    level2_at: datetime,
) -> None:
    task_id = breached(workflow)
    held = alert_settings.model_copy(update={"alerts": AlertSettings(ack_hold=ack_hold)})
    daemon = make_daemon(held)
    daemon.step(now=wib(23, 10, 31))
    workflow.acknowledge(task_id=task_id, by="spv1a", now=wib(23, 10, 50))
    daemon.step(now=level2_at - timedelta(seconds=1))
    assert levels(engine) == {1}
    assert daemon.next_deadline == level2_at
    daemon.step(now=level2_at)
    assert levels(engine) == {1, 2}


@pytest.mark.parametrize(
    ("clock", "hold_ends"),
    [
        # 5 office minutes are left on Monday (close 16:00), the other 10 from Tuesday 07:30
        ("office", wib(24, 7, 40)),
        ("wall", wib(23, 16, 10)),
    ],
)
def test_the_hold_runs_on_the_sla_clock(
    workflow: Workflow,
    org: None,
    engine: Engine,
    alert_settings: Settings,
    make_daemon: MakeDaemon,
    clock: str,
    hold_ends: datetime,
) -> None:
    task_id = breached(workflow, at=wib(23, 15))  # claim due 15:30, level 2 normally 16:00
    counted = alert_settings.model_copy(update={"office": OfficeSettings(sla_clock=clock)})
    daemon = make_daemon(counted)
    daemon.step(now=wib(23, 15, 31))
    workflow.acknowledge(task_id=task_id, by="spv1a", now=wib(23, 15, 55))
    daemon.step(now=wib(23, 16, 1))  # the normal time has passed: held
    assert levels(engine) == {1}
    assert daemon.next_deadline == hold_ends
    daemon.step(now=hold_ends - timedelta(seconds=1))
    assert levels(engine) == {1}
    daemon.step(now=hold_ends)
    assert levels(engine) == {1, 2}
