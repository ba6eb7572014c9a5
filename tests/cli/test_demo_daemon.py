"""`ptsa demo` runs the alert daemon beside the desk: a request registered there has its
customer's SMS sent (to the demo's file) and shown as sent."""

from pathlib import Path

import pytest
from sqlalchemy import Engine

from ptsa_tui.cli.demo_daemon import SMS_FILE, background_daemon
from ptsa_tui.config import Settings
from ptsa_tui.store.timeutil import utc_now
from ptsa_tui.store.workflow import Workflow
from tests.alerts.notice_helpers import notices
from tests.alerts.processes import environment, wait_until, write_config
from tests.store.helpers import register

pytestmark = pytest.mark.slow


def test_a_request_registered_in_the_demo_has_its_sms_sent_to_the_demo_file(
    workflow: Workflow,
    org: None,
    engine: Engine,
    db_url: str,
    settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    config = write_config(tmp_path, smtp_port=1)  # no email here: the customer has a phone
    for key, value in environment(db_url, config).items():
        monkeypatch.setenv(key, value)
    home = Path(environment(db_url, config)["PTSA_HOME"])
    demo = settings.model_copy(update={"home": home})
    with background_daemon(demo) as daemon:
        registered = register(
            workflow, customer={"name": "Rina", "phone": "081355566677"}, now=utc_now()
        )
        request_id = registered.request.id
        wait_until(
            lambda: [n.status for n in notices(engine, request_id)] == ["sent"], 30, "the SMS"
        )
        assert daemon.poll() is None  # still running until the desk closes
    lines = (home / SMS_FILE).read_text(encoding="utf-8").splitlines()
    [line] = [line for line in lines if registered.request.tracking_no in line]
    assert "\t+6281355566677\t" in line
    assert "paling lambat" in line
    assert daemon.returncode is not None
