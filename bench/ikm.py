"""`report ikm` over 100,000 survey responses: satisfaction() for every echelon-2 unit.

The history is bench/kpi_history.py's (requests P1 → P2 → P0 inside PostgreSQL, on the demo
organisation); then one response per closed request, up to `--responses`, with random scores
1-4, each given on its request's close date. Timed, `--runs` times each after a warm-up,
alternated run by run:
- `satisfaction(engine, calendar, start, end)` over the whole year (every unit and the office);
- its floor: one bare psycopg statement, `SELECT count(*), avg(scores[1]) … avg(scores[9])
  FROM survey` (no unit, no period, no grouping).

    .venv/bin/python bench/ikm.py            # 100,000 responses
    .venv/bin/python bench/ikm.py --quick    # 10,000: a smoke run
"""

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

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
    print_figures,
    timed,
    where,
)
from bench.kpi_history import generate
from ptsa_tui.config import Settings
from ptsa_tui.store.database import make_engine
from ptsa_tui.store.ikm import satisfaction
from ptsa_tui.store.rules import load_rules

TARGET_S = 1.0
FLOOR_SQL = (
    "SELECT count(*), " + ", ".join(f"avg(scores[{i}])" for i in range(1, 10)) + (" FROM survey")
)
RESPONSES = """
INSERT INTO survey (request_id, scores, source, created_at)
SELECT r.id, ARRAY(SELECT (1 + floor(random() * 4))::smallint
                   FROM generate_series(1, 9) WHERE r.id IS NOT NULL),
       'kiosk', r.closed_at
FROM request r WHERE r.status = 'closed' ORDER BY r.id LIMIT %(responses)s
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=100_000, help="survey responses")
    parser.add_argument("--runs", type=int, default=7, help="timed runs of each figure")
    parser.add_argument("--quick", action="store_true", help="smoke run: 10,000 responses")
    args = parser.parse_args()
    if args.quick:
        args.responses, args.runs = min(args.responses, 10_000), min(args.runs, 3)
    last = date(2026, 11, 30)
    first = last - timedelta(days=364)

    with bench_database("ikm") as db, tempfile.TemporaryDirectory() as home:
        import_demo_org(db.url)
        settings = Settings(database_url=db.url, home=Path(home))
        engine = make_engine(db.url)
        with Session(engine) as session:
            rules = load_rules(session, settings)
        t0 = time.perf_counter()
        facts = generate(db.url, rules, args.responses * 6 // 5, first, last)
        with psycopg.connect(db.url, autocommit=True) as conn:
            conn.execute("SELECT setseed(0.42)")
            conn.execute(RESPONSES, {"responses": args.responses})
            conn.execute("VACUUM ANALYZE survey")
            responses = conn.execute("SELECT count(*) FROM survey").fetchone()
        generated = time.perf_counter() - t0
        console.print(
            f"[dim]{where(db)}: {responses[0] if responses else 0:,} responses over"
            f" {facts['tasks']:,} tasks, generated in {generated:.1f} s[/]"
        )

        def report() -> object:
            return satisfaction(engine, rules.calendar, start=first, end=last)

        bare = psycopg.connect(db.url, autocommit=True)

        def floor() -> object:
            return bare.execute(FLOOR_SQL).fetchone()

        runs: dict[str, list[float]] = {"report": [], "floor": []}
        report(), floor()  # warm-up
        for _ in range(args.runs):
            runs["report"].append(timed(report))
            runs["floor"].append(timed(floor))
        bare.close()
        engine.dispose()

    median = {name: statistics.median(values) for name, values in runs.items()}
    figures: list[Figure] = [
        info("responses", f"{responses[0] if responses else 0:,}"),
        info("generation (history, responses)", f"{fmt(generated, 1)} s"),
        info("runs per figure (median shown)", args.runs),
        at_most(
            "report ikm: every echelon-2 unit and the office, one year",
            median["report"],
            TARGET_S,
            "s",
            digits=3,
            floors={"bare count + nine avg() over survey": median["floor"]},
        ),
    ]
    print_figures("bench/ikm.py: the IKM over a year of survey responses", figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
