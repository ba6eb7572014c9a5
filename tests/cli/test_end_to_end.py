"""The whole workflow driven through `ptsa` only, with the clock frozen at known instants.

Every expected time is worked out by hand from the office calendar (Mon-Thu 07:30-16:00,
Fri 07:30-16:30, Asia/Jakarta, no holidays in late November 2026) and the SMALL_ORG claim SLAs.
"""

import re
from datetime import datetime
from typing import Any

import psycopg
import time_machine
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from ptsa_tui.store.migrate import alembic_config
from tests.cli.conftest import Cli, CountRows, assert_one_line_error, json_of, succeeded
from tests.conftest import MONDAY_10, WIB, drop_database, with_database


def wib(day: int, hour: int, minute: int, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=WIB)


def show(cli: Cli, ref: str) -> dict[str, Any]:
    return json_of(cli("task", "show", ref, "--json"))


def table_rows(stdout: str) -> list[list[str]]:
    """The body rows of every Rich table in a human output, as lists of stripped cells."""
    return [
        [cell.strip() for cell in line.strip().strip("│").split("│")]
        for line in stdout.splitlines()
        if line.startswith("│")
    ]


def register(cli: Cli, service: str, customer: str = "Budi Santoso") -> dict[str, Any]:
    return json_of(
        cli(
            "request", "new", "--service", service, "--customer", customer,
            "--subject", "Informasi pasar kerja", "--by", "p0", "--json",
        )
    )  # fmt: skip


def test_request_goes_p0_p1_p2_and_back_to_closed(cli: Cli, org: None) -> None:
    with time_machine.travel(MONDAY_10, tick=False) as clock:
        registered = json_of(
            cli(
                "request", "new", "--service", "SVC-A", "--customer", "Budi Santoso",
                "--phone", "0812-3456-7890", "--email", "budi@example.co.id",
                "--subject", "Data penempatan tenaga kerja", "--details", "Tahun 2025, per provinsi",
                "--channel", "phone", "--by", "p0", "--json",
            )
        )  # fmt: skip
        tracking = registered["tracking_no"]
        assert re.fullmatch(r"PTSA-2026-\d{6}", tracking)
        assert registered["unit"] == "A1"  # SVC-A is served by A2X, whose parent is A1
        assert isinstance(registered["task_id"], int)
        assert registered["claim_due_at"] == "2026-11-23T10:30:00+07:00"  # 10:00 + 30m, P1

        clock.move_to(wib(23, 10, 5))
        claimed = json_of(cli("task", "claim", tracking, "--by", "p1a", "--json"))
        assert claimed == {
            "task_id": registered["task_id"],
            "tracking_no": tracking,
            "claimed_by": "p1a",
            "claimed_at": "2026-11-23T10:05:00+07:00",
        }

        clock.move_to(wib(23, 10, 10))
        out = succeeded(
            cli("task", "dispatch", tracking, "--to", "A2X", "--by", "p1a", "--note", "cek data")
        )
        assert "dispatched to A2X" in out
        p2_task = show(cli, tracking)["open_task"]
        assert p2_task["unit"] == "A2X"
        assert p2_task["position"] == "P2"
        assert p2_task["claimed_by"] is None
        assert p2_task["claim_due_at"] == "2026-11-23T10:40:00+07:00"  # offered 10:10 + 30m
        assert p2_task["id"] != registered["task_id"]

        clock.move_to(wib(23, 10, 20))
        by_id = json_of(cli("task", "claim", str(p2_task["id"]), "--by", "p2ax", "--json"))
        assert by_id["tracking_no"] == tracking
        assert by_id["claimed_at"] == "2026-11-23T10:20:00+07:00"

        clock.move_to(wib(23, 11, 0))
        succeeded(cli("task", "resolve", tracking, "--by", "p2ax", "--answer", "Data terlampir"))
        back = show(cli, tracking)
        assert back["status"] == "resolved"
        assert back["open_task"]["unit"] == "FO"
        assert back["open_task"]["position"] == "P0"
        assert back["open_task"]["claim_due_at"] == "2026-11-23T11:30:00+07:00"

        clock.move_to(wib(23, 11, 30))
        assert "closed" in succeeded(cli("task", "close", tracking, "--by", "p0"))

    story = show(cli, tracking)
    assert story["tracking_no"] == tracking
    assert story["status"] == "closed"
    assert story["open_task"] is None
    assert story["sop_due_at"] == "2026-11-26T16:00:00+07:00"  # 3rd working day, Thu close
    assert story["closed_at"] == "2026-11-23T11:30:00+07:00"
    assert story["resolution"] == "Data terlampir"
    assert story["channel"] == "phone"
    assert story["customer"]["phone"] == "+6281234567890"
    assert story["customer"]["email"] == "budi@example.co.id"
    assert [t["unit"] for t in story["tasks"]] == ["A1", "A2X", "FO"]
    assert [t["outcome"] for t in story["tasks"]] == ["dispatched", "resolved", "closed"]
    events = story["events"]
    assert [e["kind"] for e in events] == [
        "registered",
        "claimed",
        "dispatched",
        "claimed",
        "resolved",
        "closed",
    ]
    assert [e["officer"] for e in events] == ["p0", "p1a", "p1a", "p2ax", "p2ax", "p0"]
    assert [e["at"] for e in events] == [
        f"2026-11-23T{hhmm}:00+07:00"
        for hhmm in ("10:00", "10:05", "10:10", "10:20", "11:00", "11:30")
    ]

    human = succeeded(cli("task", "show", tracking))
    assert human.splitlines()[0].startswith(f"{tracking} [closed] Data penempatan")
    assert "audit trail" in human
    assert "answer: Data terlampir" in human
    trail = [row for row in table_rows(human) if len(row) == 5]
    assert [(row[0], row[1], row[2]) for row in trail] == [
        ("2026-11-23 10:00", "registered", "p0"),
        ("2026-11-23 10:05", "claimed", "p1a"),
        ("2026-11-23 10:10", "dispatched", "p1a"),
        ("2026-11-23 10:20", "claimed", "p2ax"),
        ("2026-11-23 11:00", "resolved", "p2ax"),
        ("2026-11-23 11:30", "closed", "p0"),
    ]
    assert "from A1 to A2X; note: cek data" in trail[2][4]  # a sentence, not `note=…`


def test_transfer_return_assign_release_and_message(cli: Cli, org: None) -> None:
    with time_machine.travel(MONDAY_10, tick=False):
        tracking = register(cli, "SVC-A")["tracking_no"]
        succeeded(cli("task", "claim", tracking, "--by", "p1a"))
        moved = json_of(
            cli(
                "task",
                "transfer",
                tracking,
                "--to",
                "B1",
                "--by",
                "p1a",
                "--reason",
                "B1's",
                "--json",
            )
        )
        assert moved["outcome"] == "transferred"
        assert moved["offered_unit"] == "B1"
        succeeded(cli("task", "claim", tracking, "--by", "p1b"))
        succeeded(cli("task", "dispatch", tracking, "--to", "B2X", "--by", "p1b"))
        succeeded(cli("task", "claim", tracking, "--by", "p2bx"))
        returned = json_of(
            cli("task", "return", tracking, "--by", "p2bx", "--reason", "bukan kami", "--json")
        )
        assert returned["offered_unit"] == "B1"  # P2 returns to its own echelon-1 unit
        assigned = json_of(
            cli("task", "assign", tracking, "--to", "p1b", "--by", "spv1b", "--json")
        )
        assert assigned["claimed_by"] == "p1b"
        released = json_of(
            cli("task", "release", tracking, "--by", "p1b", "--reason", "cuti", "--json")
        )
        assert released["offered_unit"] == "B1"
        succeeded(cli("task", "message", tracking, "--by", "p0", "--text", "Pelanggan menelepon"))

    story = show(cli, tracking)
    assert story["status"] == "open"
    assert story["open_task"]["unit"] == "B1"
    assert story["open_task"]["claimed_by"] is None
    assert [e["kind"] for e in story["events"]] == [
        "registered",
        "claimed",
        "transferred",
        "claimed",
        "dispatched",
        "claimed",
        "returned",
        "assigned",
        "released",
        "message",
    ]
    assert [m["body"] for m in story["messages"]] == ["Pelanggan menelepon"]
    assert [m["officer"] for m in story["messages"]] == ["p0"]


def test_resolved_on_the_spot_at_the_front_office(cli: Cli, org: None) -> None:
    with time_machine.travel(MONDAY_10, tick=False):
        done = json_of(
            cli(
                "request", "new", "--service", "SVC-B", "--customer", "Sari",
                "--subject", "Jam buka", "--answer", "07:30-16:00", "--by", "p0", "--json",
            )
        )  # fmt: skip
    assert done["status"] == "closed"
    story = show(cli, done["tracking_no"])
    assert story["open_task"] is None
    assert story["resolution"] == "07:30-16:00"
    assert [e["kind"] for e in story["events"]] == ["registered", "resolved"]


def test_front_office_cannot_answer_a_task_in_another_units_queue(
    cli: Cli, org: None, count_rows: CountRows
) -> None:
    """`task resolve REF --by p0` once gave rc 0 and recorded A2X's task as resolved by p0."""
    with time_machine.travel(MONDAY_10, tick=False):
        tracking = register(cli, "SVC-A")["tracking_no"]
        assert_one_line_error(
            cli("task", "resolve", tracking, "--by", "p0", "--answer", "x"), 5, "A1's queue"
        )
        succeeded(cli("task", "claim", tracking, "--by", "p1a"))
        succeeded(cli("task", "dispatch", tracking, "--to", "A2X", "--by", "p1a"))
        before = count_rows()
        assert_one_line_error(
            cli("task", "resolve", tracking, "--by", "p0", "--answer", "x"), 5, "A2X's queue"
        )
    assert count_rows() == before
    story = show(cli, tracking)
    assert (story["status"], story["open_task"]["unit"]) == ("open", "A2X")
    assert story["open_task"]["claimed_by"] is None


def test_claim_deadlines_follow_the_office_calendar_and_settings(cli: Cli, org: None) -> None:
    # Friday 16:20: 10 minutes left before the 16:30 close, 20 more from Monday 07:30.
    with time_machine.travel(wib(27, 16, 20), tick=False):
        late = register(cli, "SVC-B")
        assert late["claim_due_at"] == "2026-11-30T07:50:00+07:00"
        # 5 working days from Friday: Mon 30, Tue 1, Wed 2, Thu 3, Fri 4 December (16:30).
        assert late["sop_due_at"] == "2026-12-04T16:30:00+07:00"
        wall = json_of(
            cli(
                "request", "new", "--service", "SVC-B", "--customer", "Sari", "--subject", "x",
                "--by", "p0", "--json", env={"PTSA_OFFICE__SLA_CLOCK": "wall"},
            )
        )  # fmt: skip
        assert wall["claim_due_at"] == "2026-11-27T16:50:00+07:00"
    # A2Y has its own claim SLA of 1h in the organisation file.
    with time_machine.travel(MONDAY_10, tick=False):
        tracking = register(cli, "SVC-AY")["tracking_no"]
        succeeded(cli("task", "claim", tracking, "--by", "p1a"))
        moved = json_of(cli("task", "dispatch", tracking, "--to", "A2Y", "--by", "p1a", "--json"))
    assert moved["offered_unit"] == "A2Y"
    assert moved["claim_due_at"] == "2026-11-23T11:00:00+07:00"


def test_task_list_by_unit_and_state(cli: Cli, org: None) -> None:
    with time_machine.travel(MONDAY_10, tick=False) as clock:
        first = register(cli, "SVC-A", "Pertama")
        clock.move_to(wib(23, 10, 10))
        second = register(cli, "SVC-AY", "Kedua")
        elsewhere = register(cli, "SVC-B", "Lain")
        closed = json_of(
            cli(
                "request", "new", "--service", "SVC-A", "--customer", "Selesai",
                "--subject", "x", "--answer", "ok", "--by", "p0", "--json",
            )
        )  # fmt: skip
        succeeded(cli("task", "claim", second["tracking_no"], "--by", "p1a2"))

    in_a1 = json_of(cli("task", "list", "--unit", "A1", "--json"))["tasks"]
    assert [t["tracking_no"] for t in in_a1] == [first["tracking_no"], second["tracking_no"]]
    assert [t["claim_due_at"] for t in in_a1] == [
        "2026-11-23T10:30:00+07:00",
        "2026-11-23T10:40:00+07:00",
    ]
    assert [t["customer"] for t in in_a1] == ["Pertama", "Kedua"]
    assert {t["unit"] for t in in_a1} == {"A1"}

    claimed = json_of(cli("task", "list", "--state", "claimed", "--json"))["tasks"]
    assert [(t["tracking_no"], t["claimed_by"]) for t in claimed] == [
        (second["tracking_no"], "p1a2")
    ]

    everywhere = json_of(cli("task", "list", "--json"))["tasks"]
    assert elsewhere["tracking_no"] in {t["tracking_no"] for t in everywhere}
    assert closed["tracking_no"] not in {t["tracking_no"] for t in everywhere}

    done = json_of(cli("task", "list", "--state", "done", "--json"))["tasks"]
    assert [(t["tracking_no"], t["outcome"]) for t in done] == [(closed["tracking_no"], "resolved")]
    assert json_of(cli("task", "list", "--unit", "B1", "--state", "done", "--json")) == {
        "tasks": []
    }

    human = succeeded(cli("task", "list", "--unit", "A1"))
    assert "open tasks in A1" in human
    rows = table_rows(human)
    assert [row[1] for row in rows] == [first["tracking_no"], second["tracking_no"]]
    assert [row[7] for row in rows] == ["-", "p1a2"]

    assert_one_line_error(cli("task", "list", "--unit", "NOPE"), 4, "NOPE")


def test_db_url_and_upgrade_are_idempotent(
    cli: Cli, db_url: str, server_url: str, engine: Engine, org: None, count_rows: CountRows
) -> None:
    assert succeeded(cli("db", "url", "--show-password")).strip() == db_url
    password = make_url(db_url).password
    assert password and password not in succeeded(cli("db", "url"))
    assert succeeded(cli("db", "url")).strip() == db_url.replace(f":{password}@", ":***@")
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    before = count_rows("unit", "officer", "service", "event")
    for _ in range(2):
        assert head in succeeded(cli("db", "upgrade"))
    assert count_rows("unit", "officer", "service", "event") == before
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT version_num FROM alembic_version")) == head

    # On an empty database, `db upgrade` builds the whole schema, and again changes nothing.
    name = f"ptsa_cli_empty_{db_url.rsplit('/', 1)[-1]}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    empty_url = with_database(server_url, name)
    try:
        for _ in range(2):
            succeeded(cli("db", "upgrade", env={"PTSA_DATABASE_URL": empty_url}))
        with psycopg.connect(empty_url) as conn:
            assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [(head,)]
            assert conn.execute("SELECT count(*) FROM task").fetchall() == [(0,)]
    finally:
        drop_database(server_url, name)


def test_demo_without_a_terminal_prints_the_office_and_the_logins(cli: Cli) -> None:
    demo = succeeded(cli("demo", "--weeks", "1"))  # the 13-week default is for people
    assert "demo office: 28 units, 56 officers, 15 services, 27 new sample requests" in demo
    assert "demo logins (password ptsademo): p0, p1, p2" in demo
    units = {row[0]: row for row in table_rows(demo)}
    assert units["BINAPENTA"][1] == "P1" and units["FO"][1] == "P0"
    queued = sum(int(row[4]) for row in units.values())
    assert queued > 0  # sample requests wait in queues, to be claimed from the desks
    again = succeeded(cli("demo", "--weeks", "1"))  # a second run changes nothing
    assert "0 new sample requests" in again
    assert {row[0]: row[4] for row in table_rows(again)} == {k: r[4] for k, r in units.items()}
