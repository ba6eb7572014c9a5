"""`report kpi` on a year of history: unit_kpis over 1,000,000 requests, all units.

The history (bench/kpi_history.py) is generated inside PostgreSQL on the demo organisation:
one year of requests P1 → P2 → P0, every wait and piece of work log-normal office time.
Timed, `--runs` times each after a warm-up, alternated run by run:
- `unit_kpis(engine, rules, start, end, now)` for every unit over the year (office clock);
- its floor: one bare psycopg statement, `SELECT count(*), percentile_cont(0.5) WITHIN GROUP
  (ORDER BY claimed_at - offered_at) FROM task` (wall clock, no calendar, no grouping), in a
  transaction with the same work_mem as unit_kpis;
and for reference (no target here; the KPI screen's target is bench/desk.py's) unit_kpis and
weekly_trend of the biggest echelon-1 unit with its echelon-2 units over the last 90 days.
EXPLAIN (ANALYZE, BUFFERS) of the year's queries is printed (`--no-explain` skips it).

    .venv/bin/python bench/kpi.py            # 1,000,000 requests
    .venv/bin/python bench/kpi.py --quick    # 20,000 requests: a smoke run
"""

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psycopg
from sqlalchemy.orm import Session

from bench.common import (
    Figure,
    at_most,
    bench_database,
    console,
    fmt,
    import_demo_org,
    info,
    measured,
    print_figures,
    timed,
    where,
)
from bench.kpi_history import generate
from ptsa_tui.config import Settings
from ptsa_tui.store import kpi_sql
from ptsa_tui.store.database import make_engine
from ptsa_tui.store.kpi import WORK_MEM, query_params, unit_kpis, unit_scope, weekly_trend
from ptsa_tui.store.rules import Rules, load_rules

TARGET_S = 2.0
FLOOR_SQL = (
    "SELECT count(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY claimed_at - offered_at)"
    " FROM task"
)

# -- the timing -----------------------------------------------------------------------


def floor_query(conn: "psycopg.Connection[Any]") -> Callable[[], object]:
    """The floor on its own open connection (as unit_kpis reuses the pool's)."""

    def run() -> object:
        with conn.transaction():
            conn.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
            return conn.execute(FLOOR_SQL).fetchone()

    return run


def explain(url: str, rules: Rules, first: date, last: date, now: datetime) -> dict[str, str]:
    """EXPLAIN (ANALYZE, BUFFERS) of unit_kpis' queries, all units, the whole period."""
    params = query_params(rules, first, last, now, None)
    queries = {
        "offers and claims": kpi_sql.offered_sql(rules.clock, weekly=False, limited=False),
        "resolved": kpi_sql.resolved_sql(weekly=False, limited=False),
        "SOP": kpi_sql.sop_sql(weekly=False, limited=False),
        "backlog": kpi_sql.backlog_sql(limited=False),
    }
    plans = {}
    with psycopg.connect(url) as conn:
        conn.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
        for name, sql in queries.items():
            rows = conn.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params).fetchall()
            plans[name] = "\n".join(row[0] for row in rows)
    return plans


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1_000_000, help="requests in the year")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each figure")
    parser.add_argument("--quick", action="store_true", help="smoke run: 20,000 requests")
    parser.add_argument("--no-explain", action="store_true", help="skip the query plans")
    args = parser.parse_args()
    if args.quick:
        args.requests, args.runs = min(args.requests, 20_000), min(args.runs, 3)
    last = date(2026, 11, 30)
    first = last - timedelta(days=364)

    with bench_database("kpi") as db, tempfile.TemporaryDirectory() as home:
        import_demo_org(db.url)
        settings = Settings(database_url=db.url, home=Path(home))
        engine = make_engine(db.url)
        with Session(engine) as session:
            rules = load_rules(session, settings)
        t0 = time.perf_counter()
        facts = generate(db.url, rules, args.requests, first, last)
        generated = time.perf_counter() - t0
        now = facts["now"]
        units = facts["units"]
        console.print(
            f"[dim]{where(db)}: {args.requests:,} requests, {facts['tasks']:,} tasks on"
            f" {units} units, {first} .. {last}, generated in {generated:.1f} s ("
            + ", ".join(f"{k} {v:.1f} s" for k, v in facts["timings"].items())
            + ")[/]"
        )

        def year() -> object:
            return unit_kpis(engine, rules, start=first, end=last, now=now)

        scope = unit_scope(engine, facts["big"])
        recent = last - timedelta(days=89)

        def quarter() -> object:
            return unit_kpis(engine, rules, start=recent, end=last, units=scope, now=now)

        def trend() -> object:
            return weekly_trend(engine, rules, start=recent, end=last, units=scope, now=now)

        bare = psycopg.connect(db.url, autocommit=True)
        floor = floor_query(bare)
        runs: dict[str, list[float]] = {"year": [], "floor": [], "quarter": [], "trend": []}
        for run in (year, floor, quarter, trend):  # warm-up: caches, plans, the calendar
            run()
        for _ in range(args.runs):
            runs["year"].append(timed(year))
            runs["floor"].append(timed(floor))
            runs["quarter"].append(timed(quarter))
            runs["trend"].append(timed(trend))
        plans = {} if args.no_explain else explain(db.url, rules, first, last, now)
        bare.close()
        engine.dispose()

    for name, plan in plans.items():
        console.rule(f"EXPLAIN (ANALYZE, BUFFERS): {name}")
        print(plan)
    median = {name: statistics.median(values) for name, values in runs.items()}
    figures: list[Figure] = [
        info("requests / tasks", f"{args.requests:,} / {facts['tasks']:,}"),
        info("generation (SQL, indexes, VACUUM ANALYZE)", f"{fmt(generated, 1)} s"),
        info("runs per figure (median shown)", args.runs),
        at_most(
            f"unit_kpis, all {units} units, one year (office clock)",
            median["year"],
            TARGET_S,
            "s",
            digits=3,
            floors={"bare count + percentile_cont over task": median["floor"]},
        ),
        measured(
            f"unit_kpis, {facts['big']} + its {len(scope) - 1} units, 90 days",
            median["quarter"],
            "s",
            digits=3,
        ),
        measured(
            f"weekly_trend, {facts['big']} + its {len(scope) - 1} units, 90 days",
            median["trend"],
            "s",
            digits=3,
        ),
    ]
    print_figures("bench/kpi.py: unit KPIs over a year of history", figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
