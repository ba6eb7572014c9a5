"""The KPI screen's first paint: 90 days, one echelon-1 unit with its echelon-2 units.

The history is bench/kpi.py's (a year of requests generated in PostgreSQL on the demo
organisation). The desk is a real `DeskApp` (headless), logged in as an officer of the busiest
echelon-1 unit, its clock at the end of the year. The figure is from pressing `k` to the first
frame that shows the unit's figures and the plots (every unit of its scope, the E1 unit and
its E2 units, is read by that one load), each frame rendered to the bytes a terminal would be
sent. The screen is closed and opened again `--runs` times: the first open in a process also
imports numpy and textual-plot, so it is shown on its own; the target is on the median.

Floors, in the same run:
- the store's two reads the screen makes (`DeskStore.kpis` and `kpi_trend`, the same
  arguments), called bare from this thread, median of `--runs`;
- the same app's inbox first paint (from the end of login to the first frame of its rows).

    .venv/bin/python bench/kpi_screen.py            # 1,000,000 requests over a year
    .venv/bin/python bench/kpi_screen.py --quick    # 20,000 requests: a smoke run
"""

import argparse
import asyncio
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy.orm import Session

from bench.common import (
    Figure,
    at_most,
    bench_database,
    console,
    fmt,
    import_demo_org,
    info,
    median,
    print_figures,
    where,
)
from bench.desk import log_in, make_app, officer_in, until
from bench.kpi_history import generate
from ptsa_tui.config import Settings
from ptsa_tui.store.database import make_engine
from ptsa_tui.store.rules import load_rules

TARGET_S = 1.0
LAST = date(2026, 11, 30)  # the history's last day; the desk's clock is the midnight after
SIZE = (120, 36)


def kpis_shown(app: Any) -> bool:
    """The KPI screen with its figures loaded (without importing it: the first open must)."""
    screen = app.screen
    return getattr(screen, "report", None) is not None and not screen.table.loading


def inbox_shown(app: Any) -> bool:
    from ptsa_tui.screens.inbox import InboxScreen

    return isinstance(app.screen, InboxScreen) and app.loads >= 1


class Painted:
    """When the app first put a frame on its (headless) screen in which `shown(app)` held,
    each frame rendered to the bytes a terminal would be sent."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.waiting: tuple[Any, list[float]] | None = None
        display = app._display

        def displayed(screen: Any, update: Any) -> None:
            display(screen, update)
            if update is None or app._batch_count or self.waiting is None:
                return
            if hasattr(update, "render_segments"):
                update.render_segments(app.console)
            shown, found = self.waiting
            if not found and shown(app):
                found.append(time.perf_counter())

        app._display = displayed

    async def after(self, start: Any, shown: Any, timeout: float = 60.0) -> float:
        """Seconds from calling `start()` to the first frame showing `shown`."""
        found: list[float] = []
        self.waiting = (shown, found)
        began = time.perf_counter()
        start()
        await until(lambda: bool(found), timeout=timeout)
        self.waiting = None
        return found[0] - began


def measure(url: str, home: str, viewer: str, now: Any, runs: int) -> dict[str, Any]:
    app = make_app(url, home, clock=lambda: now)
    opens: list[float] = []
    inbox = 0.0

    async def run() -> None:
        nonlocal inbox
        async with app.run_test(headless=True, size=SIZE) as pilot:
            painted = Painted(app)
            await pilot.pause()
            inbox = await painted.after(lambda: log_in(app, viewer), inbox_shown)
            await asyncio.sleep(0.2)  # the login's other work (presence, listener) settles
            for _ in range(runs + 1):  # the first: a cold open
                opens.append(await painted.after(app.action_kpis, kpis_shown))
                app.pop_screen()
                await until(lambda: inbox_shown(app))
                await asyncio.sleep(0.05)

    try:
        asyncio.run(run())
        store_reads = [time_store_reads(app, viewer, now) for _ in range(runs)]
    finally:
        app.store.dispose()
    return {"cold": opens[0], "warm": opens[1:], "inbox": inbox, "store": store_reads}


def time_store_reads(app: Any, viewer: str, now: Any) -> float:
    """The screen's two store calls, bare: the figures of the scope, then their weeks."""
    from ptsa_tui.screens.kpi_period import period_range, trend_window
    from ptsa_tui.store.actors import find_actor

    user = find_actor(app.store._engine, viewer)
    start, end = period_range("quarter", now.astimezone(app.store.timezone).date())
    first, last = trend_window(start, end)
    began = time.perf_counter()
    report = app.store.kpis(user, start=start, end=end, now=now)
    units = [row.unit for row in report.units]
    app.store.kpi_trend(user, start=first, end=last, units=units, now=now)
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=1_000_000, help="requests in the year")
    parser.add_argument("--runs", type=int, default=7, help="opens of the screen after the first")
    parser.add_argument("--quick", action="store_true", help="smoke run: 20,000 requests")
    args = parser.parse_args()
    if args.quick:
        args.requests, args.runs = min(args.requests, 20_000), min(args.runs, 3)
    first = LAST - timedelta(days=364)

    with bench_database("kpi_screen") as db, tempfile.TemporaryDirectory() as home:
        import_demo_org(db.url)
        engine = make_engine(db.url)
        with Session(engine) as session:
            rules = load_rules(session, Settings(database_url=db.url, home=Path(home)))
        engine.dispose()
        t0 = time.perf_counter()
        facts = generate(db.url, rules, args.requests, first, LAST)
        console.print(
            f"[dim]{where(db)}: {args.requests:,} requests, {facts['tasks']:,} tasks,"
            f" {first} .. {LAST}, generated in {time.perf_counter() - t0:.1f} s;"
            f" the desk of {facts['big']}[/]"
        )
        viewer = officer_in(db.url, facts["big"])
        found = measure(db.url, home, viewer, facts["now"], args.runs)

    warm = median(found["warm"])
    figures: list[Figure] = [
        info("requests / tasks", f"{args.requests:,} / {facts['tasks']:,}"),
        info("echelon-1 unit (with its echelon-2 units)", facts["big"]),
        at_most(
            "KPI screen: first open in the process (imports numpy, textual-plot)",
            found["cold"],
            TARGET_S,
            "s",
            digits=3,
        ),
        at_most(
            f"KPI screen first paint, 90 days (median of {len(found['warm'])})",
            warm,
            TARGET_S,
            "s",
            digits=3,
            floors={
                "DeskStore.kpis + kpi_trend, bare": median(found["store"]),
                "the same app's inbox first paint": found["inbox"],
            },
        ),
        info("  … slowest open after the first", f"{fmt(max(found['warm']), 3)} s"),
    ]
    print_figures("KPI screen (headless)", figures)


if __name__ == "__main__":
    main()
