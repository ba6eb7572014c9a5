"""The shared rules: one load, reloaded when the database says the rules changed.

The cross-process tests run a second OS process (tests/store/rules_process.py) whose workflow
holds a watched `SharedRules`; this process changes the rules and asks it for a deadline.
"""

import os
import select
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import IO

import psycopg
import pytest
from sqlalchemy import Engine, text

from ptsa_tui.config import Settings
from ptsa_tui.store import shared_rules
from ptsa_tui.store.listener import Change
from ptsa_tui.store.org import import_org, parse_org
from ptsa_tui.store.rules import Rules, load_rules
from ptsa_tui.store.shared_rules import SharedRules
from ptsa_tui.store.workflow import Workflow
from tests.org_fixture import SMALL_ORG
from tests.store.helpers import register, task, unit_id, wib

pytestmark = pytest.mark.usefixtures("org")
ROOT = Path(__file__).parents[2]
RULES = Change("rules", None, None, None)
TUESDAY = date(2026, 11, 24)
LATE_MONDAY = wib(23, 15, 50)  # 10 min left today: the other 20 count from the next open day


def close_day(engine: Engine, day: date) -> None:
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO calendar_override (day, closed, note) VALUES (:d, true, 'cuti')"),
            {"d": day},
        )


def test_get_loads_once_and_keeps_the_rules(engine: Engine, settings: Settings) -> None:
    shared = SharedRules(engine, settings)
    first = shared.get()
    close_day(engine, TUESDAY)
    shared.heard(Change("claimed", 1, 2, 3))  # not about the rules: nothing to reload
    assert shared.get() is first
    shared.heard(RULES)
    assert TUESDAY in shared.get().calendar.closed_days


def test_reconnected_reloads(engine: Engine, settings: Settings) -> None:
    shared = SharedRules(engine, settings)
    first = shared.get()
    close_day(engine, TUESDAY)
    shared.reconnected()
    assert shared.get() is not first and TUESDAY in shared.get().calendar.closed_days


def test_the_unit_claim_sla_is_in_the_rules(engine: Engine, settings: Settings) -> None:
    rules = SharedRules(engine, settings).get()
    a1, a2y = unit_id(engine, "A1"), unit_id(engine, "A2Y")
    assert rules.claim_due(a2y, "P2", wib(23, 10)) == wib(23, 11)  # A2Y's own 1 h
    assert rules.claim_due(a1, "P1", wib(23, 10)) == wib(23, 10, 30)  # the P1 default


def test_first_users_together_load_once(
    engine: Engine, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    loads: list[Rules] = []
    started = threading.Barrier(8)

    def counted(*args: object) -> Rules:
        loads.append(load_rules(*args))  # type: ignore[arg-type]
        return loads[-1]

    monkeypatch.setattr(shared_rules, "load_rules", counted)
    shared, got = SharedRules(engine, settings), []

    def use() -> None:
        started.wait()
        got.append(shared.get())

    threads = [threading.Thread(target=use) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(loads) == 1 and all(rules is loads[0] for rules in got)


def test_a_change_heard_during_a_load_is_not_lost(
    engine: Engine, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = SharedRules(engine, settings)

    def racing(*args: object) -> Rules:
        rules = load_rules(*args)  # type: ignore[arg-type]
        if TUESDAY not in rules.calendar.closed_days:  # a change commits behind the load
            close_day(engine, TUESDAY)
            shared.heard(RULES)
        return rules

    monkeypatch.setattr(shared_rules, "load_rules", racing)
    assert TUESDAY not in shared.get().calendar.closed_days
    assert TUESDAY in shared.get().calendar.closed_days


def test_the_workflow_counts_with_the_shared_rules(engine: Engine, settings: Settings) -> None:
    shared = SharedRules(engine, settings)
    workflow = Workflow(engine, settings, rules=shared)
    assert workflow.rules is shared.get()
    before = register(workflow, now=LATE_MONDAY)
    assert task(engine, before.task.id or 0).claim_due_at == wib(24, 7, 50)
    close_day(engine, TUESDAY)
    shared.heard(RULES)
    after = register(workflow, now=LATE_MONDAY)
    assert task(engine, after.task.id or 0).claim_due_at == wib(25, 7, 50)


# -- another process ---------------------------------------------------------------------


class Other:
    """The other process, asked for claim deadlines one line at a time."""

    def __init__(self, process: "subprocess.Popen[str]") -> None:
        assert process.stdin is not None and process.stdout is not None
        self.stdin: IO[str] = process.stdin
        self.stdout: IO[str] = process.stdout

    def line(self, timeout: float = 15.0) -> str:
        ready, _, _ = select.select([self.stdout], [], [], timeout)
        assert ready, "the other process said nothing"
        return self.stdout.readline().strip()

    def claim_due(self, unit: int, position: str, offered_at: datetime) -> datetime:
        self.stdin.write(f"{unit} {position} {offered_at.isoformat()}\n")
        self.stdin.flush()
        return datetime.fromisoformat(self.line())

    def claim_due_until(
        self, expected: datetime, unit: int, position: str, offered_at: datetime
    ) -> datetime:
        """Ask again until the answer is `expected` or 5 s passed; the last answer."""
        give_up = time.monotonic() + 5
        while (due := self.claim_due(unit, position, offered_at)) != expected:
            if time.monotonic() > give_up:
                break
            time.sleep(0.02)
        return due


@contextmanager
def other_process(db_url: str, tmp_path: Path) -> Iterator[Other]:
    config = tmp_path / "empty.toml"
    config.write_text("")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PTSA_")}
    env.update(PTSA_CONFIG=str(config), PTSA_HOME=str(tmp_path / "home"))
    with subprocess.Popen(
        [sys.executable, "-m", "tests.store.rules_process", db_url],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    ) as process:
        try:
            other = Other(process)
            assert other.line() == "ready"
            yield other
        finally:
            assert process.stdin is not None
            process.stdin.close()
            assert process.wait(timeout=10) == 0


def test_an_override_added_here_moves_the_next_deadline_there(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    a1 = unit_id(engine, "A1")
    with other_process(db_url, tmp_path) as other:
        assert other.claim_due(a1, "P1", LATE_MONDAY) == wib(24, 7, 50)
        close_day(engine, TUESDAY)
        assert other.claim_due_until(wib(25, 7, 50), a1, "P1", LATE_MONDAY) == wib(25, 7, 50)


def test_a_claim_sla_imported_here_is_seen_there(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    a1 = unit_id(engine, "A1")
    org = {**SMALL_ORG, "units": [dict(u) for u in SMALL_ORG["units"]]}
    next(u for u in org["units"] if u["code"] == "A1")["claim_sla"] = "2h"
    with other_process(db_url, tmp_path) as other:
        assert other.claim_due(a1, "P1", wib(23, 10)) == wib(23, 10, 30)
        import_org(engine, parse_org(org))
        assert other.claim_due_until(wib(23, 12), a1, "P1", wib(23, 10)) == wib(23, 12)


def test_after_a_reconnect_the_cache_reloads(
    engine: Engine, db_url: str, owner_url: str, tmp_path: Path
) -> None:
    a1 = unit_id(engine, "A1")
    with other_process(db_url, tmp_path) as other:
        assert other.claim_due(a1, "P1", LATE_MONDAY) == wib(24, 7, 50)
        # A change the listener cannot hear: no NOTIFY at all, so the cache keeps its rules.
        with psycopg.connect(owner_url, autocommit=True) as owner:
            owner.execute("ALTER TABLE calendar_override DISABLE TRIGGER USER")
            close_day(engine, TUESDAY)
            owner.execute("ALTER TABLE calendar_override ENABLE TRIGGER USER")
        assert other.claim_due(a1, "P1", LATE_MONDAY) == wib(24, 7, 50)
        with psycopg.connect(db_url, autocommit=True) as admin:
            killed = admin.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE application_name = 'ptsa-listen' AND datname = current_database()"
            ).fetchone()
        assert killed == (1,)
        assert other.claim_due_until(wib(25, 7, 50), a1, "P1", LATE_MONDAY) == wib(25, 7, 50)
