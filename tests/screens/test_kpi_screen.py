"""The KPI screen (`k`): figures per unit for a period, weekly plots, drill-down, failures.

The history is built through the workflow at fixed times, all in office hours (so office
time equals wall time), and the figures below are worked out by hand from it:

| request | registered 09:00 | A1 claims after | dispatched | A2X claims after (SLA 30m) | resolved |
|---|---|---|---|---|---|
| 1 | Tue 27/10 | 4m12s | 09:25 | 40m (late) | 10:30 |
| 2 | Tue 10/11 | 10m | 09:25 | 5m | 10:00 |
| 3 | Tue 17/11 | 20m | 09:25 | 2m | no: still open |
| 4 | Mon 23/11 | unclaimed at 10:00 (late) | | | |

Over the last 90 days (26/08–23/11) A1 received 4; claims 252 s, 600 s, 1200 s give
p50 600 s and p90 600 + 0.8 × 600 = 1080 s; 3 of 4 were claimed on time (request 4 is late
unclaimed). A2X received 3; claims 2400 s, 300 s, 120 s give p50 300 s and p90
300 + 0.8 × 2100 = 1980 s; 2 of 3 on time; 2 resolved, both within their 3-day SOP; one
open since 17/11 09:25. This month (1/11–23/11) A1 has requests 2–4: p50 (600 + 1200) / 2
= 900 s, p90 600 + 0.9 × 600 = 1140 s.
"""

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from rich.text import Text
from sqlalchemy import Engine, text
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from ptsa_tui.config import Settings
from ptsa_tui.screens.app import DeskApp
from ptsa_tui.screens.i18n import current_language, use_language
from ptsa_tui.screens.inbox import InboxScreen
from ptsa_tui.screens.kpi_cells import duration
from ptsa_tui.screens.kpi_period import BadRange, parse_range, period_range, trend_window
from ptsa_tui.screens.kpi_screen import KpiScreen
from ptsa_tui.screens.kpi_trend import TrendPlots
from ptsa_tui.store.actors import find_actor
from ptsa_tui.store.api import DeskStore, NotAllowed
from ptsa_tui.store.workflow import Workflow
from tests.conftest import MONDAY_10, WIB
from tests.screens.conftest import AppFactory, log_in, until
from tests.screens.test_injection import HOSTILE, SHOWN, _text_of
from tests.screens.test_worker_failures import database_gone

Snap = Callable[..., bool]
TODAY = MONDAY_10.date()  # Monday 23/11/2026


def at(day: int, month: int, hour: int, minute: int, second: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, second, tzinfo=WIB)


def history(flow: Workflow) -> None:
    """The four requests of the module's table."""

    def request(name: str, registered: datetime) -> int:
        done = flow.register(
            by="p0",
            service_code="SVC-A",
            customer={"name": name, "phone": "0812" + str(sum(map(ord, name)) * 7919).zfill(8)},
            subject="Permohonan data",
            now=registered,
        )
        assert done.task.id is not None
        return done.task.id

    def served(task: int, day: int, month: int, claims: tuple[int, int], p2_claim: int) -> int:
        minute, second = claims
        flow.claim(task_id=task, by="p1a", now=at(day, month, 9, minute, second))
        moved = flow.dispatch(task_id=task, to="A2X", by="p1a", now=at(day, month, 9, 25))
        assert moved.offered is not None and moved.offered.id is not None
        offered = moved.offered.id
        flow.claim(
            task_id=offered, by="p2ax", now=at(day, month, 9, 25) + timedelta(minutes=p2_claim)
        )
        return offered

    first = served(request("PT Satu", at(27, 10, 9, 0)), 27, 10, (4, 12), 40)
    flow.resolve(task_id=first, by="p2ax", answer="Data terkirim.", now=at(27, 10, 10, 30))
    second = served(request("PT Dua", at(10, 11, 9, 0)), 10, 11, (10, 0), 5)
    flow.resolve(task_id=second, by="p2ax", answer="Data terkirim.", now=at(10, 11, 10, 0))
    served(request("PT Tiga", at(17, 11, 9, 0)), 17, 11, (20, 0), 2)
    request("PT Empat", at(23, 11, 9, 0))


@pytest.fixture
def office(desks: None, workflow: Workflow, engine: Engine, password_hash: str) -> None:
    history(workflow)
    with engine.begin() as conn:  # the front office's supervisor logs in too
        conn.execute(
            text("UPDATE officer SET password_hash = :hash WHERE username = 'spv0'"),
            {"hash": password_hash},
        )


def kpi_rows(app: DeskApp) -> list[list[str]]:
    table = app.screen.query_one("#kpi-units", DataTable)
    return [
        [cell.plain if isinstance(cell, Text) else str(cell) for cell in table.get_row_at(i)]
        for i in range(table.row_count)
    ]


def loaded(app: DeskApp) -> Callable[[], bool]:
    def done() -> bool:
        screen = app.screen
        return (
            isinstance(screen, KpiScreen)
            and screen.report is not None
            and not (screen.table.loading)
        )

    return done


async def open_kpis(pilot: Pilot[Any], username: str) -> KpiScreen:
    app = pilot.app
    assert isinstance(app, DeskApp)
    await log_in(pilot, username)
    await pilot.press("k")
    await until(pilot, loaded(app))
    await pilot.pause()
    assert isinstance(app.screen, KpiScreen)
    return app.screen


def heading(app: DeskApp) -> str:
    return str(app.screen.query_one("#kpi-heading", Static).render())


# -- the pure parts -------------------------------------------------------------------


def test_claim_times_read_to_the_second_under_an_hour() -> None:
    assert duration(None) == "—"
    assert duration(45.4) == "45s"
    assert duration(252) == "4m12s"
    assert duration(600) == "10m00s"
    assert duration(2 * 3600 + 5 * 60 + 59) == "2h05m"
    assert duration(86_400 + 3 * 3600) == "1d03h"


def test_periods_end_today_and_the_trend_covers_at_least_13_weeks() -> None:
    assert period_range("week", TODAY) == (date(2026, 11, 23), TODAY)
    assert period_range("week", date(2026, 11, 29)) == (date(2026, 11, 23), date(2026, 11, 29))
    assert period_range("month", TODAY) == (date(2026, 11, 1), TODAY)
    assert period_range("quarter", TODAY) == (date(2026, 8, 26), TODAY)
    # 12 weeks before the Monday of the end's week: 31/08, earlier than this week's start
    assert trend_window(date(2026, 11, 23), TODAY) == (date(2026, 8, 31), TODAY)
    assert trend_window(date(2026, 8, 26), TODAY) == (date(2026, 8, 26), TODAY)


@pytest.fixture
def in_english() -> Iterator[None]:
    """The messages below are matched in English, whichever language an earlier test left."""
    before = current_language()
    use_language("en")
    yield
    use_language(before)


@pytest.mark.usefixtures("in_english")
def test_a_custom_range_is_checked() -> None:
    assert parse_range(" 2026-11-10 ", "2026-11-17", TODAY) == (
        date(2026, 11, 10),
        date(2026, 11, 17),
    )
    for start, end, says in (
        ("2026-13-01", "2026-11-17", "YYYY-MM-DD"),
        ("", "2026-11-17", "YYYY-MM-DD"),
        ("20261110", "2026-11-17", "YYYY-MM-DD"),
        ("2026-11-17", "2026-11-10", "ends before it begins"),
        ("2026-11-17", "2026-11-24", "after today"),
        ("2025-11-01", "2026-11-17", "longer than 366 days"),
    ):
        with pytest.raises(BadRange, match=says):
            parse_range(start, end, TODAY)
    use_language("id")
    with pytest.raises(BadRange, match="berakhir sebelum dimulai"):
        parse_range("2026-11-17", "2026-11-10", TODAY)


# -- scope, through the store ------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "units"),
    [
        ("p0", ["FO"]),
        ("spv0", ["FO", "A1", "B1", "A2X", "A2Y", "B2X"]),
        ("p1a", ["A1", "A2X", "A2Y"]),
        ("spv1a", ["A1", "A2X", "A2Y"]),
        ("p2ax", ["A2X"]),
        ("spv2ax", ["A2X"]),
    ],
)
def test_who_sees_which_units(
    org: None, engine: Engine, settings: Settings, db_url: str, username: str, units: list[str]
) -> None:
    store = DeskStore(engine=engine, settings=settings, url=db_url)
    user = find_actor(engine, username)
    report = store.kpis(user, start=TODAY, end=TODAY, now=MONDAY_10)
    assert [row.unit for row in report.units] == units


def test_the_scope_follows_the_officer_as_stored_now(
    org: None, engine: Engine, settings: Settings, db_url: str
) -> None:
    store = DeskStore(engine=engine, settings=settings, url=db_url)
    spv0 = find_actor(engine, "spv0")  # as at login: a supervisor
    with engine.begin() as conn:
        conn.execute(text("UPDATE officer SET supervisor = false WHERE username = 'spv0'"))
    report = store.kpis(spv0, start=TODAY, end=TODAY, now=MONDAY_10)
    assert [row.unit for row in report.units] == ["FO"]
    with engine.begin() as conn:
        conn.execute(text("UPDATE officer SET active = false WHERE username = 'spv0'"))
    with pytest.raises(NotAllowed, match="inactive"):
        store.kpis(spv0, start=TODAY, end=TODAY, now=MONDAY_10)


def test_a_unit_outside_the_scope_is_refused(
    org: None, engine: Engine, settings: Settings, db_url: str
) -> None:
    store = DeskStore(engine=engine, settings=settings, url=db_url)
    p1a = find_actor(engine, "p1a")
    with pytest.raises(NotAllowed, match="B1"):
        store.kpis(p1a, start=TODAY, end=TODAY, now=MONDAY_10, units=["A1", "B1"])
    with pytest.raises(NotAllowed, match="B2X"):
        store.kpi_trend(p1a, start=TODAY, end=TODAY, now=MONDAY_10, units=["B2X"])


# -- the screen ------------------------------------------------------------------------


A1_QUARTER = ["A1 ▸", "4", "0", "10m00s", "18m00s", "75%", "—", "1", "23/11 09:00"]
A2X_QUARTER = ["A2X", "3", "2", "5m00s", "33m00s", "67%", "100%", "1", "17/11 09:25"]
A2Y_QUARTER = ["A2Y", "0", "0", "—", "—", "—", "—", "0", "—"]


def run(app: DeskApp, scenario: Callable[[Pilot[Any]], Awaitable[None]]) -> None:
    async def main() -> None:
        async with app.run_test(size=(120, 36)) as pilot:
            await scenario(pilot)

    asyncio.run(main())


def test_k_opens_the_kpis_of_the_officers_unit_and_escape_goes_back(
    office: None, make_app: AppFactory
) -> None:
    app = make_app(live=False, lang="en")

    async def scenario(pilot: Pilot[Any]) -> None:
        screen = await open_kpis(pilot, "p1a")
        assert [row[:-1] for row in kpi_rows(app)] == [A1_QUARTER]
        assert kpi_rows(app)[0][-1] == "Echelon-1 A"
        assert "Last 90 days 26/08/2026 – 23/11/2026 · office time" in heading(app)
        # the plots: 14 weeks (Mondays 24/08 … 23/11), A1's medians in the weeks it claimed
        assert len(screen.trends["A1"]) == 14
        weekly = {w.week_start: w.claim_p50_s for w in screen.trends["A1"]}
        assert weekly[date(2026, 10, 26)] == 252 and weekly[date(2026, 11, 16)] == 1200
        assert "Weekly trend: A1 — Echelon-1 A" in str(
            screen.query_one("#trend-heading", Static).render()
        )
        await pilot.press("escape")
        assert isinstance(app.screen, InboxScreen)

    run(app, scenario)


def test_the_footer_and_palette_offer_k_only_once_logged_in(
    office: None, make_app: AppFactory
) -> None:
    app = make_app(live=False, lang="en")

    async def scenario(pilot: Pilot[Any]) -> None:
        assert app.check_action("kpis", ()) is False  # the login screen
        await pilot.press("k")  # typed into the username box, nothing opens
        assert not isinstance(app.screen, KpiScreen)
        await pilot.press("backspace")
        await log_in(pilot, "p1a")
        assert app.check_action("kpis", ()) is True
        from ptsa_tui.screens.commands import DeskCommands

        found = DeskCommands(app.screen)._commands()
        assert ("KPIs", "app.kpis") in found
        await app.screen.run_action("app.kpis")  # what the palette's entry runs
        await until(pilot, loaded(app))
        assert app.check_action("kpis", ()) is False  # not a second one over it

    run(app, scenario)


def test_switching_the_period(office: None, make_app: AppFactory) -> None:
    app = make_app(live=False, lang="en")

    async def scenario(pilot: Pilot[Any]) -> None:
        screen = await open_kpis(pilot, "p1a")
        await pilot.press("m")
        await until(pilot, lambda: screen.report is not None and screen.report.start.day == 1)
        await until(pilot, loaded(app))
        # requests 2–4: claims of 600 s and 1200 s; request 4 late; one open
        assert kpi_rows(app)[0][:8] == ["A1 ▸", "3", "0", "15m00s", "19m00s", "67%", "—", "1"]
        assert "This month 01/11/2026 – 23/11/2026" in heading(app)
        await pilot.press("w")
        await until(pilot, lambda: screen.report is not None and screen.report.start == TODAY)
        await until(pilot, loaded(app))
        assert kpi_rows(app)[0][:8] == ["A1 ▸", "1", "0", "—", "—", "0%", "—", "1"]
        assert "This week 23/11/2026 – 23/11/2026" in heading(app)
        # however short the period, the plots show 13 weeks
        weeks = [w.week_start for w in screen.trends["A1"]]
        assert (weeks[0], weeks[-1], len(weeks)) == (date(2026, 8, 31), TODAY, 13)
        await pilot.press("9")
        await until(pilot, lambda: screen.report is not None and screen.report.start.month == 8)
        await until(pilot, loaded(app))
        assert kpi_rows(app)[0][:-1] == A1_QUARTER

    run(app, scenario)


def test_a_bad_custom_range_is_explained_and_a_good_one_applied(
    office: None, make_app: AppFactory
) -> None:
    app = make_app(live=False, lang="en")

    async def scenario(pilot: Pilot[Any]) -> None:
        screen = await open_kpis(pilot, "p1a")
        await pilot.press("r")
        start = screen.query_one("#kpi-from", Input)
        assert start.has_focus and start.value == "2026-08-26"
        start.value = "2026-13-01"
        await pilot.press("enter", "enter")  # on to "To", then apply
        problem = screen.query_one("#kpi-problem", Static)
        assert problem.display
        assert "From: “2026-13-01” is not a date; write it as YYYY-MM-DD" in str(problem.render())
        assert screen.period == "quarter"  # nothing applied
        start.value = "2026-11-10"
        screen.query_one("#kpi-to", Input).value = "2026-11-30"
        start.focus()
        await pilot.press("enter", "enter")
        assert "cannot end after today (2026-11-23)" in str(problem.render())
        screen.query_one("#kpi-to", Input).value = "2026-11-17"
        await pilot.press("enter")
        await until(pilot, lambda: screen.period == "custom")
        await until(pilot, loaded(app))
        assert not problem.display and not screen.query_one("#kpi-range").display
        # requests 2 and 3: claims 600 s and 1200 s, both on time; request 3 still open
        assert kpi_rows(app)[0][:8] == ["A1 ▸", "2", "0", "15m00s", "19m00s", "100%", "—", "0"]
        assert "Custom range 10/11/2026 – 17/11/2026" in heading(app)

    run(app, scenario)


def test_escape_closes_the_range_without_applying_it(office: None, make_app: AppFactory) -> None:
    app = make_app(live=False, lang="en")

    async def scenario(pilot: Pilot[Any]) -> None:
        screen = await open_kpis(pilot, "p1a")
        await pilot.press("r")
        await pilot.press("escape")
        assert not screen.query_one("#kpi-range").display
        assert screen.period == "quarter" and isinstance(app.screen, KpiScreen)

    run(app, scenario)


def test_drill_down_to_the_echelon_2_units_and_back(office: None, make_app: AppFactory) -> None:
    app = make_app(live=False, lang="en")

    async def scenario(pilot: Pilot[Any]) -> None:
        screen = await open_kpis(pilot, "p1a")
        assert screen.check_action("drill", ()) is True
        await pilot.press("enter")
        assert [row[:-1] for row in kpi_rows(app)] == [A2X_QUARTER, A2Y_QUARTER]
        assert "A1 ▸ echelon-2 units" in heading(app)
        assert screen.check_action("drill", ()) is False  # no level below
        trend = screen.query_one(TrendPlots)
        assert "Weekly trend: A2X" in str(trend.query_one("#trend-heading", Static).render())
        assert "resolved within SOP" in str(trend.query_one("#share-title", Static).render())
        await pilot.press("down")
        assert "Weekly trend: A2Y" in str(trend.query_one("#trend-heading", Static).render())
        await pilot.press("escape")
        assert [row[:-1] for row in kpi_rows(app)] == [A1_QUARTER]
        assert "echelon-2" not in heading(app)
        await pilot.press("escape")
        assert isinstance(app.screen, InboxScreen)

    run(app, scenario)


def test_the_front_office_supervisor_sees_it_and_the_echelon_1_units(
    office: None, make_app: AppFactory
) -> None:
    app = make_app(live=False, lang="en")

    async def scenario(pilot: Pilot[Any]) -> None:
        await open_kpis(pilot, "spv0")
        # two answers went back to the front office (27/10 10:30, 10/11 10:00), never claimed
        assert [row[:3] for row in kpi_rows(app)] == [
            ["FO", "2", "0"],
            ["A1 ▸", "4", "0"],
            ["B1 ▸", "0", "0"],
        ]
        await pilot.press("down", "enter")
        assert [row[0] for row in kpi_rows(app)] == ["A2X", "A2Y"]

    run(app, scenario)


def test_a_failed_load_tells_the_officer(
    office: None, make_app: AppFactory, admin_url: str
) -> None:
    app = make_app(live=False, lang="en")

    async def scenario(pilot: Pilot[Any]) -> None:
        await log_in(pilot, "p1a")
        with database_gone(admin_url):
            await pilot.press("k")
            await until(pilot, lambda: isinstance(app.screen, KpiScreen))
            screen = app.screen
            assert isinstance(screen, KpiScreen)
            await until(
                pilot,
                lambda: any(
                    "database is unavailable" in str(n.message) for n in app._notifications
                ),
            )
            await until(pilot, lambda: not screen.table.loading)
            assert "could not be loaded" in heading(app)
        await pilot.press("9")  # the database is back: the same key tries again
        await until(pilot, loaded(app))
        assert [row[:-1] for row in kpi_rows(app)] == [A1_QUARTER]

    run(app, scenario)


def test_a_unit_name_with_markup_is_shown_literally(
    office: None, make_app: AppFactory, engine: Engine
) -> None:
    with engine.begin() as conn:
        conn.execute(text("UPDATE unit SET name = :name WHERE code = 'A2X'"), {"name": HOSTILE})
    app = make_app(live=False, lang="en")

    async def scenario(pilot: Pilot[Any]) -> None:
        await open_kpis(pilot, "p2ax")
        assert kpi_rows(app)[0][-1] == SHOWN
        page = app.export_screenshot()
        assert f"Weekly trend: A2X — {SHOWN}" in _text_of(page)
        assert "\x1b" not in page and "\x07" not in page

    run(app, scenario)


# -- snapshots ---------------------------------------------------------------------------


def kpis_of(username: str, *keys: str) -> Any:
    async def run_before(pilot: Pilot[Any]) -> None:
        await open_kpis(pilot, username)
        if keys:
            await pilot.press(*keys)
        pilot.app.clear_notifications()
        await pilot.pause()

    return run_before


def test_kpi_screen_80x24(snap_compare: Snap, make_app: AppFactory, office: None) -> None:
    app = make_app(live=False, lang="en")
    assert snap_compare(app, terminal_size=(80, 24), run_before=kpis_of("p1a"))


def test_kpi_screen_drilled_down_120x36(
    snap_compare: Snap, make_app: AppFactory, office: None
) -> None:
    app = make_app(live=False, lang="en")
    assert snap_compare(app, terminal_size=(120, 36), run_before=kpis_of("spv1a", "enter"))
