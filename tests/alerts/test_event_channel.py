"""The daemon's events say so: `ptsa alerts run` records channel daemon and this host's origin."""

from pathlib import Path

from sqlalchemy import Engine, text

from ptsa_tui.store.origin import os_origin
from ptsa_tui.store.workflow import Workflow
from tests.alerts.processes import register_overdue, write_config
from tests.alerts.servers import SmtpServer
from tests.alerts.test_cli import ptsa


def test_the_daemons_events_record_channel_daemon(
    workflow: Workflow, org: None, engine: Engine, db_url: str, smtp: SmtpServer, tmp_path: Path
) -> None:
    register_overdue(workflow, 1)
    run = ptsa(db_url, write_config(tmp_path, smtp.port), "alerts", "run", "--once")
    assert run.returncode == 0, run.stderr
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT kind, channel, origin FROM event ORDER BY id")).all()
    raised = {(channel, origin) for kind, channel, origin in rows if kind == "alert_raised"}
    assert raised == {("daemon", os_origin())}
    assert {channel for kind, channel, _ in rows if kind == "registered"} != {"daemon"}
