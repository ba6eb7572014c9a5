"""The supervisors' escalation screen: who gets it, what it shows, live, and its actions."""

import asyncio
import io
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from rich.console import Console
from rich.text import Text
from sqlalchemy import Engine, text
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, OptionList, Static

from ptsa_tui.screens import escalation
from ptsa_tui.screens.app import DeskApp
from ptsa_tui.screens.commands import DeskCommands
from ptsa_tui.screens.escalation import EscalationScreen
from ptsa_tui.screens.escalation_modals import NotePrompt, ScopeOfficerPicker
from ptsa_tui.screens.inbox import InboxScreen
from ptsa_tui.screens.request_screen import RequestScreen
from ptsa_tui.store import heartbeat
from ptsa_tui.store.outbox import Outbox
from ptsa_tui.store.workflow import Workflow
from tests.conftest import MONDAY_10
from tests.screens.conftest import AppFactory, inbox_keys, log_in, until
from tests.store.escalation_office import LADDER, at, deliver_all, overdue_morning
from tests.store.helpers import officer_id, task

Snap = Callable[..., bool]
HOSTILE = "[red]x[/] \x1b[31mPT Jahat"
SHOWN = "[red]x[/] \\x1b[31mPT Jahat"


@pytest.fixture
def supervisors(desks: None, engine: Engine, password_hash: str) -> None:
    """Passwords for the other supervisors, as `desks` gives the usual desk officers."""
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE officer SET password_hash = :hash WHERE username = ANY(:names)"),
            {"hash": password_hash, "names": ["spv0", "spv2ax", "spv2bx"]},
        )


@pytest.fixture
def office(supervisors: None, workflow: Workflow, engine: Engine) -> dict[str, int]:
    return overdue_morning(workflow, engine, customer=HOSTILE)


class Clock:
    """The apps' clock, moved by the test."""

    def __init__(self, now: datetime = MONDAY_10) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def beat(engine: Engine, at_: datetime, role: str = "leader") -> None:
    heartbeat.write(
        engine,
        heartbeat.Beat(
            daemon="alerts-host:7",
            host="alerts-host",
            pid=7,
            role=role,
            interval=timedelta(seconds=5),
            started_at=at_ - timedelta(hours=1),
            at=at_,
            last_scan_at=at_ - timedelta(seconds=1),
        ),
    )


def screen_of(app: DeskApp) -> EscalationScreen:
    screen = app.screen
    assert isinstance(screen, EscalationScreen)
    return screen


def keys(app: DeskApp) -> list[str]:
    table = app.screen.query_one("#escalations", DataTable)
    return [str(row.key.value) for row in table.ordered_rows]


def cell(app: DeskApp, task_id: int, column: str) -> str:
    table = app.screen.query_one("#escalations", DataTable)
    value = table.get_cell(str(task_id), column)
    return value.plain if isinstance(value, Text) else str(value)


def static_text(app: DeskApp, selector: str) -> str:
    """What a Static shows, as plain text (Rich renderables printed without colour)."""
    content = app.screen.query_one(selector, Static).content
    if isinstance(content, str):
        return content
    console = Console(width=200, file=io.StringIO(), color_system=None, legacy_windows=False)
    with console.capture() as captured:
        console.print(content)
    return captured.get().rstrip("\n")


async def open_escalations(pilot: Pilot[Any]) -> EscalationScreen:
    app = pilot.app
    assert isinstance(app, DeskApp)
    await pilot.press("e")
    await until(pilot, lambda: isinstance(app.screen, EscalationScreen))
    screen = screen_of(app)
    await until(pilot, lambda: screen.loads >= 1 and screen.health is not None)
    await pilot.pause()
    return screen


async def go_to(pilot: Pilot[Any], task_id: int) -> None:
    app = pilot.app
    assert isinstance(app, DeskApp)
    table = app.screen.query_one("#escalations", DataTable)
    table.move_cursor(row=table.get_row_index(str(task_id)))
    await pilot.pause()


def palette(app: DeskApp) -> list[str]:
    provider = DeskCommands(app.screen)
    return [label for label, _action in provider._commands()]


# -- who gets it --------------------------------------------------------------------------


def test_e_is_offered_to_supervisors_only(make_app: AppFactory, office: dict[str, int]) -> None:
    desk, supervisor = make_app(live=False, lang="en"), make_app(live=False, lang="en")

    async def scenario() -> None:
        async with desk.run_test() as pilot:
            await log_in(pilot, "p1a")
            assert "e" not in desk.screen.active_bindings
            assert "Escalations" not in palette(desk)
            await pilot.press("e")
            await pilot.pause()
            assert isinstance(desk.screen, InboxScreen)
            desk.push_screen(EscalationScreen())  # however it is reached: nothing for them
            await pilot.pause()
            await until(pilot, lambda: isinstance(desk.screen, InboxScreen))
        async with supervisor.run_test() as pilot:
            await log_in(pilot, "spv1a")
            assert "e" in supervisor.screen.active_bindings
            assert "Escalations" in palette(supervisor)
            await open_escalations(pilot)
            assert "e" not in supervisor.screen.active_bindings  # already there
            await pilot.press("escape")
            assert isinstance(supervisor.screen, InboxScreen)

    asyncio.run(scenario())


def test_a_supervisor_whose_flag_was_taken_away_is_refused_by_the_store(
    make_app: AppFactory, office: dict[str, int], engine: Engine
) -> None:
    app = make_app(live=False, lang="en")

    async def scenario() -> None:
        async with app.run_test() as pilot:
            await log_in(pilot, "spv1a")
            with engine.begin() as conn:
                conn.execute(text("UPDATE officer SET supervisor = false WHERE username = 'spv1a'"))
            await pilot.press("e")  # the desk still offers it (the flags of the login) …
            await until(pilot, lambda: isinstance(app.screen, InboxScreen))  # … the store refuses
            assert any("not a supervisor" in n.message for n in app._notifications)

    asyncio.run(scenario())


def test_each_supervisor_sees_their_scope(make_app: AppFactory, office: dict[str, int]) -> None:
    expected = {
        "spv1a": [office["p2_late"], office["late"], office["at_risk"]],  # A1 and A2X, A2Y
        "spv2ax": [office["p2_late"]],
        "spv2bx": [],  # B1's late task is not a tier-2 unit's business
    }

    async def scenario() -> None:
        for username, tasks in expected.items():
            app = make_app(live=False, lang="en")
            async with app.run_test() as pilot:
                await log_in(pilot, username)
                await open_escalations(pilot)
                assert keys(app) == [str(t) for t in tasks]

    asyncio.run(scenario())


# -- what it shows ---------------------------------------------------------------------------


def test_a_row_shows_lateness_level_and_alerts_and_the_detail_every_attempt(
    make_app: AppFactory, office: dict[str, int]
) -> None:
    app = make_app(live=False, lang="en")

    async def scenario() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await log_in(pilot, "spv1a")
            await open_escalations(pilot)
            p2 = office["p2_late"]
            assert cell(app, p2, "late") == "late by 30m"
            assert cell(app, p2, "level") == "L2"
            assert cell(app, p2, "alerts") == "✓1 …2 ✗1"
            assert cell(app, p2, "unit") == "A2X"
            assert cell(app, office["at_risk"], "late") == "at risk, 3m left"
            assert cell(app, office["at_risk"], "alerts") == "—"
            assert cell(app, p2, "due") == "23/11 09:30"  # office time, WIB
            detail = static_text(app, "#detail")
            assert "Offered 23/11 09:00 · claim due 23/11 09:30" in detail
            assert "Officer spv2ax" in detail and "delivered" in detail
            assert "tried 1×: 09:46 ✓" in detail
            assert "failed" in detail and "tried 1×: 09:46 ✗ gateway down" in detail
            assert "Officer spv1a" in detail and "not tried yet" in detail
            assert static_text(app, "#summary") == "2 late · 1 at risk · in A1, A2X, A2Y"

    asyncio.run(scenario())


def test_markup_and_escapes_in_a_customer_name_are_shown_literally(
    make_app: AppFactory, office: dict[str, int]
) -> None:
    app = make_app(live=False, lang="en")

    async def scenario() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await log_in(pilot, "spv1a")
            await open_escalations(pilot)
            customer = app.screen.query_one("#escalations", DataTable).get_cell(
                str(office["p2_late"]), "customer"
            )
            assert isinstance(customer, Text) and customer.spans == []
            assert customer.plain.startswith(SHOWN[:14])  # truncated to its column
            assert SHOWN in static_text(app, "#detail")
            page = app.export_screenshot()
            assert "[red]x[/]" in page and "\x1b" not in page

    asyncio.run(scenario())


def test_the_daemon_banner_fresh_stale_and_missing(
    make_app: AppFactory, office: dict[str, int], engine: Engine
) -> None:
    clock = Clock()
    app = make_app(live=False, lang="en", clock=clock)

    def banner_shown() -> bool:
        return app.screen.query_one("#daemon-banner").display

    async def scenario() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await log_in(pilot, "spv1a")
            screen = await open_escalations(pilot)
            assert banner_shown()  # no daemon has ever beaten
            assert "NO ALERT DAEMON" in static_text(app, "#daemon-banner")
            assert "6 pending · 2 failed" in static_text(app, "#daemon-banner")

            beat(engine, MONDAY_10 - timedelta(seconds=2))
            health = screen.health
            screen.tick()
            await until(pilot, lambda: screen.health is not health)
            await pilot.pause()
            assert not banner_shown()
            line = static_text(app, "#daemon")
            assert line.startswith("Alert daemon: alerts-host · beat 2s ago · scan 09:59:57 ·")

            clock.now = MONDAY_10 + timedelta(minutes=5)  # the daemon died at 09:59:58
            health = screen.health
            screen.tick()
            await until(pilot, lambda: screen.health is not health)
            await pilot.pause()
            assert banner_shown()
            assert "ALERT DAEMON STOPPED: last heartbeat 5m ago from alerts-host" in static_text(
                app, "#daemon-banner"
            )

    asyncio.run(scenario())


def test_who_is_on_duty(make_app: AppFactory, office: dict[str, int], engine: Engine) -> None:
    def active_sent() -> bool:
        with engine.connect() as conn:
            return bool(conn.scalar(text("SELECT count(active_at) FROM presence")))

    colleague, supervisor = make_app(live=False, lang="en"), make_app(live=False, lang="en")

    async def scenario() -> None:
        async with colleague.run_test() as at_desk, supervisor.run_test() as pilot:
            await log_in(at_desk, "p2ax")  # A2X, below A1
            await at_desk.press("down")  # a key: the officer is at the desk
            colleague.beat()  # the next heartbeat carries it
            await until(at_desk, active_sent)
            await log_in(pilot, "spv1a")
            await open_escalations(pilot)
            duty = static_text(supervisor, "#duty")
            assert "Officer p2ax A2X idle 0s, holds 0, app open 0s" in duty
            assert "Officer spv1a A1" in duty

    asyncio.run(scenario())


# -- live -----------------------------------------------------------------------------------


def test_the_screen_follows_the_daemons_alerts_and_a_claim_live(
    make_app: AppFactory,
    office: dict[str, int],
    engine: Engine,
    workflow: Workflow,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(escalation, "TICK", 3600.0)  # no periodic re-read either
    app = make_app(poll_every=3600)  # only the live link can bring the changes
    outbox = Outbox(engine, LADDER, "alerts-host:9")

    async def scenario() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await log_in(pilot, "spv1a")
            await until(pilot, lambda: app.listening)
            screen = await open_escalations(pilot)
            risky = office["at_risk"]
            assert cell(app, risky, "level") == "—"
            loads = screen.loads

            # The daemon, in its own transactions: level 1 for "at_risk", due at 10:03.
            await asyncio.to_thread(outbox.raise_due, now=at(10, 4), rules=workflow.rules)
            await until(pilot, lambda: cell(app, risky, "level") == "L1")
            assert cell(app, risky, "alerts") == "…2"
            await asyncio.to_thread(deliver_all, outbox, at(10, 5))
            await until(pilot, lambda: cell(app, risky, "alerts").startswith("✓"))
            # The other rows' deliveries of this pass came in too.
            assert cell(app, office["late"], "alerts") == "✓1 ✗1"

            late = office["late"]
            await asyncio.to_thread(workflow.claim, task_id=late, by="p1a2", now=at(10, 6))
            await until(pilot, lambda: str(late) not in keys(app))
            assert keys(app) == [str(office["p2_late"]), str(risky)]
            assert screen.loads == loads  # single requests re-read, never the whole screen

    asyncio.run(scenario())


# -- actions --------------------------------------------------------------------------------


def test_acknowledge_records_the_time_and_the_supervisor(
    make_app: AppFactory, office: dict[str, int], engine: Engine
) -> None:
    app = make_app(live=False, lang="en", clock=lambda: at(10, 2))

    async def scenario() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await log_in(pilot, "spv1a")
            await open_escalations(pilot)
            p2 = office["p2_late"]
            await go_to(pilot, p2)
            assert "g" in app.screen.active_bindings
            await go_to(pilot, office["at_risk"])  # no alert yet: nothing to acknowledge
            assert "g" not in app.screen.active_bindings
            await go_to(pilot, p2)
            await pilot.press("g")
            await until(pilot, lambda: cell(app, p2, "level") == "L2 ✓")
            acked = task(engine, p2)
            assert (acked.acked_level, acked.acked_at, acked.acked_by) == (
                2,
                at(10, 2),
                officer_id(engine, "spv1a"),
            )
            assert "Level 2 acknowledged by Officer spv1a at 23/11 10:02" in static_text(
                app, "#detail"
            )
            assert "g" not in app.screen.active_bindings

    asyncio.run(scenario())


def test_assign_hands_a_tier2_task_to_an_officer_of_its_unit(
    make_app: AppFactory, office: dict[str, int], engine: Engine
) -> None:
    app = make_app(live=False, lang="en")

    async def scenario() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await log_in(pilot, "spv1a")
            await open_escalations(pilot)
            p2 = office["p2_late"]
            await go_to(pilot, p2)
            await pilot.press("a")
            await until(pilot, lambda: isinstance(app.screen, ScopeOfficerPicker))
            officers = app.screen.query_one("#choices", OptionList)
            await until(pilot, lambda: officers.option_count > 0)
            listed = [officers.get_option_at_index(i).id for i in range(officers.option_count)]
            assert listed == ["p2ax", "p2ax2", "spv2ax"]  # A2X's, not the supervisor's own A1
            await pilot.press("enter")
            await until(pilot, lambda: str(p2) not in keys(app))
            assert task(engine, p2).claimed_by == officer_id(engine, "p2ax")

    asyncio.run(scenario())


def test_a_nudge_marks_the_task_in_the_units_inbox_and_tells_its_desks(
    make_app: AppFactory, office: dict[str, int]
) -> None:
    desk = make_app(lang="en", poll_every=3600)
    supervisor = make_app(live=False, lang="en", clock=lambda: at(10, 1))

    async def scenario() -> None:
        async with desk.run_test(size=(120, 30)) as at_desk, supervisor.run_test() as pilot:
            await log_in(at_desk, "p1a")
            await until(at_desk, lambda: desk.listening)
            await log_in(pilot, "spv1a")
            await open_escalations(pilot)
            late = office["late"]
            await go_to(pilot, late)
            await pilot.press("u")
            await until(pilot, lambda: isinstance(supervisor.screen, NotePrompt))
            supervisor.screen.query_one("#text", Input).value = "Pemohon [b]menunggu[/b]"
            await pilot.press("enter")
            await until(pilot, lambda: cell(supervisor, late, "level") == "L1 ⚑")

            def told() -> list[str]:
                return [n.message for n in desk._notifications if "asks the desks" in n.message]

            await until(at_desk, told)
            [message] = told()
            tracking = next(r.tracking_no for r in desk.rows if r.task_id == late)
            assert message == (
                f"Officer spv1a asks the desks to claim {tracking} now.\nPemohon [b]menunggu[/b]"
            )
            assert str(late) in inbox_keys(desk)
            table = desk.screen.query_one("#inbox", DataTable)
            await until(at_desk, lambda: str(table.get_cell(str(late), "claim")).startswith("⚑"))

    asyncio.run(scenario())


def test_enter_opens_the_request(make_app: AppFactory, office: dict[str, int]) -> None:
    app = make_app(live=False, lang="en")

    async def scenario() -> None:
        async with app.run_test() as pilot:
            await log_in(pilot, "spv1a")
            await open_escalations(pilot)
            await go_to(pilot, office["p2_late"])
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(app.screen, RequestScreen))
            screen = app.screen
            assert isinstance(screen, RequestScreen) and screen.task_id == office["p2_late"]
            await pilot.press("escape")
            assert isinstance(app.screen, EscalationScreen)

    asyncio.run(scenario())


# -- snapshots ------------------------------------------------------------------------------


def on_escalations(
    then: Callable[[Pilot[Any]], Awaitable[None]] | None = None,
) -> Callable[[Pilot[Any]], Awaitable[None]]:
    async def run_before(pilot: Pilot[Any]) -> None:
        await log_in(pilot, "spv1a")
        await open_escalations(pilot)
        if then is not None:
            await then(pilot)
        pilot.app.clear_notifications()
        await pilot.pause()

    return run_before


def test_snapshot_80x24(
    snap_compare: Snap,
    make_app: AppFactory,
    office: dict[str, int],
    engine: Engine,
    workflow: Workflow,
) -> None:
    # English: the Indonesian catalog gets this screen's strings when the lead merges them.
    beat(engine, MONDAY_10 - timedelta(seconds=2))
    workflow.acknowledge(task_id=office["p2_late"], by="spv1a", now=at(9, 58))
    workflow.nudge(task_id=office["late"], by="spv1a", note="Segera", now=at(9, 59))
    app = make_app(live=False, lang="en")
    assert snap_compare(app, terminal_size=(80, 24), run_before=on_escalations())


def test_snapshot_120x36_daemon_stopped(
    snap_compare: Snap, make_app: AppFactory, office: dict[str, int], engine: Engine
) -> None:
    beat(engine, MONDAY_10 - timedelta(minutes=4))
    app = make_app(live=False, lang="en")
    assert snap_compare(app, terminal_size=(120, 36), run_before=on_escalations())
