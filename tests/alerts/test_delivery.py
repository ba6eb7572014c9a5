"""Delivery: retries with backoff, every attempt recorded, give-up, dry-run, concurrent senders."""

import threading
from collections import Counter
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import Engine, text

from ptsa_tui.alerts.daemon import Daemon
from ptsa_tui.config import AlertSettings, Settings
from ptsa_tui.store.leader import Leadership
from ptsa_tui.store.outbox import Ladder, Outbox
from ptsa_tui.store.workflow import Workflow
from tests.alerts.helpers import alerts, attempts, event_count
from tests.alerts.servers import SmsGateway, SmtpServer
from tests.conftest import MONDAY_10
from tests.store.helpers import register

MakeDaemon = Callable[..., Daemon]
LATE = MONDAY_10 + timedelta(minutes=31)  # level 1 of a task registered at MONDAY_10
LADDER = Ladder(channels=("email", "sms"))


def test_smtp_refusing_connections_is_retried_with_backoff_until_delivered(
    workflow: Workflow,
    org: None,
    engine: Engine,
    make_daemon: MakeDaemon,
    smtp: SmtpServer,
    gateway: SmsGateway,
) -> None:
    register(workflow)
    daemon = make_daemon()
    smtp.stop()  # connections refused from now on
    daemon.step(now=LATE)
    email = next(a for a in alerts(engine) if a["channel"] == "email")
    assert (email["status"], email["attempts"]) == ("pending", 1)
    assert "ConnectionRefusedError" in email["last_error"]
    daemon.step(now=LATE + timedelta(seconds=29))  # first retry waits 30 s
    daemon.step(now=LATE + timedelta(seconds=31))  # second failure: next wait 60 s
    daemon.step(now=LATE + timedelta(seconds=90))
    assert alerts(engine)[0]["attempts"] == 2
    smtp.start()
    daemon.step(now=LATE + timedelta(seconds=92))
    email = next(a for a in alerts(engine) if a["channel"] == "email")
    assert (email["status"], email["attempts"], email["last_error"]) == ("sent", 3, None)
    assert [ok for alert_id, ok, _ in attempts(engine) if alert_id == email["id"]] == [
        False,
        False,
        True,
    ]
    assert len(smtp.inbox.snapshot()) == 1
    assert len(gateway.received) == 1  # the SMS went out at once, and only once
    assert event_count(engine, "alert_failed") == 2


def test_an_alert_that_never_goes_through_is_given_up_and_recorded(
    workflow: Workflow,
    org: None,
    engine: Engine,
    alert_settings: Settings,
    make_daemon: MakeDaemon,
    smtp: SmtpServer,
    gateway: SmsGateway,
) -> None:
    register(workflow)
    gateway.status = 500
    smtp.stop()
    patient = alert_settings.model_copy(update={"alerts": AlertSettings(give_up_after="1h")})
    daemon = make_daemon(patient)
    daemon.step(now=LATE)
    daemon.step(now=LATE + timedelta(minutes=59))
    assert {a["status"] for a in alerts(engine)} == {"pending"}
    daemon.step(now=LATE + timedelta(hours=2))
    rows = alerts(engine)
    assert {a["status"] for a in rows} == {"failed"}
    # level 2 fell due at 11:00, so it was tried once before being given up with level 1
    assert {(a["level"], a["channel"]): a["attempts"] for a in rows} == {
        (1, "email"): 3,
        (1, "sms"): 3,
        (2, "email"): 2,
        (2, "sms"): 2,
    }
    assert "HTTP 500" in next(a["last_error"] for a in rows if a["channel"] == "sms")
    assert event_count(engine, "alert_given_up") == 4
    daemon.step(now=LATE + timedelta(hours=3))  # a failed alert is not tried again
    assert len(attempts(engine)) == 10


def test_dry_run_logs_what_it_would_send_and_records_nothing(
    workflow: Workflow,
    org: None,
    engine: Engine,
    make_daemon: MakeDaemon,
    smtp: SmtpServer,
    gateway: SmsGateway,
) -> None:
    register(workflow)
    leader = make_daemon()
    assert leader.step(now=MONDAY_10).leader  # nothing due yet; it holds the lock
    result = make_daemon(dry_run=True).step(now=MONDAY_10 + timedelta(hours=2))
    assert result.would_send == 4  # two levels, email and SMS, one supervisor each
    assert alerts(engine) == []
    assert event_count(engine, "alert_raised") == 0
    assert smtp.inbox.snapshot() == [] and gateway.received == []


def test_concurrent_senders_deliver_each_alert_exactly_once(
    workflow: Workflow,
    org: None,
    engine: Engine,
    make_daemon: MakeDaemon,
    smtp: SmtpServer,
    gateway: SmsGateway,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The outbox alone holds the promise: here every daemon believes it leads."""
    for _ in range(6):
        register(workflow)
    monkeypatch.setattr(Leadership, "check", lambda self: True)
    daemons = [make_daemon() for _ in range(3)]
    at = MONDAY_10 + timedelta(hours=2)
    barrier = threading.Barrier(len(daemons))

    def run(daemon: Daemon) -> None:
        barrier.wait()
        daemon.step(now=at)

    threads = [threading.Thread(target=run, args=(d,)) for d in daemons]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    rows = alerts(engine)
    assert len(rows) == 6 * 4 and {a["status"] for a in rows} == {"sent"}
    mail_ids = Counter(mail.alert_id for mail in smtp.inbox.snapshot())
    assert set(mail_ids) == {a["id"] for a in rows if a["channel"] == "email"}
    assert max(mail_ids.values()) == 1
    assert len(gateway.received) == 6 * 2
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM alert_attempt")) == 6 * 4


def test_only_one_daemon_leads(
    workflow: Workflow, org: None, make_daemon: MakeDaemon, smtp: SmtpServer
) -> None:
    register(workflow)
    first, second = make_daemon(), make_daemon()
    assert first.step(now=LATE).leader
    assert not second.step(now=LATE).leader
    first.close()
    assert second.step(now=LATE).leader


def test_an_unexpected_error_in_a_send_is_an_attempt_on_record(
    workflow: Workflow,
    org: None,
    engine: Engine,
    make_daemon: MakeDaemon,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ptsa_tui.alerts.channels import Channels

    def broken(self: Channels, due: object, text: object) -> None:
        raise RuntimeError("bug in a backend\nwith a second line")

    monkeypatch.setattr(Channels, "send", broken)
    register(workflow)
    make_daemon().step(now=LATE)
    rows = alerts(engine)
    assert len(rows) == 2
    assert {(a["status"], a["attempts"], a["last_error"]) for a in rows} == {
        ("pending", 1, "RuntimeError: bug in a backend")
    }


def test_a_batch_records_each_outcome_it_noted_and_leaves_the_rest_due_untouched(
    workflow: Workflow, org: None, engine: Engine
) -> None:
    register(workflow)
    register(workflow)  # two tasks: four alerts at level 1 (email and SMS to spv1a)
    outbox = Outbox(engine, LADDER, "test-host:1")
    outbox.raise_due(now=LATE, rules=workflow.rules)
    with outbox.delivering_batch(now=LATE, limit=3) as batch:
        assert len(batch) == 3
        batch[0].sent(LATE)
        assert batch[1].failed(LATE, "refused") == "retry"
        # batch[2] is neither sent nor failed: a stop came before its turn
        untouched = batch[2].held.row_id
    by_id = {a["id"]: a for a in alerts(engine)}
    assert by_id[batch[0].held.row_id]["status"] == "sent"
    assert by_id[batch[1].held.row_id]["last_error"] == "refused"
    assert (by_id[untouched]["status"], by_id[untouched]["attempts"]) == ("pending", 0)
    assert sorted(ok for _, ok, _ in attempts(engine)) == [False, True]
    assert (event_count(engine, "alert_sent"), event_count(engine, "alert_failed")) == (1, 1)
    with outbox.delivering_batch(now=LATE, limit=10) as batch:  # the next takes what is due
        assert {d.held.row_id for d in batch} == {
            a["id"] for a in alerts(engine) if a["attempts"] == 0
        }


def test_a_batch_whose_block_breaks_off_records_nothing(
    workflow: Workflow, org: None, engine: Engine
) -> None:
    register(workflow)
    outbox = Outbox(engine, LADDER, "test-host:1")
    outbox.raise_due(now=LATE, rules=workflow.rules)
    with pytest.raises(KeyboardInterrupt), outbox.delivering_batch(now=LATE, limit=5) as batch:
        batch[0].sent(LATE)
        raise KeyboardInterrupt  # the process stopped mid-batch: nothing it noted is written
    assert {(a["status"], a["attempts"]) for a in alerts(engine)} == {("pending", 0)}
    assert attempts(engine) == []
    assert event_count(engine, "alert_sent") == 0
