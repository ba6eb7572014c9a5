"""`ptsa audit verify | anchor` as an operator runs them, and the channel each event records."""

from datetime import UTC, datetime
from typing import Any

import psycopg
import pytest
from sqlalchemy import Engine, text

from ptsa_tui.cli.runtime import Runtime
from ptsa_tui.store.api import DeskStore
from ptsa_tui.store.origin import os_origin
from tests.cli.conftest import Cli, assert_one_line_error, json_of, succeeded


def register(cli: Cli) -> dict[str, Any]:
    return json_of(
        cli(
            "request", "new", "--service", "SVC-A", "--customer", "Budi", "--subject", "Izin",
            "--by", "p0", "--json",
        )
    )  # fmt: skip


def test_verify_passes_then_names_a_forged_event(
    cli: Cli, org: None, owner_url: str, engine: Engine
) -> None:
    registered = register(cli)
    with engine.connect() as conn:
        forged_id = conn.scalar(text("SELECT id FROM event WHERE kind = 'registered'"))
    assert succeeded(cli("audit", "verify")).strip() == "audit trail intact"
    with psycopg.connect(owner_url, autocommit=True) as owner:
        owner.execute("ALTER TABLE event DISABLE TRIGGER USER")
        owner.execute("UPDATE event SET details = '{}' WHERE kind = 'registered'")
        owner.execute("ALTER TABLE event ENABLE TRIGGER USER")
    result = cli("audit", "verify")
    assert result.exit_code == 3
    assert result.stdout.splitlines() == [
        f"broken: {registered['tracking_no']} event {forged_id}: content does not match its hash"
    ]


def test_anchor_then_verify_against_it(cli: Cli, org: None) -> None:
    register(cli)
    pinned = succeeded(cli("audit", "anchor")).strip()
    assert pinned.startswith("ptsa1-")
    register(cli)
    assert "matches the anchor" in succeeded(cli("audit", "verify", "--anchor", pinned))
    forged = pinned[:-1] + ("0" if pinned[-1] != "0" else "1")
    result = cli("audit", "verify", "--anchor", forged)
    assert result.exit_code == 3
    assert "anchor" in result.stdout


def test_a_malformed_anchor_is_refused(cli: Cli, org: None) -> None:
    assert_one_line_error(cli("audit", "verify", "--anchor", "x" * 500), 2, "not an anchor")


def test_events_record_their_channel_and_origin(
    cli: Cli, org: None, engine: Engine, cli_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The CLI's events say cli; a desk's say desk, also when the same process seeded as the
    CLI first (`ptsa demo`): the path `run_desk` takes."""
    registered = register(cli)
    for key, value in cli_env.items():
        monkeypatch.setenv(key, value)
    runtime = Runtime()
    runtime.engine  # the CLI's engine, already in use  # noqa: B018
    desk_engine = runtime.engine_for("desk")
    store = DeskStore(engine=desk_engine, settings=runtime.settings, url=runtime.url)
    with engine.connect() as conn:
        p1a = int(conn.scalar(text("SELECT id FROM officer WHERE username = 'p1a'")) or 0)
    store.claim(task_id=registered["task_id"], by=p1a, now=datetime.now(UTC))
    desk_engine.dispose()
    runtime.engine.dispose()
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT kind, channel, origin FROM event ORDER BY id")).all()
    by_kind = {kind: (channel, origin) for kind, channel, origin in rows}
    assert by_kind["registered"] == ("cli", os_origin())
    assert by_kind["claimed"] == ("desk", os_origin())
    assert "@" in os_origin()
