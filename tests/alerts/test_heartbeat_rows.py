"""Heartbeat rows as `ptsa alerts status` reads them: a daemon that stopped cleanly, or a
`--once` pass that stood by, leaves none; `--once` passes that led share one row per host; a
killed daemon's row stays and reads stale once its beats are overdue."""

import json
import signal
import socket
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import Engine, text
from typer.testing import CliRunner, Result

from ptsa_tui.alerts.status import stale_after
from ptsa_tui.cli.main import app
from ptsa_tui.store.timeutil import utc_now
from tests.alerts.processes import daemons, environment, roles, wait_until, write_config
from tests.alerts.servers import SmtpServer
from tests.alerts.test_cli import ptsa

HOST = socket.gethostname()
INTERVAL = timedelta(seconds=1)  # write_config's


def rows(engine: Engine) -> dict[str, str]:
    """daemon → role of every heartbeat row."""
    with engine.connect() as conn:
        found = conn.execute(text("SELECT daemon, role FROM alert_heartbeat"))
        return {str(daemon): str(role) for daemon, role in found}


@pytest.fixture
def config(tmp_path: Path, smtp: SmtpServer) -> Path:
    return write_config(tmp_path, smtp.port)


@pytest.fixture
def status_later(
    db_url: str, config: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator["StatusLater"]:
    for key, value in environment(db_url, config).items():
        monkeypatch.setenv(key, value)
    yield StatusLater()


class StatusLater:
    """`ptsa alerts status` run in this process with the clock moved on: what an operator
    reads once the beats of every daemon that ran at INTERVAL are overdue."""

    def __call__(self, *args: str) -> Result:
        later = utc_now() + stale_after(INTERVAL) + timedelta(seconds=1)
        with time_machine.travel(later, tick=False):
            return CliRunner().invoke(app, ["alerts", "status", *args])


def test_once_passes_share_a_row_and_a_pass_that_stood_by_leaves_none(
    org: None,
    engine: Engine,
    db_url: str,
    config: Path,
    tmp_path: Path,
    status_later: StatusLater,
) -> None:
    for _ in range(2):  # cron: a pass a minute, each its own process
        assert ptsa(db_url, config, "alerts", "run", "--once").returncode == 0
    assert rows(engine) == {f"{HOST}:once": "leader"}
    fresh = ptsa(db_url, config, "alerts", "status")
    assert fresh.returncode == 0 and fresh.stdout.startswith("healthy"), fresh.stdout
    assert "STALE" not in fresh.stdout

    with daemons(db_url, config, tmp_path) as running:
        daemon = running.start()
        wait_until(lambda: roles(engine).get(daemon.pid) == "leader", 20, "a leader")
        # the leader's beat drops the row of the finished passes
        assert rows(engine) == {f"{HOST}:{daemon.pid}": "leader"}
        assert ptsa(db_url, config, "alerts", "run", "--once").returncode == 0  # stands by
        assert rows(engine) == {f"{HOST}:{daemon.pid}": "leader"}
        report = json.loads(ptsa(db_url, config, "alerts", "status", "--json").stdout)
        assert [(d["role"], d["stale"]) for d in report["daemons"]] == [("leader", False)]
        daemon.send_signal(signal.SIGTERM)
        assert daemon.wait(timeout=15) == 0

    assert rows(engine) == {}
    later = status_later()
    assert later.exit_code == 1
    assert later.stdout == "UNHEALTHY: no alert daemon has written a heartbeat\n"


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "ctrl-c"])
def test_daemons_stopped_cleanly_leave_no_row(
    org: None,
    engine: Engine,
    db_url: str,
    config: Path,
    tmp_path: Path,
    status_later: StatusLater,
    stop: signal.Signals,
) -> None:
    with daemons(db_url, config, tmp_path) as running:
        leader = running.start()
        wait_until(lambda: roles(engine).get(leader.pid) == "leader", 20, "a leader")
        standby = running.start()
        wait_until(lambda: roles(engine).get(standby.pid) == "standby", 20, "a standby")
        for process in (standby, leader):
            process.send_signal(stop)
            assert process.wait(timeout=15) == 0
        assert f"stopping on {stop.name}" in running.log(0)
    assert rows(engine) == {}
    later = status_later("--json")
    assert later.exit_code == 1
    assert json.loads(later.stdout)["daemons"] == []


def test_a_killed_daemons_row_reads_stale(
    org: None,
    engine: Engine,
    db_url: str,
    config: Path,
    tmp_path: Path,
    status_later: StatusLater,
) -> None:
    with daemons(db_url, config, tmp_path) as running:
        daemon = running.start()
        wait_until(lambda: roles(engine).get(daemon.pid) == "leader", 20, "a leader")
        daemon.send_signal(signal.SIGKILL)
        daemon.wait(timeout=15)
    assert rows(engine) == {f"{HOST}:{daemon.pid}": "leader"}
    later = status_later()
    assert later.exit_code == 1
    assert later.stdout.startswith("UNHEALTHY: heartbeat stale"), later.stdout
    (line,) = later.stdout.splitlines()[1:]
    assert f"{HOST}:{daemon.pid}" in line and "leader" in line and line.endswith("STALE")
