"""`ptsa audit verify` over 1,000,000 hash-chained events (target ≤ 10 s).

The events go in through the real `event_chain` trigger (migration 0006), so every one is
hashed and linked as production writes it: 10,000 requests' chains of 100 events each, as
INSERT … SELECT generate_series in batches. Timed `--runs` times each, alternated run by run:
- `audit_chain.verify(engine)`: every hash recomputed, every link and chain head checked;
- its floor: one bare psycopg statement reading the same rows,
  `SELECT count(*), sum(length(details::text)) FROM event`.

    .venv/bin/python bench/audit_verify.py            # 1,000,000 events
    .venv/bin/python bench/audit_verify.py --quick    # 50,000 events: a smoke run
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psycopg

from bench.common import (
    at_most,
    bench_database,
    console,
    import_demo_org,
    info,
    print_figures,
)
from ptsa_tui.store import audit_chain
from ptsa_tui.store.database import make_engine

TARGET_S = 10.0

_CUSTOMER = "INSERT INTO customer (name, created_at) VALUES ('Bench', now())"

_REQUESTS = """
INSERT INTO request (tracking_no, service_id, customer_id, origin_unit_id, registered_by,
                     subject, details, channel, status, sop_due_at, created_at)
SELECT 'PTSA-BENCH-' || n, s.id, (SELECT max(id) FROM customer), o.unit_id, o.id, 'bench', '',
       'walk-in', 'open', now(), now()
FROM generate_series(1, %(requests)s) AS n, (SELECT id FROM service LIMIT 1) AS s,
     (SELECT o.id, o.unit_id FROM officer o JOIN unit u ON u.id = o.unit_id WHERE u.tier = 0
      LIMIT 1) AS o
"""

_EVENTS = """
INSERT INTO event (kind, at, request_id, details)
SELECT 'probe', now(), r.id, jsonb_build_object('n', n, 'note', 'bench event')
FROM generate_series(1, %(per_request)s) AS n,
     (SELECT id FROM request ORDER BY id OFFSET %(offset)s LIMIT %(batch)s) AS r
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="50,000 events, 2 runs")
    args = parser.parse_args()
    if args.quick:
        args.events, args.runs = 50_000, 2
    per_request = 100
    requests = max(1, args.events // per_request)
    with bench_database("audit") as db:
        import_demo_org(db.url)
        started = time.perf_counter()
        with psycopg.connect(db.url, autocommit=True) as conn:
            conn.execute(_CUSTOMER)
            conn.execute(_REQUESTS, {"requests": requests})
            batch = 500
            for offset in range(0, requests, batch):
                conn.execute(
                    _EVENTS, {"per_request": per_request, "offset": offset, "batch": batch}
                )
                done = min(offset + batch, requests) * per_request
                console.print(f"[dim]chained {done:,} events[/]", end="\r")
            conn.execute("VACUUM ANALYZE event")
            total = conn.execute("SELECT count(*) FROM event").fetchone()
        load_s = time.perf_counter() - started
        engine = make_engine(db.runtime_url)
        verify_s, floor_s = [], []
        for _ in range(args.runs + 1):  # the first pair warms the cache and is dropped
            t0 = time.perf_counter()
            breaks = audit_chain.verify(engine)
            verify_s.append(time.perf_counter() - t0)
            assert breaks == [], breaks[:3]
            with psycopg.connect(db.runtime_url) as conn:
                t0 = time.perf_counter()
                conn.execute("SELECT count(*), sum(length(details::text)) FROM event").fetchone()
                floor_s.append(time.perf_counter() - t0)
        engine.dispose()
    verify_median = statistics.median(verify_s[1:])
    floor_median = statistics.median(floor_s[1:])
    print_figures(
        f"audit verify over {args.events:,} events (median of {args.runs})",
        [
            info("events", f"{total[0] if total else 0:,}"),
            info("chaining them through the trigger", f"{load_s:.0f} s"),
            at_most(
                "audit verify", verify_median, TARGET_S, "s", floors={"bare scan": floor_median}
            ),
        ],
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
