"""STATUS by SMS through a real Gammu SMSD inbox and outbox: the right phone gets the status and
due date, a wrong phone and an unknown number the same words that reveal nothing, malformed
text the usage; each message answered once, whoever reads it and however often."""

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from ptsa_tui.alerts.daemon import Daemon
from ptsa_tui.alerts.gammu_inbox import GammuInbox
from ptsa_tui.alerts.sms_fit import septets
from ptsa_tui.config import Settings, SmsSettings
from ptsa_tui.store.workflow import Registered, Workflow
from tests.alerts.gammu import Gammu, gammu_database
from tests.alerts.notice_helpers import SIGNED_PHONE, SITI
from tests.alerts.processes import daemons, roles, wait_until, write_config
from tests.alerts.servers import SmtpServer
from tests.store.helpers import register, wib

OTHER_PHONE = "+6285799998888"


@pytest.fixture
def gammu(server_url: str) -> Iterator[Gammu]:
    with gammu_database(server_url) as database:
        yield database


@pytest.fixture
def gammu_settings(alert_settings: Settings, gammu: Gammu) -> Settings:
    sms = SmsSettings(backend="gammu", database_url=gammu.url)
    return alert_settings.model_copy(update={"sms": sms})


@pytest.fixture
def registered(workflow: Workflow, org: None) -> Registered:
    # Monday 23 November 10:00 + SVC-A's 3 working days: due Thursday 26 November
    return register(workflow, customer=SITI, now=wib(23, 10))


@pytest.fixture
def tracking(registered: Registered) -> str:
    return registered.request.tracking_no


def test_status_from_the_phone_on_the_request_gets_its_status_and_due_date(
    make_daemon: Callable[..., Daemon], gammu_settings: Settings, gammu: Gammu, tracking: str
) -> None:
    gammu.receive(SIGNED_PHONE, f"status {tracking.lower()}")
    assert make_daemon(gammu_settings).answer_inbox() == 1
    [(to, reply)] = gammu.replies()
    assert to == SIGNED_PHONE
    assert tracking in reply and "Service of A-X" in reply
    assert "sedang diproses" in reply
    assert "paling lambat Kamis, 26 November 2026" in reply
    assert "Siti" not in reply  # nothing personal, even to its owner
    assert septets(reply) <= 160
    assert gammu.unprocessed() == []


def test_a_paused_request_says_it_waits_on_the_customer(
    make_daemon: Callable[..., Daemon],
    gammu_settings: Settings,
    gammu: Gammu,
    workflow: Workflow,
    registered: Registered,
    tracking: str,
) -> None:
    first = registered.task.id
    assert first is not None
    workflow.claim(task_id=first, by="p1a", now=wib(23, 10, 5))
    served = workflow.dispatch(task_id=first, to="A2X", by="p1a", now=wib(23, 10, 6))
    assert served.offered is not None and served.offered.id is not None
    workflow.claim(task_id=served.offered.id, by="p2ax", now=wib(23, 10, 7))
    workflow.pause(task_id=served.offered.id, by="p2ax", reason="KTP", now=wib(23, 11))
    gammu.receive(SIGNED_PHONE, f"STATUS {tracking}")
    make_daemon(gammu_settings).answer_inbox()
    [(_, reply)] = gammu.replies()
    assert "menunggu kelengkapan dari Anda" in reply


def test_a_wrong_phone_and_an_unknown_number_get_the_same_words_and_nothing_else(
    make_daemon: Callable[..., Daemon], gammu_settings: Settings, gammu: Gammu, tracking: str
) -> None:
    unknown = "PTSA-2026-999999"
    gammu.receive(OTHER_PHONE, f"STATUS {tracking}")
    gammu.receive(OTHER_PHONE, f"STATUS {unknown}")
    make_daemon(gammu_settings).answer_inbox()
    [(to_wrong, wrong), (to_unknown, not_found)] = gammu.replies()
    assert to_wrong == to_unknown == OTHER_PHONE
    assert wrong.replace(tracking, unknown) == not_found  # the one difference: the number asked
    for leak in ("Service of A-X", "Kamis", "diproses", "Siti", "0812"):
        assert leak not in wrong


@pytest.mark.parametrize("text", ["STATUS 123", "halo, permohonan saya bagaimana?", "", "STATUS"])
def test_malformed_text_gets_the_usage(
    make_daemon: Callable[..., Daemon], gammu_settings: Settings, gammu: Gammu, text: str
) -> None:
    gammu.receive(SIGNED_PHONE, text)
    make_daemon(gammu_settings).answer_inbox()
    [(_, reply)] = gammu.replies()
    assert "kirim STATUS <nomor permohonan>" in reply


def test_an_alphanumeric_sender_gets_no_reply_but_its_message_is_done(
    make_daemon: Callable[..., Daemon], gammu_settings: Settings, gammu: Gammu, tracking: str
) -> None:
    gammu.receive("TELKOMSEL", "Paket internet Anda aktif")
    assert make_daemon(gammu_settings).answer_inbox() == 1
    assert gammu.replies() == [] and gammu.unprocessed() == []


def test_each_message_is_answered_once_by_two_daemons_reading_at_once_and_again_later(
    make_daemon: Callable[..., Daemon], gammu_settings: Settings, gammu: Gammu, tracking: str
) -> None:
    asked = [gammu.receive(SIGNED_PHONE, f"STATUS {tracking}") for _ in range(30)]
    first, second = make_daemon(gammu_settings), make_daemon(gammu_settings)
    counts: list[int] = []
    readers = [
        threading.Thread(target=lambda d=d: counts.append(d.answer_inbox()))
        for d in (first, second)
    ]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join()
    later = make_daemon(gammu_settings).answer_inbox()  # a restart reads the inbox again
    assert sum(counts) == len(asked) and later == 0
    assert len(gammu.replies()) == len(asked)


def test_a_reply_that_fails_leaves_its_message_unanswered_for_the_next_read(
    gammu_settings: Settings, gammu: Gammu
) -> None:
    first = gammu.receive(SIGNED_PHONE, "STATUS PTSA-2026-000001")
    second = gammu.receive(SIGNED_PHONE, "STATUS PTSA-2026-000002")

    def crash_on_the_second(sender: str, text: str) -> str:
        if text.endswith("000002"):
            raise RuntimeError("the ptsa database went away")
        return "reply"

    inbox = GammuInbox(gammu_settings.sms)
    with pytest.raises(RuntimeError):
        inbox.answer_all(crash_on_the_second)
    assert gammu.unprocessed() == [second] and len(gammu.replies()) == 1
    assert inbox.answer_all(lambda sender, text: "reply") == 1
    assert gammu.unprocessed() == [] and first < second
    assert len(gammu.replies()) == 2


@pytest.mark.slow
def test_a_running_daemon_answers_between_its_scans(
    db_url: str, engine: Engine, smtp: SmtpServer, gammu: Gammu, tracking: str, tmp_path: Path
) -> None:
    config = write_config(tmp_path, smtp.port, interval="1h")  # the scan alone: once an hour
    with config.open("a") as file:
        file.write(f'\n[sms]\nbackend = "gammu"\ndatabase_url = "{gammu.url}"\n')
    with daemons(db_url, config, tmp_path) as running:
        running.start()
        # its heartbeat says leader once the first pass is done: it is into the hour's wait
        wait_until(lambda: "leader" in roles(engine).values(), 30, "a leader")
        gammu.receive(SIGNED_PHONE, f"STATUS {tracking}")
        wait_until(lambda: len(status_replies(gammu)) == 1, 30, "the reply")
    assert tracking in status_replies(gammu)[0]


def status_replies(gammu: Gammu) -> list[str]:
    """The outbox also carries the daemon's alerts and notices: only the replies."""
    return [text for _, text in gammu.replies() if "sedang diproses" in text]
