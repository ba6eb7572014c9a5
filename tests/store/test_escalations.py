"""The supervisors' escalation reads and actions, on a morning of overdue work."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, text

from ptsa_tui.config import Settings
from ptsa_tui.store import escalations as escalations_module
from ptsa_tui.store import heartbeat
from ptsa_tui.store.actors import find_actor
from ptsa_tui.store.api import Conflict, DeskStore, NotAllowed
from ptsa_tui.store.database import bare_connection
from ptsa_tui.store.inbox import load_inbox
from ptsa_tui.store.outbox import Outbox
from ptsa_tui.store.presence import touch
from ptsa_tui.store.workflow import Workflow
from tests.conftest import MONDAY_10
from tests.store.escalation_office import LADDER, SMS_ERROR, at, overdue_morning
from tests.store.helpers import officer_id, task

pytestmark = pytest.mark.usefixtures("org")


@pytest.fixture
def store(engine: Engine, settings: Settings, db_url: str) -> Iterator[DeskStore]:
    yield DeskStore(engine=engine, settings=settings, url=db_url)


@pytest.fixture
def office(workflow: Workflow, engine: Engine) -> dict[str, int]:
    return overdue_morning(workflow, engine)


def shown(store: DeskStore, engine: Engine, username: str) -> list[int]:
    found = store.escalations(find_actor(engine, username), MONDAY_10)
    return [e.row.task_id for e in found.rows]


def test_each_supervisor_sees_the_breached_and_at_risk_tasks_of_their_scope(
    store: DeskStore, engine: Engine, office: dict[str, int]
) -> None:
    # Tier 1 (A1): its own queue and the tier-2 units below (A2X, A2Y), latest deadline last.
    assert shown(store, engine, "spv1a") == [office["p2_late"], office["late"], office["at_risk"]]
    # Tier 2: only its own unit; B2X has nothing late, and B1's task is not its business.
    assert shown(store, engine, "spv2ax") == [office["p2_late"]]
    assert shown(store, engine, "spv2bx") == []
    # The front office: its own queue and the tier-1 units that escalate to it, not tier 2.
    assert shown(store, engine, "spv0") == [office["b_late"], office["late"], office["at_risk"]]
    units = store.escalations(find_actor(engine, "spv1a"), MONDAY_10).units
    assert [u.code for u in units] == ["A1", "A2X", "A2Y"]


def test_a_task_enters_the_screen_warn_before_its_deadline_on_the_office_clock(
    store: DeskStore, engine: Engine, office: dict[str, int]
) -> None:
    spv = find_actor(engine, "spv1a")
    # "fresh" is due 10:20: at risk from 10:15, not a minute before.
    before = [e.row.task_id for e in store.escalations(spv, at(10, 14)).rows]
    after = [e.row.task_id for e in store.escalations(spv, at(10, 15)).rows]
    assert office["fresh"] not in before
    assert office["fresh"] in after


def test_each_row_says_how_late_the_level_reached_and_every_alert_with_its_attempts(
    store: DeskStore, engine: Engine, office: dict[str, int]
) -> None:
    found = store.escalations(find_actor(engine, "spv1a"), MONDAY_10)
    by_task = {e.row.task_id: e for e in found.rows}

    p2 = by_task[office["p2_late"]]
    assert (p2.unit.code, p2.row.service_code, p2.row.unit) == ("A2X", "SVC-A", "A2X")
    assert p2.row.customer == "PT Terlambat"
    assert (p2.countdown.level, p2.countdown.remaining) == ("late", -timedelta(minutes=30))
    assert p2.level == 2 and not p2.acknowledged
    lines = [
        (a.level, a.channel, a.recipient, a.status, a.attempts, a.last_error) for a in p2.alerts
    ]
    assert lines == [
        (1, "email", "spv2ax", "sent", 1, None),
        (1, "sms", "spv2ax", "failed", 1, SMS_ERROR),
        (2, "email", "spv1a", "pending", 0, None),
        (2, "sms", "spv1a", "pending", 0, None),
    ]
    email, sms = p2.alerts[0], p2.alerts[1]
    assert [(t.at, t.ok, t.error) for t in email.tries] == [(at(9, 46), True, None)]
    assert [(t.at, t.ok, t.error) for t in sms.tries] == [(at(9, 46), False, SMS_ERROR)]
    assert email.sent_at == at(9, 46) and email.recipient_name == "Officer spv2ax"
    assert p2.alerts[2].tries == ()

    late = by_task[office["late"]]
    assert (late.countdown.level, late.countdown.remaining) == ("late", -timedelta(minutes=10))
    assert late.level == 1
    assert [(a.level, a.channel, a.status) for a in late.alerts] == [
        (1, "email", "pending"),
        (1, "sms", "pending"),
    ]
    risky = by_task[office["at_risk"]]
    assert (risky.countdown.level, risky.countdown.remaining) == ("at_risk", timedelta(minutes=3))
    assert (risky.level, risky.alerts) == (0, ())


def test_only_supervisors_read_escalations_and_the_flag_is_read_afresh(
    store: DeskStore, engine: Engine, office: dict[str, int]
) -> None:
    for officer in ("p1a", "p2ax", "p0"):
        with pytest.raises(NotAllowed, match="not a supervisor"):
            store.escalations(find_actor(engine, officer), MONDAY_10)
        with pytest.raises(NotAllowed):
            store.on_duty(find_actor(engine, officer), MONDAY_10)
    spv = find_actor(engine, "spv1a")  # logged in as a supervisor …
    with engine.begin() as conn:  # … who is one no longer
        conn.execute(text("UPDATE officer SET supervisor = false WHERE username = 'spv1a'"))
    assert store.may_supervise(spv)  # what the desk offers follows the login …
    with pytest.raises(NotAllowed):  # … what the store gives does not
        store.escalations(spv, MONDAY_10)
    with pytest.raises(NotAllowed):
        store.scope_assign_targets(spv, "A2X", MONDAY_10)
    assert not store.may_supervise(find_actor(engine, "p1a"))


def test_a_read_of_some_requests_gives_only_theirs_and_a_claimed_task_leaves(
    store: DeskStore, engine: Engine, workflow: Workflow, office: dict[str, int]
) -> None:
    spv = find_actor(engine, "spv1a")
    late = task(engine, office["late"])
    only = store.escalations(spv, MONDAY_10, request_ids={late.request_id})
    assert [e.row.task_id for e in only.rows] == [office["late"]]
    assert store.escalations(spv, MONDAY_10, request_ids=set()).rows == []
    workflow.claim(task_id=office["late"], by="p1a2", now=MONDAY_10)
    assert store.escalations(spv, MONDAY_10, request_ids={late.request_id}).rows == []
    assert office["late"] not in shown(store, engine, "spv1a")


def test_any_number_of_tasks_is_read_in_two_statements(
    store: DeskStore,
    engine: Engine,
    workflow: Workflow,
    office: dict[str, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No statement per task or per alert: the count does not grow with the rows."""
    statements: list[str] = []

    class Counting:
        def __init__(self, conn: Any) -> None:
            self.conn = conn

        def execute(self, query: str, params: Any = None) -> Any:
            statements.append(query)
            return self.conn.execute(query, params)

    @contextmanager
    def counting(engine: Engine) -> Iterator[Counting]:
        with bare_connection(engine) as conn:
            yield Counting(conn)

    monkeypatch.setattr(escalations_module, "bare_connection", counting)
    spv = find_actor(engine, "spv1a")
    store.escalations(spv, MONDAY_10)
    few = len(statements)
    for minute in range(20):  # twenty more late tasks, each with alerts
        workflow.register(
            by="p0",
            service_code="SVC-A",
            customer={"name": f"Antre {minute}"},
            subject="s",
            now=at(9, minute),
        )
    Outbox(engine, LADDER, "t:2").raise_due(now=MONDAY_10, rules=workflow.rules)
    statements.clear()
    rows = store.escalations(spv, MONDAY_10).rows
    assert len(rows) == 23 and all(r.alerts for r in rows[:22])
    assert len(statements) == few == 2


def test_acknowledge_records_the_time_the_supervisor_and_the_level(
    store: DeskStore, engine: Engine, office: dict[str, int]
) -> None:
    spv = find_actor(engine, "spv1a")
    store.acknowledge(spv, office["p2_late"], at(10, 1))
    acked = task(engine, office["p2_late"])
    assert (acked.acked_level, acked.acked_at, acked.acked_by) == (
        2,
        at(10, 1),
        officer_id(engine, "spv1a"),
    )
    [row] = [
        e for e in store.escalations(spv, at(10, 2)).rows if e.row.task_id == office["p2_late"]
    ]
    assert row.acknowledged and (row.acked_by, row.acked_at) == ("spv1a", at(10, 1))
    assert store.escalation_actions(spv, row) == {"assign", "nudge"}  # nothing left to ack
    with pytest.raises(Conflict, match="already acknowledged"):
        store.acknowledge(spv, office["p2_late"], at(10, 2))
    with pytest.raises(Conflict, match="no escalation"):
        store.acknowledge(spv, office["at_risk"], at(10, 2))


def test_supervisors_act_only_within_their_scope(
    store: DeskStore, engine: Engine, office: dict[str, int]
) -> None:
    outsider, desk = find_actor(engine, "spv2bx"), find_actor(engine, "p2ax")
    for who in (outsider, desk):
        with pytest.raises(NotAllowed):
            store.acknowledge(who, office["p2_late"], MONDAY_10)
        with pytest.raises(NotAllowed):
            store.nudge(who, office["p2_late"], None, MONDAY_10)
        with pytest.raises(NotAllowed):
            store.assign(task_id=office["p2_late"], to="p2ax", by=who.officer_id, now=MONDAY_10)
    with pytest.raises(NotAllowed, match="does not supervise"):
        store.scope_assign_targets(find_actor(engine, "spv2ax"), "A1", MONDAY_10)
    spv = find_actor(engine, "spv1a")
    by_task = {e.row.task_id: e for e in store.escalations(spv, MONDAY_10).rows}
    assert store.escalation_actions(spv, by_task[office["p2_late"]]) == {
        "assign",
        "acknowledge",
        "nudge",
    }
    assert store.escalation_actions(spv, by_task[office["at_risk"]]) == {"assign", "nudge"}


def test_a_tier1_supervisor_assigns_a_tier2_task_to_an_officer_of_that_unit(
    store: DeskStore, engine: Engine, office: dict[str, int]
) -> None:
    spv = find_actor(engine, "spv1a")
    touch(engine, officer_id=officer_id(engine, "p2ax2"), host="h", pid=1, now=MONDAY_10)
    targets = store.scope_assign_targets(spv, "A2X", MONDAY_10)
    assert [(o.username, o.on_duty) for o in targets] == [
        ("p2ax2", True),
        ("p2ax", False),
        ("spv2ax", False),
    ]
    with pytest.raises(NotAllowed, match="not in A2X"):  # an officer of another unit
        store.assign(task_id=office["p2_late"], to="p1a", by=spv.officer_id, now=MONDAY_10)
    store.assign(task_id=office["p2_late"], to="p2ax", by=spv.officer_id, now=MONDAY_10)
    assert task(engine, office["p2_late"]).claimed_by == officer_id(engine, "p2ax")
    assert office["p2_late"] not in shown(store, engine, "spv1a")


def test_a_nudge_marks_the_task_in_the_units_inbox_with_the_note(
    store: DeskStore, engine: Engine, office: dict[str, int]
) -> None:
    spv, desk = find_actor(engine, "spv1a"), find_actor(engine, "p1a")
    store.nudge(spv, office["late"], "Tolong segera diambil", at(10, 1))
    nudged = task(engine, office["late"])
    assert (nudged.nudged_at, nudged.nudged_by) == (at(10, 1), officer_id(engine, "spv1a"))
    rows = {r.task_id: r for r in load_inbox(engine, user=desk, now=at(10, 2))}
    assert rows[office["late"]].nudged_at == at(10, 1)
    assert rows[office["at_risk"]].nudged_at is None
    notice = store.nudge_notice(desk, request_id=nudged.request_id, task_id=office["late"])
    assert notice is not None
    assert (notice.tracking_no, notice.by, notice.by_name, notice.note, notice.at) == (
        rows[office["late"]].tracking_no,
        "spv1a",
        "Officer spv1a",
        "Tolong segera diambil",
        at(10, 1),
    )
    # Another unit's desk reads nothing of it.
    other = find_actor(engine, "p1b")
    assert store.nudge_notice(other, request_id=nudged.request_id, task_id=nudged.id or 0) is None
    [row] = [e for e in store.escalations(spv, at(10, 2)).rows if e.row.task_id == office["late"]]
    assert (row.row.nudged_at, row.nudged_by) == (at(10, 1), "spv1a")


def test_on_duty_lists_the_scopes_officers_with_an_app_open(
    store: DeskStore, engine: Engine, office: dict[str, int]
) -> None:
    def app_of(
        username: str, opened: int, seen_seconds_ago: int, active_at: datetime | None = None
    ) -> None:
        me = officer_id(engine, username)
        touch(engine, officer_id=me, host="desk", pid=me, now=MONDAY_10 - timedelta(hours=opened))
        seen = MONDAY_10 - timedelta(seconds=seen_seconds_ago)
        touch(engine, officer_id=me, host="desk", pid=me, now=seen, active_at=active_at)

    app_of("p1a", 2, 10, active_at=MONDAY_10 - timedelta(minutes=7))  # A1, holds "claimed"
    app_of("p2ax", 1, 30)  # A2X, below A1
    app_of("p1b", 1, 5)  # B1: not spv1a's
    app_of("p2ay", 1, 61)  # A2Y: closed a minute ago (the TTL passed)
    duty = store.on_duty(find_actor(engine, "spv1a"), MONDAY_10)
    assert [(d.username, d.unit_code, d.holding) for d in duty] == [
        ("p1a", "A1", 1),
        ("p2ax", "A2X", 0),
    ]
    assert duty[0].since == MONDAY_10 - timedelta(hours=2)
    assert duty[0].last_seen_at == MONDAY_10 - timedelta(seconds=10)
    assert duty[0].idle(MONDAY_10) == timedelta(minutes=7)
    assert duty[1].idle(MONDAY_10) is None  # no key pressed since the app opened


def beat(engine: Engine, role: str, at_: datetime, name: str = "alerts-1:7") -> None:
    heartbeat.write(
        engine,
        heartbeat.Beat(
            daemon=name,
            host=name.split(":")[0],
            pid=7,
            role=role,
            interval=timedelta(seconds=5),
            started_at=at_ - timedelta(hours=1),
            at=at_,
            last_scan_at=at_ - timedelta(seconds=1),
        ),
    )


def test_daemon_health_fresh_stale_missing_and_the_outbox_counted_now(
    store: DeskStore, engine: Engine, office: dict[str, int]
) -> None:
    missing = store.daemon_health(MONDAY_10)
    assert (missing.state, missing.host, missing.beat_at, missing.daemons) == (
        "missing",
        None,
        None,
        0,
    )
    # p2_late L2 ×2, late L1 ×2, b_late L2 ×2 pending; the two SMS of 09:46 given up.
    assert (missing.pending, missing.failed) == (6, 2)
    beat(engine, "leader", MONDAY_10 - timedelta(seconds=3))
    fresh = store.daemon_health(MONDAY_10)
    assert (fresh.state, fresh.healthy, fresh.host) == ("ok", True, "alerts-1")
    assert fresh.last_scan_at == MONDAY_10 - timedelta(seconds=4)
    # Three missed intervals of 5 s and the 15 s grace: 30 s; at 31 s it is stale.
    assert store.daemon_health(MONDAY_10 + timedelta(seconds=27)).state == "ok"
    stale = store.daemon_health(MONDAY_10 + timedelta(seconds=28))
    assert (stale.state, stale.healthy, stale.host) == ("stale", False, "alerts-1")
    beat(engine, "standby", MONDAY_10 + timedelta(seconds=27), name="alerts-2:8")
    assert store.daemon_health(MONDAY_10 + timedelta(seconds=28)).state == "no_leader"
