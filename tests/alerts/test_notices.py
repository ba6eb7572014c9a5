"""Customer notices: raised with their events, sent once through a real SMTP server and a real
HTTP gateway, every attempt recorded, and none for a customer who opted out."""

from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import Engine

from ptsa_tui.alerts.daemon import Daemon
from ptsa_tui.alerts.sms_fit import septets
from ptsa_tui.config import Settings, SmsSettings
from ptsa_tui.store.workflow import Workflow
from tests.alerts.helpers import event_count
from tests.alerts.notice_helpers import (
    EMAIL,
    SIGNED_PHONE,
    SITI,
    notice_attempts,
    notice_statuses,
    notices,
    served_to_the_end,
)
from tests.alerts.servers import SmsGateway, SmtpServer
from tests.store.helpers import register, wib

NIK = "3174012345678901"


def test_registration_tells_the_customer_the_tracking_number_and_the_due_date_in_words(
    workflow: Workflow,
    org: None,
    engine: Engine,
    make_daemon: Callable[..., Daemon],
    smtp: SmtpServer,
    gateway: SmsGateway,
) -> None:
    # Monday 23 November 10:00 + SVC-A's 3 working days = Thursday 26 November
    registered = register(workflow, customer=SITI, now=wib(23, 10))
    tracking = registered.request.tracking_no

    result = make_daemon().step(now=wib(23, 10, 1))

    assert result.sent == 2
    [sms] = gateway.received
    assert sms.phone == SIGNED_PHONE
    assert tracking in sms.text
    assert "paling lambat Kamis, 26 November 2026" in sms.text
    assert "Service of A-X" in sms.text
    assert septets(sms.text) <= 160
    [mail] = smtp.inbox.snapshot()
    assert mail.to == [EMAIL]
    assert tracking in str(mail.message["Subject"])
    assert "selesai paling lambat Kamis, 26 November 2026" in mail.body
    rows = notices(engine, registered.request.id)
    assert sorted((n.purpose, n.channel, n.status) for n in rows) == [
        ("registered", "email", "sent"),
        ("registered", "sms", "sent"),
    ]
    assert event_count(engine, "notice_sent") == 2


def test_every_step_the_customer_hears_of_sends_one_notice_per_channel(
    workflow: Workflow,
    org: None,
    engine: Engine,
    make_daemon: Callable[..., Daemon],
    smtp: SmtpServer,
    gateway: SmsGateway,
) -> None:
    registered = served_to_the_end(workflow, customer={**SITI, "nik": NIK})
    daemon = make_daemon()
    daemon.step(now=wib(24, 11))
    daemon.step(now=wib(24, 11, 5))  # a second pass finds nothing left to send

    rows = notices(engine, registered.request.id)
    purposes = sorted({(n.purpose, n.channel) for n in rows})
    assert purposes == sorted(
        (purpose, channel)
        for purpose in ("registered", "paused", "ready", "closed")
        for channel in ("sms", "email")
    )
    assert len(rows) == 8 and {n.status for n in rows} == {"sent"}
    assert len(gateway.received) == 4 and len(smtp.inbox.snapshot()) == 4
    texts = {sms.text for sms in gateway.received}
    assert any("fotokopi KTP yang dilegalisir" in t for t in texts)  # what is missing
    bodies = [mail.body for mail in smtp.inbox.snapshot()]
    assert any("nomor izin 77/2026" in body for body in bodies)  # the answer itself, by email
    assert not any("nomor izin 77/2026" in t for t in texts)  # an SMS says where to collect it
    assert any("survei" in body for body in bodies)
    for sent in [*texts, *bodies, *(str(m.message["Subject"]) for m in smtp.inbox.snapshot())]:
        assert NIK not in sent and "Siti" not in sent  # personal data stays out of notices


def test_an_answer_given_at_the_counter_sends_the_thank_you_not_ready_to_collect(
    workflow: Workflow, org: None, engine: Engine
) -> None:
    registered = register(workflow, customer=SITI, answer="Sudah dijelaskan di loket.")
    purposes = {n.purpose for n in notices(engine, registered.request.id)}
    assert purposes == {"registered", "closed"}


def test_a_customer_who_opted_out_gets_nothing_and_a_customer_without_an_address_neither(
    workflow: Workflow, org: None, engine: Engine
) -> None:
    opted_out = register(workflow, customer={**SITI, "notify": False})
    unreachable = register(workflow, customer={"name": "Budi"})
    sms_only = register(workflow, customer={"name": "Ani", "phone": "081299990000"})
    assert notices(engine, opted_out.request.id) == []
    assert notices(engine, unreachable.request.id) == []
    assert [n.channel for n in notices(engine, sms_only.request.id)] == ["sms"]


def test_the_latest_intake_answer_holds_for_a_returning_customer(
    workflow: Workflow, org: None, engine: Engine
) -> None:
    register(workflow, customer=SITI)
    again = register(workflow, customer={**SITI, "notify": False})
    assert notices(engine, again.request.id) == []


def test_an_smtp_outage_ends_in_delivery_with_every_attempt_recorded(
    workflow: Workflow,
    org: None,
    engine: Engine,
    make_daemon: Callable[..., Daemon],
    smtp: SmtpServer,
    gateway: SmsGateway,
) -> None:
    registered = register(workflow, customer={"name": "Siti", "email": EMAIL}, now=wib(23, 10))
    daemon = make_daemon()
    smtp.stop()
    first = daemon.step(now=wib(23, 10, 1))
    second = daemon.step(now=wib(23, 10, 1) + timedelta(seconds=10))  # before the 30 s retry
    smtp.start()
    third = daemon.step(now=wib(23, 10, 2))

    assert (first.failed, second.failed, third.sent) == (1, 0, 1)
    [row] = notices(engine, registered.request.id)
    assert (row.status, row.attempts, row.last_error) == ("sent", 2, None)
    attempts = notice_attempts(engine)
    assert [ok for _, ok, _ in attempts] == [False, True]
    assert attempts[0][2]  # the outage's reason, on record
    assert event_count(engine, "notice_failed") == 1 and event_count(engine, "notice_sent") == 1
    assert len(smtp.inbox.snapshot()) == 1


def test_an_sms_with_no_sms_backend_is_given_up_at_once_and_says_why(
    workflow: Workflow,
    org: None,
    engine: Engine,
    make_daemon: Callable[..., Daemon],
    alert_settings: Settings,
) -> None:
    no_sms = alert_settings.model_copy(update={"sms": SmsSettings(backend="none")})
    registered = register(workflow, customer=SITI, now=wib(23, 10))
    make_daemon(no_sms).step(now=wib(23, 10, 1))
    by_channel = {n.channel: n for n in notices(engine, registered.request.id)}
    assert by_channel["email"].status == "sent"
    assert by_channel["sms"].status == "failed"
    assert "sms.backend is none" in (by_channel["sms"].last_error or "")
    assert event_count(engine, "notice_given_up") == 1
    assert notice_statuses(engine) == {"sent": 1, "failed": 1}


def test_a_gateway_that_refuses_is_retried_and_the_sms_is_sent_once(
    workflow: Workflow,
    org: None,
    engine: Engine,
    make_daemon: Callable[..., Daemon],
    gateway: SmsGateway,
) -> None:
    register(workflow, customer={"name": "Ani", "phone": "081299990000"}, now=wib(23, 10))
    daemon = make_daemon()
    gateway.status = 503
    daemon.step(now=wib(23, 10, 1))
    gateway.status = 200
    daemon.step(now=wib(23, 10, 2))
    daemon.step(now=wib(23, 10, 3))  # sent already: nothing more
    assert [sms.phone for sms in gateway.received] == ["+6281299990000"]
    assert [ok for _, ok, _ in notice_attempts(engine)] == [False, True]
