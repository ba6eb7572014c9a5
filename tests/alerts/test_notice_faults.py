"""Customer notices under real daemon processes: a kill -9 mid-send, then two daemons at once,
and a registration woken on at once rather than at the next scan."""

from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import Engine

from ptsa_tui.alerts.daemon import LOCKED
from ptsa_tui.store.timeutil import utc_now
from ptsa_tui.store.workflow import Workflow
from tests.alerts.notice_helpers import notice_statuses
from tests.alerts.processes import daemons, kill_while_sending, roles, wait_until, write_config
from tests.alerts.servers import SmtpServer
from tests.store.helpers import register

pytestmark = pytest.mark.slow

SENDERS = 1
IN_FLIGHT = SENDERS * LOCKED  # rows locked at once: what a kill -9 may repeat
NOTICES = IN_FLIGHT + 4  # more than a crash may repeat, so the bound can fail


def register_with_email(workflow: Workflow, count: int) -> None:
    for n in range(count):  # now: no claim deadline passes, so no alert joins in
        customer = {"name": f"Warga {n}", "email": f"warga{n}@example.id"}
        register(workflow, customer=customer, now=utc_now())


def test_kill_9_mid_send_then_two_daemons_deliver_each_notice_repeating_at_most_the_sends_in_flight(
    workflow: Workflow, org: None, engine: Engine, db_url: str, smtp: SmtpServer, tmp_path: Path
) -> None:
    register_with_email(workflow, NOTICES)
    config = write_config(tmp_path, smtp.port, senders=SENDERS)
    with daemons(db_url, config, tmp_path) as running:
        before = kill_while_sending(running, smtp)
        running.start()
        running.start()
        wait_until(lambda: notice_statuses(engine) == {"sent": NOTICES}, 30, "every notice sent")
    counts = Counter(mail.notice_id for mail in smtp.inbox.snapshot())
    assert len(counts) == NOTICES
    assert sum(counts.values()) - len(counts) <= IN_FLIGHT < NOTICES, counts
    assert before < NOTICES


def test_a_running_daemon_sends_a_registration_at_once_not_at_its_next_scan(
    workflow: Workflow, org: None, engine: Engine, db_url: str, smtp: SmtpServer, tmp_path: Path
) -> None:
    config = write_config(tmp_path, smtp.port, interval="1h")  # the scan alone would wait 1 h
    with daemons(db_url, config, tmp_path) as running:
        running.start()
        # its heartbeat says leader once the first pass is done: it is into the hour's wait
        wait_until(lambda: "leader" in roles(engine).values(), 30, "a leader")
        register_with_email(workflow, 1)
        wait_until(lambda: len(smtp.inbox.snapshot()) == 1, 30, "the notice")
    assert notice_statuses(engine) == {"sent": 1}
