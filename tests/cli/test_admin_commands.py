"""`ptsa calendar`, `ptsa officer activate|deactivate` and `ptsa task pause|resume`."""

from datetime import datetime, timedelta

import time_machine
from sqlalchemy import Engine, text

from tests.cli.conftest import Cli, CountRows, assert_one_line_error, json_of, succeeded
from tests.cli.test_end_to_end import register, show
from tests.conftest import MONDAY_10, WIB


def claimed_at_a2x(cli: Cli) -> str:
    """A request dispatched to A2X and claimed there by p2ax; its tracking number."""
    tracking = str(register(cli, "SVC-A")["tracking_no"])
    succeeded(cli("task", "claim", tracking, "--by", "p1a"))
    succeeded(cli("task", "dispatch", tracking, "--to", "A2X", "--by", "p1a"))
    succeeded(cli("task", "claim", tracking, "--by", "p2ax"))
    return tracking


def test_pause_and_resume_move_the_sop_due(cli: Cli, org: None) -> None:
    with time_machine.travel(MONDAY_10, tick=False) as clock:
        tracking = claimed_at_a2x(cli)
        before = show(cli, tracking)
        # SVC-A is 3 working days: Thursday 26 Nov, closing at 16:00.
        assert datetime.fromisoformat(before["sop_due_at"]) == datetime(
            2026, 11, 26, 16, 0, tzinfo=WIB
        )
        assert before["paused"] is False and before["pauses"] == []
        said = succeeded(cli("task", "pause", tracking, "--by", "p2ax", "--reason", "[red]KTP"))
        assert "[red]KTP" in said
        paused = show(cli, tracking)
        assert paused["paused"] is True
        assert paused["pauses"][0]["reason"] == "[red]KTP"
        assert paused["pauses"][0]["paused_by"] == "p2ax"
        clock.move_to(datetime(2026, 11, 24, 10, 0, tzinfo=WIB))  # a full day: 8h30 of office
        succeeded(cli("task", "resume", tracking, "--by", "p2ax", "--reason", "dibawa"))
        after = show(cli, tracking)
        assert after["paused"] is False
        assert after["pauses"][0]["moved_s"] == 8.5 * 3600
        # Thursday 16:00 + 8h30: Friday 07:30–16:30 is 9h, so Friday at 16:00.
        assert datetime.fromisoformat(after["sop_due_at"]) == datetime(
            2026, 11, 27, 16, 0, tzinfo=WIB
        )
        assert_one_line_error(cli("task", "resume", tracking, "--by", "p2ax"), 3, "not waiting")
        assert_one_line_error(
            cli("task", "pause", tracking, "--by", "p2ax2", "--reason", "x"), 3, "claimed by"
        )
        assert_one_line_error(cli("task", "pause", tracking, "--by", "p2ax"), 2, "--reason")


def test_calendar_add_list_remove(
    cli: Cli, org: None, engine: Engine, count_rows: CountRows
) -> None:
    with time_machine.travel(MONDAY_10, tick=False):
        tracking = str(register(cli, "SVC-A")["tracking_no"])
        events = count_rows("event")["event"]
        succeeded(
            cli("calendar", "add", "2026-11-24", "--reason", "Keppres cuti bersama", "--by", "spv0")
        )
        assert count_rows("event")["event"] == events + 1
        listed = json_of(cli("calendar", "list", "--year", "2026", "--json"))
        added = [d for d in listed["days"] if d["date"] == "2026-11-24"]
        assert added == [
            {
                "date": "2026-11-24",
                "closed": True,
                "reason": "Keppres cuti bersama",
                "source": "override",
                "holiday": None,
            }
        ]
        christmas = next(d for d in listed["days"] if d["date"] == "2026-12-25")
        assert (christmas["closed"], christmas["source"]) == (True, "holidays")
        # A request registered now: its claim clock skips the closed Tuesday.
        later = json_of(
            cli(
                "request", "new", "--service", "SVC-A", "--customer", "Sari", "--subject", "x",
                "--by", "p0", "--json",
            )
        )  # fmt: skip
        assert datetime.fromisoformat(later["claim_due_at"]) == MONDAY_10 + timedelta(minutes=30)
        assert tracking
        assert_one_line_error(
            cli("calendar", "add", "2026-11-24", "--reason", "again"), 3, "already closed"
        )
        assert_one_line_error(
            cli("calendar", "add", "2026-11-25", "--open", "--reason", "x"), 3, "working day"
        )
        assert_one_line_error(cli("calendar", "add", "2026-11-28", "--reason", "x"), 3, "no hours")
        assert_one_line_error(cli("calendar", "add", "24/11/2026", "--reason", "x"), 2, "YYYY")
        assert_one_line_error(
            cli("calendar", "add", "2026-11-26", "--reason", "x", "--by", "p0"), 5, "supervisor"
        )
        succeeded(cli("calendar", "add", "2026-12-24", "--open", "--reason", "layanan buka"))
        succeeded(cli("calendar", "remove", "2026-11-24", "--reason", "dibatalkan"))
        assert_one_line_error(cli("calendar", "remove", "2026-11-24", "--reason", "x"), 4)
        with engine.connect() as connection:
            kinds = (
                connection.execute(
                    text("SELECT details FROM event WHERE kind = 'calendar_changed' ORDER BY id")
                )
                .scalars()
                .all()
            )
        assert [k.get("removed", False) for k in kinds] == [False, False, True]


def test_deactivating_an_officer_gives_their_claims_back(cli: Cli, org: None) -> None:
    with time_machine.travel(MONDAY_10, tick=False) as clock:
        tracking = claimed_at_a2x(cli)
        held = show(cli, tracking)["open_task"]
        assert held["claimed_by"] == "p2ax"
        assert_one_line_error(cli("officer", "deactivate", "p2ax", "--by", "p2ax2"), 5)
        assert_one_line_error(cli("officer", "deactivate", "p2ax", "--by", "spv2bx"), 5)
        assert_one_line_error(cli("officer", "deactivate", "p2ax", "--by", "spv0"), 5, "manage")
        clock.move_to(MONDAY_10 + timedelta(minutes=20))
        said = succeeded(cli("officer", "deactivate", "p2ax", "--by", "spv1a"))
        assert str(held["id"]) in said
        story = show(cli, tracking)
        fresh = story["open_task"]
        assert fresh["id"] != held["id"] and fresh["claimed_by"] is None
        assert fresh["unit"] == "A2X"
        # A fresh hop with its own clock: offered at 10:20, 30 minutes of office time.
        assert datetime.fromisoformat(fresh["claim_due_at"]) == MONDAY_10 + timedelta(minutes=50)
        released = [e for e in story["events"] if e["kind"] == "released"]
        assert released[-1]["details"]["reason"] == "p2ax was deactivated"
        assert released[-1]["officer"] == "spv1a"
        assert_one_line_error(cli("task", "claim", tracking, "--by", "p2ax"), 5, "inactive")
        assert_one_line_error(cli("officer", "deactivate", "p2ax", "--by", "spv2ax"), 3)
        succeeded(cli("officer", "activate", "p2ax", "--by", "spv2ax"))
        succeeded(cli("task", "claim", tracking, "--by", "p2ax"))
        assert_one_line_error(cli("officer", "activate", "nobody", "--by", "spv2ax"), 4)
