"""A year of history for bench/kpi.py, generated inside PostgreSQL (a benchmark fixture).

On the demo organisation: requests registered at random moments of opening hours, spread
evenly over the year's working days, services skewed (the first ones get most requests).
Each request goes P1 (route) → P2 (serve) → P0 (deliver): 3 hops when done, fewer while in
flight at `now`, the end of the year. Every wait and every piece of work is log-normal office
time (so nothing happens while the office is closed) turned into instants with the office's
real openings: claims a median of 10-20 min with a long tail (about a fifth miss the 30 min
deadline; a few are still unclaimed at `now`), P1 routing ~20 min, P2 service ~1.5 working
days, delivery ~1 h. Claim deadlines are 30 min of office time (unit overrides ignored); SOP
due dates are the calendar's working days. random() is seeded (setseed): the same size gives
the same history.

The load skips the NOTIFY trigger and, as superuser, the foreign-key checks, and builds the
task and request indexes after the rows, as a bulk load would; then VACUUM ANALYZE.
"""

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from typing import Any

import psycopg
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from bench.common import console
from ptsa_tui.store.rules import Rules

SOP_MARGIN_DAYS = 120  # working days after `now` the day table covers, for late events
CLAIM_SLA_S = 1800

HELPERS = """
CREATE TEMP TABLE bench_day (k int PRIMARY KEY, opens timestamptz, len_s float8, before_s float8);
INSERT INTO bench_day SELECT * FROM unnest(%(k)s::int[], %(opens)s::timestamptz[],
                                           %(lens)s::float8[], %(befores)s::float8[]);
CREATE TEMP TABLE bench_service AS
    SELECT row_number() OVER (ORDER BY s.id)::int AS k, s.id AS service_id,
           s.unit_id AS owner, u.parent_id AS parent, s.sop_days
    FROM service s JOIN unit u ON u.id = s.unit_id WHERE s.active;
CREATE TEMP TABLE bench_officer AS
    SELECT unit_id, (row_number() OVER (PARTITION BY unit_id ORDER BY id))::int - 1 AS k,
           id AS officer_id, (count(*) OVER (PARTITION BY unit_id))::int AS n
    FROM officer WHERE active;
CREATE INDEX ON bench_officer (unit_id, k)
"""


def _instant(office_s: str) -> str:
    """SQL: the instant at which the office clock (seconds from the first opening) reads
    `office_s`: that day's opening plus what is left of it."""
    k = f"width_bucket({office_s}, %(befores)s::float8[])"
    return (
        f"(%(opens)s::timestamptz[])[{k}]"
        f" + ({office_s} - (%(befores)s::float8[])[{k}]) * interval '1 second'"
    )


# The instants of each hop, as office seconds: registered (offered 1), claims, hand-offs.
_MARKS = {
    "o1": "s1",
    "cl1": "s1 + c1",
    "o2": "s1 + c1 + w1",
    "cl2": "s1 + c1 + w1 + c2",
    "o3": "s1 + c1 + w1 + c2 + w2",
    "cl3": "s1 + c1 + w1 + c2 + w2 + c3",
    "x3": "s1 + c1 + w1 + c2 + w2 + c3 + w3",
    "due1": f"s1 + {CLAIM_SLA_S}",
    "due2": f"s1 + c1 + w1 + {CLAIM_SLA_S}",
    "due3": f"s1 + c1 + w1 + c2 + w2 + {CLAIM_SLA_S}",
}
PLAN = f"""
CREATE TEMP TABLE bench_plan AS
WITH picks AS (
    SELECT g AS r,
           1 + ((g - 1)::bigint * %(days)s / %(requests)s)::int AS day_k,
           1 + floor(%(services)s * power(random(), 2.5))::int AS service_k,
           random() AS at_frac,
           exp(ln(600) + 1.1 * random_normal()) AS c1,
           exp(ln(1200) + 0.8 * random_normal()) AS w1,
           exp(ln(900) + 1.2 * random_normal()) AS c2,
           exp(ln(46000) + 0.9 * random_normal()) AS w2,
           exp(ln(1200) + 1.0 * random_normal()) AS c3,
           exp(ln(3600) + 1.0 * random_normal()) AS w3
    FROM generate_series(1, %(requests)s) AS g
), seconds AS (
    SELECT p.*, s.service_id, s.owner, s.parent, s.sop_days,
           d.before_s + d.len_s * p.at_frac AS s1
    FROM picks p
    JOIN bench_service s ON s.k = least(p.service_k, %(services)s)
    JOIN bench_day d ON d.k = p.day_k
)
SELECT r, service_id, owner, parent, sop_days, day_k,
       {", ".join(f"{_instant(expr)} AS {name}" for name, expr in _MARKS.items())}
FROM seconds
"""

CUSTOMERS = """
INSERT INTO customer (id, name, phone, created_at)
SELECT g, 'Pelanggan ' || g, '+62812' || lpad(g::text, 8, '0'), %(start)s
FROM generate_series(1, %(customers)s) AS g
"""

REQUESTS = """
INSERT INTO request (id, tracking_no, customer_id, service_id, origin_unit_id, registered_by,
                     subject, details, channel, status, sop_due_at, resolution, resolved_at,
                     closed_at, created_at)
SELECT p.r, 'PTSA-B-' || lpad(p.r::text, 7, '0'), 1 + p.r %% %(customers)s, p.service_id,
       %(front)s, fo.officer_id, 'Permohonan layanan nomor ' || p.r, '',
       (ARRAY['walk-in', 'walk-in', 'walk-in', 'phone', 'email', 'letter', 'web'])[1 + p.r %% 7],
       CASE WHEN p.x3 <= %(now)s THEN 'closed' WHEN p.o3 <= %(now)s THEN 'resolved'
            ELSE 'open' END,
       due.opens + due.len_s * interval '1 second',
       CASE WHEN p.o3 <= %(now)s THEN 'Jawaban terlampir' END,
       CASE WHEN p.o3 <= %(now)s THEN p.o3 END,
       CASE WHEN p.x3 <= %(now)s THEN p.x3 END,
       p.o1
FROM bench_plan p
JOIN bench_officer fo ON fo.unit_id = %(front)s AND fo.k = p.r %% fo.n
JOIN bench_day due ON due.k = p.day_k + p.sop_days
ORDER BY p.r
"""

# Hop: unit, position, purpose, outcome, and its plan columns offered, due, claimed, closed.
HOPS = (
    ("p.parent", "P1", "route", "dispatched", "p.o1", "p.due1", "p.cl1", "p.o2"),
    ("p.owner", "P2", "serve", "resolved", "p.o2", "p.due2", "p.cl2", "p.o3"),
    ("%(front)s", "P0", "deliver", "closed", "p.o3", "p.due3", "p.cl3", "p.x3"),
)


def _hop_sql(unit: str, position: str, purpose: str, outcome: str, *at: str) -> str:
    offered, due, claimed, closed = at
    return f"""
    SELECT p.r AS request_id, {unit} AS unit_id, '{position}' AS position,
           '{purpose}' AS purpose, {offered} AS offered_at, {due} AS claim_due_at,
           CASE WHEN {claimed} <= %(now)s THEN o.officer_id END AS claimed_by,
           CASE WHEN {claimed} <= %(now)s THEN {claimed} END AS claimed_at,
           CASE WHEN {closed} <= %(now)s THEN {closed} END AS closed_at,
           CASE WHEN {closed} <= %(now)s THEN '{outcome}' END AS outcome
    FROM bench_plan p JOIN bench_officer o ON o.unit_id = {unit} AND o.k = p.r %% o.n
    WHERE {offered} <= %(now)s"""


# Every hop of every request, numbered in the order they were offered, as a live table grows.
TASKS = f"""
INSERT INTO task (id, request_id, unit_id, position, purpose, offered_at, claim_due_at,
                  claimed_by, claimed_at, closed_at, outcome)
SELECT row_number() OVER (ORDER BY offered_at), request_id, unit_id, position, purpose,
       offered_at, claim_due_at, claimed_by, claimed_at, closed_at, outcome
FROM ({" UNION ALL ".join(_hop_sql(*hop) for hop in HOPS)}) AS hops
ORDER BY offered_at
"""

SECONDARY_INDEXES = """
SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
FROM pg_index i
WHERE i.indrelid IN ('task'::regclass, 'request'::regclass)
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
"""


def working_days(
    rules: Rules, first: date, *, count: int | None = None, last: date | None = None
) -> list[tuple[datetime, float]]:
    """Working days from `first`, `count` of them or up to `last`: opening instant, seconds."""
    days: list[tuple[datetime, float]] = []
    day = first
    while (count is None or len(days) < count) and (last is None or day <= last):
        opening = rules.calendar.opening(day)
        if opening is not None:
            days.append((opening[0], (opening[1] - opening[0]).total_seconds()))
        day += timedelta(days=1)
    return days


@contextmanager
def steps(total: int) -> Iterator[Callable[[str, Callable[[], object]], float]]:
    """A progress line over the generation's steps; each step's seconds are returned."""
    with Progress(
        TextColumn("[dim]generating[/] {task.description:<28}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=console,
    ) as progress:
        task = progress.add_task("", total=total)

        def step(label: str, run: Callable[[], object]) -> float:
            progress.update(task, description=label)
            t0 = time.perf_counter()
            run()
            progress.advance(task)
            return time.perf_counter() - t0

        yield step


def scalar(conn: "psycopg.Connection[Any]", sql: str) -> Any:
    row = conn.execute(sql).fetchone()
    assert row is not None
    return row[0]


def generate(url: str, rules: Rules, requests: int, first: date, last: date) -> dict[str, Any]:
    """The year [first, last] of history; returns `now` (the next midnight), counts, the
    biggest echelon-1 unit, and the seconds each step took."""
    zone = rules.calendar.timezone
    now = datetime.combine(last + timedelta(days=1), clock_time(), zone).astimezone(UTC)
    history = len(working_days(rules, first, last=last))
    days = working_days(rules, first, count=history + SOP_MARGIN_DAYS)
    befores = [0.0]
    for _, length in days[:-1]:
        befores.append(befores[-1] + length)
    params: dict[str, Any] = {
        "k": list(range(1, len(days) + 1)),
        "opens": [opens for opens, _ in days],
        "lens": [length for _, length in days],
        "befores": befores,
        "days": history,
        "requests": requests,
        "customers": max(1_000, requests // 2),
        "start": datetime.combine(first, clock_time(), zone),
        "now": now,
    }
    timings: dict[str, float] = {}
    with psycopg.connect(url) as conn, steps(7) as step:
        replica = _skip_checks(conn)
        conn.execute("SELECT setseed(0.42)")
        params["front"] = scalar(conn, "SELECT id FROM unit WHERE tier = 0 ORDER BY id LIMIT 1")
        params["services"] = scalar(conn, "SELECT count(*) FROM service WHERE active")
        indexes = conn.execute(SECONDARY_INDEXES).fetchall()
        timings["helpers"] = step("day, service, officer tables", lambda: _run(conn, params))
        timings["plan"] = step("request plan", lambda: conn.execute(PLAN, params))
        for name, _ in indexes:
            conn.execute(f"DROP INDEX {name}")
        timings["customers"] = step("customers", lambda: conn.execute(CUSTOMERS, params))
        timings["requests"] = step("requests", lambda: conn.execute(REQUESTS, params))
        timings["tasks"] = step("tasks", lambda: conn.execute(TASKS, params))
        timings["indexes"] = step(
            "indexes", lambda: [conn.execute(definition) for _, definition in indexes]
        )
        for table in ("customer", "request", "task"):
            conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                f" coalesce((SELECT max(id) FROM {table}), 0) + 1, false)"
            )
        conn.execute("SELECT setval('tracking_no_seq', %s)", (requests + 1,))
        if not replica:
            conn.execute("ALTER TABLE task ENABLE TRIGGER task_offered")
        conn.commit()
        conn.autocommit = True
        timings["analyze"] = step("VACUUM ANALYZE", lambda: conn.execute("VACUUM ANALYZE"))
        big = scalar(
            conn,
            "SELECT u.code FROM task t JOIN unit u ON u.id = t.unit_id WHERE u.tier = 1"
            " GROUP BY u.code ORDER BY count(*) DESC LIMIT 1",
        )
        return {
            "now": now,
            "tasks": scalar(conn, "SELECT count(*) FROM task"),
            "units": scalar(conn, "SELECT count(*) FROM unit"),
            "big": big,
            "timings": timings,
        }


def _run(conn: "psycopg.Connection[Any]", params: dict[str, Any]) -> None:
    for statement in (s.strip() for s in HELPERS.split(";")):
        if statement:
            conn.execute(statement, params if "%(" in statement else None)


def _skip_checks(conn: "psycopg.Connection[Any]") -> bool:
    """Foreign-key checks and triggers off (superuser; True), else the NOTIFY trigger only."""
    try:
        conn.execute("SET session_replication_role = replica")
        return True
    except psycopg.errors.InsufficientPrivilege:
        conn.rollback()
        conn.execute("ALTER TABLE task DISABLE TRIGGER task_offered")
        return False
