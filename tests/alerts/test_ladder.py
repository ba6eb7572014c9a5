"""The escalation ladder: level 1 at the claim deadline to the unit's supervisors, level 2 after
`escalate_after` (on the same clock) to the parent unit's; claimed hops get nothing more."""

from collections import Counter
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import Engine

from ptsa_tui.alerts.daemon import Daemon
from ptsa_tui.phone import normalise_phone
from ptsa_tui.store.workflow import Workflow
from tests.alerts.helpers import alerts, event_count, keys
from tests.alerts.servers import SmsGateway, SmtpServer
from tests.conftest import MONDAY_10
from tests.org_fixture import SMALL_ORG
from tests.store.helpers import register, wib

MakeDaemon = Callable[..., Daemon]
MINUTE = timedelta(minutes=1)


def address(username: str, channel: str) -> str:
    officer = next(o for o in SMALL_ORG["officers"] if o["username"] == username)
    return str(officer["email"] if channel == "email" else normalise_phone(officer["phone"]))


def delivered(smtp: SmtpServer, gateway: SmsGateway) -> Counter[tuple[str, str]]:
    """(channel, address) of everything the servers accepted, with counts."""
    got: Counter[tuple[str, str]] = Counter()
    for mail in smtp.inbox.snapshot():
        for to in mail.to:
            got["email", to] += 1
    for sms in gateway.received:
        got["sms", sms.phone] += 1
    return got


def expected(*usernames: str) -> Counter[tuple[str, str]]:
    return Counter(
        (channel, address(u, channel)) for u in usernames for channel in ("email", "sms")
    )


def test_breach_warns_each_supervisor_once_then_escalates_to_the_parent(
    workflow: Workflow,
    org: None,
    engine: Engine,
    make_daemon: MakeDaemon,
    smtp: SmtpServer,
    gateway: SmsGateway,
) -> None:
    registered = register(workflow)  # SVC-A: a P1 task in A1's queue, due 10:30
    daemon = make_daemon()

    daemon.step(now=MONDAY_10 + 29 * MINUTE)
    assert delivered(smtp, gateway) == Counter()

    daemon.step(now=MONDAY_10 + 31 * MINUTE)
    daemon.step(now=MONDAY_10 + 32 * MINUTE)  # again: nothing twice
    assert delivered(smtp, gateway) == expected("spv1a")

    daemon.step(now=MONDAY_10 + 59 * MINUTE)
    assert delivered(smtp, gateway) == expected("spv1a")
    # level 2 for an echelon-1 unit: the front office (the request's origin) supervisors
    daemon.step(now=MONDAY_10 + 61 * MINUTE)
    daemon.step(now=MONDAY_10 + 90 * MINUTE)
    assert delivered(smtp, gateway) == expected("spv1a", "spv0")
    task_id = registered.task.id
    assert keys(engine, "sent") == {
        (task_id, level, channel, user)
        for level, user in ((1, "spv1a"), (2, "spv0"))
        for channel in ("email", "sms")
    }
    assert event_count(engine, "alert_raised") == 2
    assert event_count(engine, "alert_sent") == 4


def test_echelon2_levels_go_to_the_unit_then_its_parent(
    workflow: Workflow, org: None, make_daemon: MakeDaemon, smtp: SmtpServer, gateway: SmsGateway
) -> None:
    registered = register(workflow)
    assert registered.task.id is not None
    workflow.claim(task_id=registered.task.id, by="p1a", now=MONDAY_10 + MINUTE)
    moved = workflow.dispatch(
        task_id=registered.task.id, to="A2X", by="p1a", now=MONDAY_10 + 2 * MINUTE
    )
    assert moved.offered is not None
    daemon = make_daemon()
    daemon.step(now=MONDAY_10 + 2 * MINUTE + 31 * MINUTE)
    assert delivered(smtp, gateway) == expected("spv2ax")
    daemon.step(now=MONDAY_10 + 2 * MINUTE + 61 * MINUTE)
    assert delivered(smtp, gateway) == expected("spv2ax", "spv1a")


def test_task_claimed_before_its_deadline_gives_no_alert(
    workflow: Workflow,
    org: None,
    engine: Engine,
    make_daemon: MakeDaemon,
    smtp: SmtpServer,
    gateway: SmsGateway,
) -> None:
    registered = register(workflow)
    assert registered.task.id is not None
    workflow.claim(task_id=registered.task.id, by="p1a", now=MONDAY_10 + 10 * MINUTE)
    daemon = make_daemon()
    for minutes in (31, 61, 600):
        daemon.step(now=MONDAY_10 + minutes * MINUTE)
    assert delivered(smtp, gateway) == Counter()
    assert alerts(engine) == []


def test_claimed_after_level1_gets_no_level2_and_a_released_hop_starts_its_own_clock(
    workflow: Workflow,
    org: None,
    engine: Engine,
    make_daemon: MakeDaemon,
    smtp: SmtpServer,
    gateway: SmsGateway,
) -> None:
    registered = register(workflow)
    first = registered.task.id
    assert first is not None
    daemon = make_daemon()
    daemon.step(now=MONDAY_10 + 31 * MINUTE)  # level 1 of the first hop
    workflow.claim(task_id=first, by="p1a", now=MONDAY_10 + 40 * MINUTE)
    moved = workflow.release(
        task_id=first, by="p1a", reason="wrong desk", now=MONDAY_10 + 45 * MINUTE
    )
    assert moved.offered is not None and moved.offered.id is not None
    second = moved.offered.id
    daemon.step(now=MONDAY_10 + 70 * MINUTE)  # first hop's level 2 time: it was claimed
    assert {k[:2] for k in keys(engine)} == {(first, 1)}
    daemon.step(now=MONDAY_10 + 76 * MINUTE)  # the new hop: due 10:45 + 30m
    assert {k[:2] for k in keys(engine)} == {(first, 1), (second, 1)}
    assert delivered(smtp, gateway) == expected("spv1a") + expected("spv1a")


def test_levels_missed_while_down_are_caught_up_in_one_pass(
    workflow: Workflow, org: None, make_daemon: MakeDaemon, smtp: SmtpServer, gateway: SmsGateway
) -> None:
    register(workflow)
    make_daemon().step(now=MONDAY_10 + timedelta(hours=5))
    assert delivered(smtp, gateway) == expected("spv1a", "spv0")


def test_level2_counts_office_time_like_the_claim_sla(
    workflow: Workflow, org: None, engine: Engine, make_daemon: MakeDaemon
) -> None:
    friday = wib(27, 16)  # claim due 16:30, the office's close on Fridays
    register(workflow, now=friday)
    daemon = make_daemon()
    daemon.step(now=wib(28, 12))  # Saturday: level 1 only
    assert {k[1] for k in keys(engine)} == {1}
    daemon.step(now=wib(30, 7, 59))  # Monday: 29 office minutes after the deadline
    assert {k[1] for k in keys(engine)} == {1}
    daemon.step(now=wib(30, 8, 1))
    assert {k[1] for k in keys(engine)} == {1, 2}


def test_tier1_level2_can_be_routed_to_a_configured_unit(
    workflow: Workflow,
    org: None,
    alert_settings: object,
    make_daemon: MakeDaemon,
    smtp: SmtpServer,
    gateway: SmsGateway,
) -> None:
    from ptsa_tui.config import AlertSettings, Settings

    assert isinstance(alert_settings, Settings)
    routed = alert_settings.model_copy(update={"alerts": AlertSettings(tier1_escalate_to="B1")})
    register(workflow)
    make_daemon(routed).step(now=MONDAY_10 + timedelta(hours=2))
    assert delivered(smtp, gateway) == expected("spv1a", "spv1b")
