"""Queue scans on a big history: the alert daemon's breach query and the biggest unit's inbox.

Loads (with COPY) about 1,000,000 closed tasks and 10,000 open ones on the demo organisation's
28 units, each request going P1 (route) → P2 (serve) → P0 (deliver), with one big P2 unit
(PPTKA: foreign-worker permits) and a long tail; then VACUUM ANALYZE, and times:

(a) the breach query: open, unclaimed tasks past their claim deadline, most overdue first,
    with a LIMIT as the daemon would page them, and its count;
(b) the inbox of the unit with the most open tasks: the SELECT of
    list_tasks(unit=..., state="open") (ptsa_tui.store.queries.list_tasks_sql), LIMIT 200, on
    a plain psycopg connection; and list_tasks() itself, end to end, for reference.

    .venv/bin/python bench/scan.py            # full: 1,000,000 closed + 10,000 open
    .venv/bin/python bench/scan.py --quick    # smoke run
"""

import argparse
import random
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psycopg
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from sqlmodel import col, select

from bench.common import (
    Figure,
    at_most,
    bench_database,
    console,
    copy_rows,
    fmt,
    import_demo_org,
    info,
    percentile,
    print_figures,
    reset_request_sequences,
    where,
)
from ptsa_tui.store.actors import actor_of
from ptsa_tui.store.database import make_engine
from ptsa_tui.store.inbox import load_inbox
from ptsa_tui.store.models import Officer, Unit
from ptsa_tui.store.queries import list_tasks, list_tasks_sql
from ptsa_tui.store.rights import Actor

TARGET_BREACH_MS = 5.0
TARGET_INBOX_MS = 10.0
BIG_UNIT = "PPTKA"

BREACH_SQL = """
SELECT t.id, t.request_id, t.unit_id, t.position, t.claim_due_at
FROM task t
WHERE t.closed_at IS NULL AND t.claimed_by IS NULL AND t.claim_due_at < %(now)s
ORDER BY t.claim_due_at
LIMIT %(limit)s
"""
BREACH_COUNT_SQL = """
SELECT count(*) FROM task t
WHERE t.closed_at IS NULL AND t.claimed_by IS NULL AND t.claim_due_at < %(now)s
"""

REQUEST_COLUMNS = (
    "id",
    "tracking_no",
    "customer_id",
    "service_id",
    "origin_unit_id",
    "registered_by",
    "subject",
    "details",
    "channel",
    "status",
    "sop_due_at",
    "resolution",
    "resolved_at",
    "closed_at",
    "created_at",
)
TASK_COLUMNS = (
    "id",
    "request_id",
    "unit_id",
    "position",
    "purpose",
    "offered_at",
    "offered_by",
    "claim_due_at",
    "claimed_by",
    "claimed_at",
    "closed_at",
    "outcome",
)
CHANNELS = ("walk-in", "walk-in", "walk-in", "phone", "email", "letter", "web")


@dataclass(frozen=True)
class Org:
    front: int
    parent: dict[int, int]  # tier-2 unit → its tier-1 unit
    officers: dict[int, list[int]]  # unit → its officers
    services: dict[int, list[int]]  # tier-2 unit → its services
    weights: dict[int, float]  # tier-2 unit → share of requests


def read_org(conn: "psycopg.Connection[Any]") -> Org:
    units = conn.execute("SELECT id, code, tier, parent_id FROM unit ORDER BY id").fetchall()
    front = next(uid for uid, _, tier, _ in units if tier == 0)
    parent = {uid: pid for uid, _, tier, pid in units if tier == 2}
    officers: dict[int, list[int]] = {}
    for oid, uid in conn.execute("SELECT id, unit_id FROM officer WHERE active ORDER BY id"):
        officers.setdefault(uid, []).append(oid)
    services: dict[int, list[int]] = {}
    for sid, uid in conn.execute("SELECT id, unit_id FROM service ORDER BY id"):
        services.setdefault(uid, []).append(sid)
    # one big unit (a third of all requests), the rest a Zipf-like tail
    code = {uid: c for uid, c, _, _ in units}
    tail = sorted((u for u in parent if code[u] != BIG_UNIT), key=lambda u: code[u])
    weights = {u: 0.66 / (rank + 1) for rank, u in enumerate(tail)}
    scale = sum(weights.values())
    weights = {u: w / scale * 0.66 for u, w in weights.items()}
    big = next((u for u in parent if code[u] == BIG_UNIT), tail[0])
    weights[big] = weights.get(big, 0.0) + 0.34
    return Org(front, parent, officers, services, weights)


HOPS = (("P1", "route", "dispatched"), ("P2", "serve", "resolved"), ("P0", "deliver", "closed"))


@dataclass(frozen=True)
class Plan:
    """One request's hops: when each was offered, claimed and closed."""

    p2: int
    offered: tuple[datetime, ...]  # one per hop
    claimed: tuple[datetime | None, ...]
    closed: tuple[datetime | None, ...]  # None for the open hop


def plan_request(
    rng: random.Random, p2: int, stage: int | None, now: datetime, history: timedelta
) -> Plan:
    """stage None: a closed request (three closed hops); else the index of its open hop."""
    if stage is None:
        offered, claimed, closed = [], [], []
        at = now - timedelta(days=7) - history * rng.random()
        for _ in HOPS:
            offered.append(at)
            claimed.append(at + timedelta(minutes=rng.uniform(1, 90)))
            at = claimed[-1] + timedelta(minutes=rng.uniform(5, 2 * 24 * 60))
            closed.append(at)
        return Plan(p2, tuple(offered), tuple(claimed), tuple(closed))
    # the open hop: 45% claimed; 11% unclaimed and overdue; the rest unclaimed, not yet due
    roll = rng.random()
    if roll < 0.11:
        at = now - timedelta(minutes=rng.uniform(31, 3 * 24 * 60))
    else:
        at = now - timedelta(minutes=rng.uniform(0, 29))
    offered_r: list[datetime] = [at]
    claimed_r: list[datetime | None] = [
        at + timedelta(seconds=rng.uniform(1, 600)) if roll >= 0.55 else None
    ]
    closed_r: list[datetime | None] = [None]
    for _ in range(stage):  # the closed hops before it, backwards in time
        closed_r.append(at)
        at -= timedelta(minutes=rng.uniform(5, 8 * 60))
        claimed_r.append(at)
        at -= timedelta(minutes=rng.uniform(1, 90))
        offered_r.append(at)
    return Plan(
        p2, tuple(reversed(offered_r)), tuple(reversed(claimed_r)), tuple(reversed(closed_r))
    )


def generate(
    org: Org, closed_target: int, open_count: int, customers: int, now: datetime, seed: int
) -> tuple[list[tuple[Any, ...]], Iterator[tuple[Any, ...]], dict[str, int]]:
    """Request rows (a list) and task rows (generated lazily, in id order)."""
    rng = random.Random(seed)
    p2_units = list(org.weights)
    p2_weights = [org.weights[u] for u in p2_units]
    p0s = org.officers[org.front]
    # open requests: which hop they are at (route 30%, serve 55%, deliver 15%)
    open_stages = rng.choices((0, 1, 2), weights=(30, 55, 15), k=open_count)
    prior_closed = sum(open_stages)
    closed_requests = max(0, (closed_target - prior_closed) // 3)
    history = timedelta(days=730)
    stages: list[int | None] = [None] * closed_requests + list(open_stages)
    requests: list[tuple[Any, ...]] = []
    plans: list[Plan] = []
    for i, stage in enumerate(stages, start=1):
        p2 = rng.choices(p2_units, p2_weights)[0]
        plan = plan_request(rng, p2, stage, now, history)
        created = plan.offered[0]
        service = rng.choice(org.services[p2]) if org.services.get(p2) else None
        status = "closed" if stage is None else ("resolved" if stage == 2 else "open")
        resolved = plan.closed[1] if stage is None or stage == 2 else None
        closed = plan.closed[2] if stage is None else None
        requests.append(
            (
                i,
                f"PTSA-H-{i:07d}",
                rng.randint(1, customers),
                service,
                org.front,
                rng.choice(p0s),
                f"Permohonan layanan nomor {i}",
                "",
                rng.choice(CHANNELS),
                status,
                created + timedelta(days=3),
                "Jawaban terlampir" if status != "open" else None,
                resolved,
                closed,
                created,
            )
        )
        plans.append(plan)
    counts = {"closed_tasks": closed_requests * 3 + prior_closed, "open_tasks": open_count}

    def tasks() -> Iterator[tuple[Any, ...]]:
        task_rng = random.Random(seed + 1)
        task_id = 0
        for request_id, plan in enumerate(plans, start=1):
            units = (org.parent[plan.p2], plan.p2, org.front)
            offered_by = p0s[request_id % len(p0s)]
            for hop, offered in enumerate(plan.offered):
                position, purpose, outcome = HOPS[hop]
                unit = units[hop]
                task_id += 1
                claimed, closed = plan.claimed[hop], plan.closed[hop]
                holder = task_rng.choice(org.officers[unit]) if claimed else None
                yield (
                    task_id,
                    request_id,
                    unit,
                    position,
                    purpose,
                    offered,
                    offered_by,
                    offered + timedelta(minutes=30),
                    holder,
                    claimed,
                    closed,
                    outcome if closed else None,
                )
                offered_by = holder or offered_by

    return requests, tasks(), counts


def load(url: str, closed: int, open_count: int, seed: int) -> dict[str, Any]:
    now = datetime.now(UTC)
    customers = max(1_000, (closed // 3) // 2)
    with psycopg.connect(url) as conn:
        org = read_org(conn)
        t0 = time.perf_counter()
        copy_rows(
            conn,
            "customer",
            ("id", "name", "nik", "phone", "created_at"),
            (
                (i, f"Pelanggan {i}", f"{3171000000000000 + i}", f"+62812{i:08d}", now)
                for i in range(1, customers + 1)
            ),
        )
        requests, tasks, counts = generate(org, closed, open_count, customers, now, seed)
        copy_rows(conn, "request", REQUEST_COLUMNS, requests)
        copy_rows(conn, "task", TASK_COLUMNS, tasks)
        reset_request_sequences(conn, len(requests))
        conn.commit()
        copied = time.perf_counter() - t0
        conn.autocommit = True
        t0 = time.perf_counter()
        conn.execute("VACUUM ANALYZE")
        analyzed = time.perf_counter() - t0
        big = conn.execute(
            "SELECT u.id, u.code, count(*) FROM task t JOIN unit u ON u.id = t.unit_id"
            " WHERE t.closed_at IS NULL GROUP BY u.id ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()
        units = conn.execute("SELECT count(DISTINCT unit_id) FROM task").fetchone()
        breached = conn.execute(BREACH_COUNT_SQL, {"now": now}).fetchone()
        assert big is not None and units is not None and breached is not None
    return {
        **counts,
        "requests": len(requests),
        "customers": customers,
        "copy_s": copied,
        "analyze_s": analyzed,
        "big_unit_id": big[0],
        "big_unit": big[1],
        "big_open": big[2],
        "units": units[0],
        "breached": breached[0],
    }


def desk_user_of_unit(engine: Engine, code: str) -> Actor:
    """Any officer of the unit, as the desk app would hold them after log-in."""
    with Session(engine) as session:
        officer, unit = session.execute(
            select(Officer, Unit)
            .join(Unit, col(Unit.id) == col(Officer.unit_id))
            .where(col(Unit.code) == code)
            .limit(1)
        ).one()
        return actor_of(officer, unit)


def timed(reps: int, run: Callable[[], object]) -> list[float]:
    for _ in range(min(20, reps)):  # warm the cache and psycopg's prepared statements
        run()
    out = []
    for _ in range(reps):
        t0 = time.perf_counter()
        run()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--closed", type=int, default=1_000_000, help="historical closed tasks")
    parser.add_argument("--open", type=int, default=10_000, help="open tasks")
    parser.add_argument("--reps", type=int, default=500, help="timed repetitions of each query")
    parser.add_argument("--breach-limit", type=int, default=500, help="LIMIT of the breach page")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="smoke run: 50,000 closed, 100 reps")
    args = parser.parse_args()
    if args.quick:
        args.closed, args.open, args.reps = min(args.closed, 50_000), min(args.open, 2_000), 100

    with bench_database("scan") as db:
        import_demo_org(db.url)
        facts = load(db.url, args.closed, args.open, args.seed)
        console.print(
            f"[dim]{where(db)}: {facts['closed_tasks']:,} closed + {facts['open_tasks']:,} open"
            f" tasks on {facts['units']} units ({facts['requests']:,} requests,"
            f" {facts['customers']:,} customers) copied in {facts['copy_s']:.1f} s,"
            f" VACUUM ANALYZE {facts['analyze_s']:.1f} s; biggest inbox {facts['big_unit']}"
            f" ({facts['big_open']:,} open), {facts['breached']:,} breached[/]"
        )
        engine = make_engine(db.url)
        inbox_sql = list_tasks_sql("open", by_unit=True)
        inbox_params = {"unit": facts["big_unit_id"], "limit": 200}
        with psycopg.connect(db.url, autocommit=True) as conn:

            def breach() -> object:
                params = {"now": datetime.now(UTC), "limit": args.breach_limit}
                return conn.execute(BREACH_SQL, params).fetchall()

            def breach_count() -> object:
                return conn.execute(BREACH_COUNT_SQL, {"now": datetime.now(UTC)}).fetchone()

            def inbox_query() -> object:
                return conn.execute(inbox_sql, inbox_params).fetchall()

            breach_ms = timed(args.reps, breach)
            count_ms = timed(args.reps, breach_count)
            inbox_ms = timed(args.reps, inbox_query)
            rows = len(conn.execute(inbox_sql, inbox_params).fetchall())
            plans = {
                "breach query": (
                    BREACH_SQL,
                    {"now": datetime.now(UTC), "limit": args.breach_limit},
                ),
                "breach count": (BREACH_COUNT_SQL, {"now": datetime.now(UTC)}),
                f"inbox of {facts['big_unit']} (queries.list_tasks_sql)": (
                    inbox_sql,
                    inbox_params,
                ),
            }
            explained = {
                name: "\n".join(
                    r[0] for r in conn.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
                )
                for name, (sql, params) in plans.items()
            }
        list_ms = timed(
            max(20, args.reps // 5), lambda: list_tasks(engine, unit=facts["big_unit"], limit=200)
        )
        desk = desk_user_of_unit(engine, facts["big_unit"])
        now = datetime.now(UTC)
        desk_rows = len(load_inbox(engine, user=desk, now=now))
        desk_ms = timed(max(20, args.reps // 5), lambda: load_inbox(engine, user=desk, now=now))
        engine.dispose()

    for name, plan in explained.items():
        console.rule(f"EXPLAIN (ANALYZE, BUFFERS): {name}")
        print(plan)
    figures: list[Figure] = [
        info("closed / open tasks", f"{facts['closed_tasks']:,} / {facts['open_tasks']:,}"),
        info("breached (open, unclaimed, overdue)", f"{facts['breached']:,}"),
        info("repetitions per query", f"{args.reps:,}"),
        at_most(
            f"breach query (LIMIT {args.breach_limit}) p50",
            percentile(breach_ms, 50),
            TARGET_BREACH_MS,
            "ms",
        ),
        at_most(
            f"breach query (LIMIT {args.breach_limit}) p99",
            percentile(breach_ms, 99),
            TARGET_BREACH_MS,
            "ms",
        ),
        at_most("breach count p50", percentile(count_ms, 50), TARGET_BREACH_MS, "ms"),
        at_most("breach count p99", percentile(count_ms, 99), TARGET_BREACH_MS, "ms"),
        info(
            "inbox unit / its open tasks / rows",
            f"{facts['big_unit']} / {facts['big_open']:,} / {rows}",
        ),
        at_most("inbox query (LIMIT 200) p50", percentile(inbox_ms, 50), TARGET_INBOX_MS, "ms"),
        at_most("inbox query (LIMIT 200) p99", percentile(inbox_ms, 99), TARGET_INBOX_MS, "ms"),
        info(
            "list_tasks() end to end (+ unit lookup) p50 / p99",
            f"{fmt(percentile(list_ms, 50))} / {fmt(percentile(list_ms, 99))} ms",
        ),
    ]
    figures.append(
        info(
            f"desk inbox load_inbox() ({desk_rows:,} rows: all open + done today) p50 / p99",
            f"{fmt(percentile(desk_ms, 50))} / {fmt(percentile(desk_ms, 99))} ms",
        )
    )
    print_figures("bench/scan.py: breach scan and biggest inbox on a big history", figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
