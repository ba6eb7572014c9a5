"""`ptsa alerts run` and `ptsa alerts status` as an operator runs them."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine

from ptsa_tui.store.workflow import Workflow
from tests.alerts.helpers import alerts
from tests.alerts.processes import environment, register_overdue, write_config
from tests.alerts.servers import SmtpServer


def ptsa(db_url: str, config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ptsa_tui", *args],
        env=environment(db_url, config),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("toml", "names"),
    [
        ('[sms]\nbackend = "pigeon"\n', "sms.backend"),
        ('[smtp]\nport = 70000\npassword = "hunter2"\n', "smtp.port"),
        ('[alerts]\ninterval = "soon"\n', "alerts.interval"),
        ('[sms]\nbackend = "http"\nurl = "http://gw/send"\n', "sms.url"),
        ('[sms]\nbackend = "command"\n', "sms.command"),
        ('[alerts]\ninterval = "0s"\n', "alerts.interval"),
        ('[alerts]\ntier1_escalate_to = "NOPE"\n', "alerts.tier1_escalate_to"),
    ],
)
def test_bad_config_stops_start_up_with_one_clear_line(
    db_url: str, tmp_path: Path, toml: str, names: str
) -> None:
    config = tmp_path / "ptsa.toml"
    config.write_text(toml)
    done = ptsa(db_url, config, "alerts", "run", "--once")
    assert done.returncode == 2, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("ptsa: config") and names in lines[0]
    assert "hunter2" not in done.stderr and "Traceback" not in done.stderr


def test_once_delivers_and_status_reports_health(
    workflow: Workflow, org: None, engine: Engine, db_url: str, smtp: SmtpServer, tmp_path: Path
) -> None:
    config = write_config(tmp_path, smtp.port)
    absent = ptsa(db_url, config, "alerts", "status")
    assert absent.returncode == 1 and absent.stdout.startswith("UNHEALTHY")

    register_overdue(workflow, 1)
    dry = ptsa(db_url, config, "alerts", "run", "--once", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert dry.stderr.count("dry-run would send") == 2
    # seen before: the log's times in UTC; they are the office's (WIB), offset shown
    stamp = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\+07:00 [A-Z]+ ")
    assert all(stamp.match(line) for line in dry.stderr.splitlines()), dry.stderr
    assert alerts(engine) == [] and smtp.inbox.snapshot() == []

    run = ptsa(db_url, config, "alerts", "run", "--once")
    assert run.returncode == 0, run.stderr
    assert sorted(to for mail in smtp.inbox.snapshot() for to in mail.to) == [
        "spv0@test.go.id",
        "spv1a@test.go.id",
    ]
    assert "password" not in run.stderr.lower()

    healthy = ptsa(db_url, config, "alerts", "status", "--json")
    assert healthy.returncode == 0, healthy.stderr
    report = json.loads(healthy.stdout)
    assert report["healthy"] is True
    (daemon,) = report["daemons"]
    assert (daemon["role"], daemon["pending"], daemon["failed"]) == ("leader", 0, 0)


def test_logs_never_show_the_smtp_password(
    workflow: Workflow, org: None, engine: Engine, db_url: str, smtp: SmtpServer, tmp_path: Path
) -> None:
    config = write_config(tmp_path, smtp.port)
    config.write_text(config.read_text() + 'user = "ptsa"\npassword = "s3cret-pw"\n')
    register_overdue(workflow, 1)
    run = ptsa(db_url, config, "--debug", "alerts", "run", "--once")
    assert run.returncode == 0, run.stderr
    assert "alert send failed" in run.stderr  # this server offers no AUTH: the login fails
    assert "s3cret-pw" not in run.stderr + run.stdout
    assert {a["status"] for a in alerts(engine)} == {"pending"}
    # one event per line: every line is a log record of its own, no traceback lines
    assert all(re.match(r"\d{4}-\d\d-\d\d \d\d:", line) for line in run.stderr.splitlines())
