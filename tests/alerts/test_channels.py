"""The channels: message words, SMS length, SMTP security and login, SMS backends."""

import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import psycopg
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from pydantic import SecretStr

from ptsa_tui.alerts.failure import SendFailed
from ptsa_tui.alerts.mailer import Mailer, client_options
from ptsa_tui.alerts.messages import SMS_LIMIT, compose, how_late
from ptsa_tui.alerts.sms import Command, GammuOutbox, HttpGateway
from ptsa_tui.config import SmsSettings, SmtpSettings
from ptsa_tui.store.outbox import Due
from tests.alerts.gammu import gammu_database
from tests.alerts.servers import Inbox, SmsGateway, SmtpServer, free_port

WIB = ZoneInfo("Asia/Jakarta")


def due(**changes: Any) -> Due:
    values: dict[str, Any] = {
        "alert_id": 7,
        "task_id": 3,
        "request_id": 2,
        "unit_id": 5,
        "level": 1,
        "channel": "email",
        "address": "spv@test.go.id",
        "attempts": 0,
        "created_at": datetime(2026, 11, 23, 3, 31, tzinfo=UTC),
        "recipient": "Sri Supervisor",
        "language": "id",
        "tracking_no": "PTSA-2026-000042",
        "unit_code": "PUSDATIN",
        "unit_name": "Pusat Data dan Informasi Ketenagakerjaan",
        "service": "Layanan data dan informasi ketenagakerjaan",
        "claim_due_at": datetime(2026, 11, 23, 3, 30, tzinfo=UTC),
        "desks": ("Ana (ana)", "Budi (budi)"),
    }
    values.update(changes)
    return Due(**values)


def test_indonesian_message_carries_tracking_unit_service_lateness_and_desks() -> None:
    text = compose(due(), timedelta(hours=1, minutes=5), WIB)
    for part in ("PTSA-2026-000042", "PUSDATIN", "terlambat 1 jam 5 menit"):
        assert part in text.subject
    for part in (
        "Yth. Sri Supervisor",
        "Layanan data dan informasi ketenagakerjaan",
        "Ana (ana), Budi (budi)",
        "2026-11-23 10:30 WIB",
    ):
        assert part in text.body
    assert "PTSA-2026-000042" in text.sms and "PUSDATIN" in text.sms


def test_english_for_officers_who_chose_it_and_level2_says_escalation() -> None:
    text = compose(due(language="en", level=2), timedelta(minutes=45), WIB)
    assert text.subject.startswith("[PTSA] Escalation:") and "45 min late" in text.subject
    assert "Dear Sri Supervisor" in text.body and "Level-2 escalation" in text.body


def test_sms_fits_one_message_even_with_long_names() -> None:
    long = due(service="Pelayanan " * 40, unit_code="DIREKTORATJENDERAL" * 3)
    text = compose(long, timedelta(days=3, hours=2), WIB)
    assert len(text.sms) <= SMS_LIMIT
    assert text.sms.isascii()


def test_lateness_words() -> None:
    assert how_late(timedelta(seconds=40), "id") == "40 detik"
    assert how_late(timedelta(days=1, minutes=2), "en") == "1 d 2 min"


def test_smtp_security_modes_map_to_yagmail_explicitly() -> None:
    plain = client_options(SmtpSettings(host="relay", port=25, security="none"))
    assert (plain["smtp_ssl"], plain["smtp_starttls"], plain["smtp_skip_login"]) == (
        False,
        False,
        True,
    )
    assert plain["timeout"] == 20 and plain["password"] == ""
    starttls = client_options(
        SmtpSettings(host="mail", port=587, security="starttls", user="u", password="secret")
    )
    assert starttls["smtp_ssl"] is False and "context" in starttls["smtp_starttls"]
    assert starttls["smtp_skip_login"] is False and starttls["password"] == "secret"
    ssl = client_options(SmtpSettings(host="mail", port=465, security="ssl", user="u"))
    assert ssl["smtp_ssl"] is True and ssl["smtp_starttls"] is False and "context" in ssl
    assert ssl["password"] == ""  # a string, never None: None sends yagmail to the keyring


@pytest.fixture
def auth_smtp() -> Iterator[tuple[int, Inbox, list[tuple[str, str]]]]:
    logins: list[tuple[str, str]] = []

    def authenticate(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
        user, password = data.login.decode(), data.password.decode()
        logins.append((user, password))
        return AuthResult(success=password == "right")

    inbox = Inbox()
    port = free_port()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        authenticator=authenticate,
        auth_required=True,
        auth_require_tls=False,
    )
    controller.start()
    yield port, inbox, logins
    controller.stop()


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_login_when_a_user_is_set_and_a_wrong_password_fails_without_a_prompt(
    auth_smtp: tuple[int, Inbox, list[tuple[str, str]]],
) -> None:
    port, inbox, logins = auth_smtp
    settings = SmtpSettings(
        host="127.0.0.1", port=port, security="none", user="ptsa", password="right", timeout=5
    )
    Mailer(settings).send(to="a@test.go.id", subject="s", body="b", message_id="<m1@ptsa>")
    assert logins == [("ptsa", "right")] and len(inbox.mails) == 1
    wrong = settings.model_copy(update={"password": SecretStr("wrong")})
    with pytest.raises(SendFailed) as failed:
        Mailer(wrong).send(to="a@test.go.id", subject="s", body="b", message_id="<m2@ptsa>")
    assert "wrong" not in str(failed.value) and "right" not in str(failed.value)
    assert len(inbox.mails) == 1


def test_relay_without_login_sends_from_the_sender(smtp: SmtpServer) -> None:
    settings = SmtpSettings(host="127.0.0.1", port=smtp.port, security="none", sender="ptsa@x.id")
    Mailer(settings).send(to="a@test.go.id", subject="Hal", body="Isi", message_id="<m@ptsa>")
    (mail,) = smtp.inbox.snapshot()
    assert "ptsa@x.id" in str(mail.message["From"]) and mail.to == ["a@test.go.id"]
    assert mail.body.strip() == "Isi"


def test_http_gateway_get_and_form_post(gateway: SmsGateway) -> None:
    HttpGateway(SmsSettings(backend="http", url=gateway.url)).send("+628123", "Halo & co")
    post_url = gateway.url.replace("send?", "send?key=k&")
    HttpGateway(SmsSettings(backend="http", url=post_url, method="post")).send("+628124", "Dua")
    assert [(s.phone, s.text, s.method) for s in gateway.received] == [
        ("+628123", "Halo & co", "GET"),
        ("+628124", "Dua", "POST"),
    ]


def test_http_gateway_error_names_no_url(gateway: SmsGateway) -> None:
    gateway.status = 503
    secret_url = gateway.url + "&apikey=SECRET"
    with pytest.raises(SendFailed) as failed:
        HttpGateway(SmsSettings(backend="http", url=secret_url)).send("+628123", "x")
    assert "503" in str(failed.value) and "SECRET" not in str(failed.value)


def test_command_backend_gets_phone_and_text_as_arguments_without_a_shell(
    tmp_path: Path,
) -> None:
    out = tmp_path / "sent.txt"
    script = "import sys; open(sys.argv[1], 'a').write('|'.join(sys.argv[2:]) + '\\n')"
    sms = SmsSettings(backend="command", command=[sys.executable, "-c", script, str(out)])
    Command(sms).send("+628123", "teks; rm -rf / $(x)")
    assert out.read_text() == "+628123|teks; rm -rf / $(x)\n"
    failing = SmsSettings(backend="command", command=[sys.executable, "-c", "raise SystemExit(3)"])
    with pytest.raises(SendFailed, match="exited 3"):
        Command(failing).send("+628123", "x")


def test_gammu_backend_inserts_into_the_smsd_outbox(server_url: str) -> None:
    with gammu_database(server_url) as gammu:
        GammuOutbox(SmsSettings(backend="gammu", database_url=gammu.url)).send("+628123", "Halo")
        assert gammu.replies() == [("+628123", "Halo")]
        with psycopg.connect(gammu.url) as conn:
            assert conn.execute('SELECT "CreatorID" FROM outbox').fetchall() == [("ptsa",)]


def test_a_burst_reuses_one_connection_per_thread_and_a_failure_reconnects(
    smtp: SmtpServer,
) -> None:
    mailer = Mailer(SmtpSettings(host="127.0.0.1", port=smtp.port, security="none", timeout=5))
    for n in range(3):
        mailer.send(to="a@test.go.id", subject="s", body="b", message_id=f"<m{n}@ptsa>")
    assert len({mail.peer for mail in smtp.inbox.snapshot()}) == 1
    smtp.stop()
    with pytest.raises(SendFailed):
        mailer.send(to="a@test.go.id", subject="s", body="b", message_id="<m3@ptsa>")
    smtp.start()
    mailer.send(to="a@test.go.id", subject="s", body="b", message_id="<m4@ptsa>")
    mailer.close()
    mails = smtp.inbox.snapshot()
    assert [str(m.message["Message-ID"]) for m in mails] == [
        "<m0@ptsa>",
        "<m1@ptsa>",
        "<m2@ptsa>",
        "<m4@ptsa>",
    ]
    assert mails[3].peer != mails[0].peer  # a new connection after the outage
