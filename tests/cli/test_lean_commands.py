"""`ptsa task list` and `ptsa task claim` run on psycopg alone (store/lean.py): loading
SQLAlchemy and the ORM would cost each a third of a second before its first statement."""

import json
import os
import subprocess
import sys
from pathlib import Path

from ptsa_tui.store.workflow import Workflow
from tests.conftest import MONDAY_10


def _ptsa(db_url: str, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PTSA_")}
    env.update(PTSA_DATABASE_URL=db_url, PTSA_HOME=str(home))
    return subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "ptsa_tui", *args],
        env=env,
        cwd=home,
        capture_output=True,
        text=True,
        timeout=60,
    )


def _loaded(done: subprocess.CompletedProcess[str]) -> set[str]:
    """The top-level packages the command imported (from -X importtime's lines)."""
    return {
        line.split("|")[-1].strip().split(".")[0]
        for line in done.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }


def test_listing_and_claiming_load_no_sqlalchemy(
    db_url: str, org: None, workflow: Workflow, tmp_path: Path
) -> None:
    tracking = workflow.register(
        by="p0", service_code="SVC-A", customer={"name": "PT Ringan"}, subject="s", now=MONDAY_10
    ).request.tracking_no

    listed = _ptsa(db_url, tmp_path, "task", "list", "--json", "--unit", "A1")
    assert listed.returncode == 0, listed.stderr
    assert [t["tracking_no"] for t in json.loads(listed.stdout)["tasks"]] == [tracking]
    claimed = _ptsa(db_url, tmp_path, "task", "claim", tracking, "--by", "p1a", "--json")
    assert claimed.returncode == 0, claimed.stderr
    assert json.loads(claimed.stdout)["claimed_by"] == "p1a"
    for done in (listed, claimed):
        assert "psycopg" in _loaded(done)  # the reading is right: it did connect
        assert not {"sqlalchemy", "sqlmodel", "alembic"} & _loaded(done)
