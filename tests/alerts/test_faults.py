"""Fault tests with real daemon processes: kill -9 mid-send, standby take-over, several daemons
at once, and database connections cut under a running daemon."""

import os
import signal
import time
from collections import Counter
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Engine

from ptsa_tui.alerts.daemon import LOCKED
from ptsa_tui.store.workflow import Workflow
from tests.alerts.helpers import alerts
from tests.alerts.processes import (
    daemons,
    kill_while_sending,
    register_overdue,
    roles,
    statuses,
    wait_until,
    write_config,
)
from tests.alerts.servers import SmtpServer

pytestmark = pytest.mark.slow

SENDERS = 1
IN_FLIGHT = SENDERS * LOCKED  # rows locked at once: what a kill -9 may repeat

PER_TASK = 2  # level 1 to spv1a and level 2 to spv0, by email (no SMS backend here)


def received(smtp: SmtpServer) -> Counter[int]:
    return Counter(mail.alert_id for mail in smtp.inbox.snapshot())


def all_sent(engine: Engine, total: int) -> bool:
    return statuses(engine).get("sent", 0) == total


def test_kill_9_while_sending_then_restart_delivers_everything_repeating_at_most_the_sends_in_flight(
    workflow: Workflow, org: None, engine: Engine, db_url: str, smtp: SmtpServer, tmp_path: Path
) -> None:
    register_overdue(workflow, 8)
    config = write_config(tmp_path, smtp.port, senders=SENDERS)
    with daemons(db_url, config, tmp_path) as running:
        before = kill_while_sending(running, smtp)
        running.start()
        wait_until(lambda: all_sent(engine, 8 * PER_TASK), 30, "every alert sent")
    counts = received(smtp)
    assert set(counts) == {a["id"] for a in alerts(engine)}
    repeats = sum(counts.values()) - len(counts)
    assert repeats <= IN_FLIGHT < 8 * PER_TASK, counts  # one locked batch, at most
    assert before < 8 * PER_TASK


def test_standby_takes_over_within_15_s_after_the_leader_is_killed(
    workflow: Workflow, org: None, engine: Engine, db_url: str, smtp: SmtpServer, tmp_path: Path
) -> None:
    config = write_config(tmp_path, smtp.port)
    with daemons(db_url, config, tmp_path) as running:
        leader = running.start()
        wait_until(lambda: roles(engine).get(leader.pid) == "leader", 20, "a leader")
        standby = running.start()
        wait_until(lambda: roles(engine).get(standby.pid) == "standby", 20, "a standby")
        os.kill(leader.pid, signal.SIGKILL)
        leader.wait()
        took = wait_until(lambda: roles(engine).get(standby.pid) == "leader", 15, "take-over")
        register_overdue(workflow, 2)
        wait_until(lambda: all_sent(engine, 2 * PER_TASK), 15, "delivery by the new leader")
    assert took < 15
    assert max(received(smtp).values()) == 1


def test_three_daemons_at_once_deliver_each_alert_exactly_once(
    workflow: Workflow, org: None, engine: Engine, db_url: str, smtp: SmtpServer, tmp_path: Path
) -> None:
    register_overdue(workflow, 10)
    config = write_config(tmp_path, smtp.port)
    with daemons(db_url, config, tmp_path) as running:
        for _ in range(3):
            running.start()
        wait_until(lambda: all_sent(engine, 10 * PER_TASK), 30, "every alert sent")
        time.sleep(1.5)  # a further pass of every daemon: still nothing twice
    counts = received(smtp)
    assert len(counts) == 10 * PER_TASK and max(counts.values()) == 1
    assert len(alerts(engine)) == 10 * PER_TASK


def test_daemon_reconnects_after_its_database_connections_are_cut(
    workflow: Workflow, org: None, engine: Engine, db_url: str, smtp: SmtpServer, tmp_path: Path
) -> None:
    """Stands in for a database restart: every backend of the daemon is terminated."""
    register_overdue(workflow, 2)
    config = write_config(tmp_path, smtp.port)
    with daemons(db_url, config, tmp_path) as running:
        daemon = running.start()
        wait_until(lambda: all_sent(engine, 2 * PER_TASK), 30, "the first alerts")
        with psycopg.connect(db_url, autocommit=True) as conn:
            cut = conn.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                " AND application_name LIKE 'ptsa%%'"
            ).fetchone()
        engine.dispose()  # the test's own pooled connections were cut too
        assert cut is not None and cut[0] >= 2  # the daemon's pool and its leader connection
        register_overdue(workflow, 3)
        wait_until(lambda: all_sent(engine, 5 * PER_TASK), 30, "catching up after the cut")
        assert daemon.poll() is None
        wait_until(lambda: roles(engine).get(daemon.pid) == "leader", 10, "leading again")
        daemon.send_signal(signal.SIGTERM)  # a clean stop takes its heartbeat away
        assert daemon.wait(timeout=15) == 0
        assert roles(engine) == {}
        assert "stopping on SIGTERM" in running.log(0)
    counts = received(smtp)
    assert len(counts) == 5 * PER_TASK and max(counts.values()) == 1
