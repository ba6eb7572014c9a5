"""bench/desk.py's escalation-screen figure: a supervisor's screen with `--breached` breached
tasks in scope, refreshed after one change (another officer claims a task on screen).

Its floors: the screen's two SELECTs for the one changed request on a bare connection, and a
bare LISTEN hearing the claim's NOTIFY. See bench/README.md.
"""

import asyncio
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import psycopg

from bench.common import OPEN_REQUEST_COLUMNS, OPEN_TASK_COLUMNS, copy_rows, reset_id_sequences
from bench.desk import (
    BIG_UNIT,
    Frames,
    heard,
    latency_route,
    log_in,
    make_app,
    settings_for,
    until,
)
from bench.floors import NotifyClock
from ptsa_tui.store.audit import CHANNEL
from ptsa_tui.store.database import make_engine


@dataclass(frozen=True)
class EscalationScope:
    supervisor: str  # a tier-1 unit's supervisor
    units: list[tuple[int, int, str]]  # (id, tier, a desk officer's username): it and its tier 2


def escalation_scope(url: str, avoid: set[str]) -> EscalationScope:
    """A tier-1 unit with a supervisor and desks in each of its tier-2 units, none of `avoid`."""
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT p.code, p.id, s.username FROM unit p"
            " JOIN officer s ON s.unit_id = p.id AND s.supervisor AND s.active"
            " WHERE p.tier = 1 AND p.code <> ALL(%s) ORDER BY p.code DESC, s.username",
            (list(avoid),),
        ).fetchall()
        for _code, unit_id, supervisor in rows:
            units = conn.execute(
                "SELECT u.id, u.tier, (SELECT o.username FROM officer o WHERE o.unit_id = u.id"
                "  AND o.active ORDER BY o.supervisor, o.id LIMIT 1)"
                " FROM unit u WHERE u.id = %s OR u.parent_id = %s ORDER BY u.tier, u.id",
                (unit_id, unit_id),
            ).fetchall()
            if all(desk is not None for _id, _tier, desk in units):
                return EscalationScope(
                    str(supervisor), [(int(u), int(t), str(d)) for u, t, d in units]
                )
    raise AssertionError("no tier-1 unit with a supervisor and desks in every unit below")


def load_breached(url: str, scope: EscalationScope, total: int) -> list[int]:
    """`total` tasks past their claim deadline over the scope's units, by COPY, each with an
    email alert delivered and an SMS given up (one attempt each), as the daemon leaves them.
    Returns their ids, the most overdue first."""
    now = datetime.now(UTC)
    with psycopg.connect(url) as conn:

        def after(table: str) -> int:
            row = conn.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()
            return int(row[0]) if row else 0

        base, alert_base = max(after("request"), after("task"), after("customer")), after("alert")
        front = conn.execute("SELECT id FROM unit WHERE tier = 0 LIMIT 1").fetchone()
        p0 = conn.execute(
            "SELECT o.id FROM officer o JOIN unit u ON u.id = o.unit_id WHERE u.tier = 0 LIMIT 1"
        ).fetchone()
        service = conn.execute(
            "SELECT s.id FROM service s WHERE s.unit_id = ANY(%s) LIMIT 1",
            ([u for u, _t, _d in scope.units],),
        ).fetchone()
        spv = conn.execute(
            "SELECT id, email FROM officer WHERE username = %s", (scope.supervisor,)
        ).fetchone()
        assert front and p0 and service and spv
        ids = range(base + 1, base + total + 1)

        def unit_of(i: int) -> tuple[int, int, str]:
            return scope.units[i % len(scope.units)]

        def due(i: int) -> datetime:  # the first loaded is the most overdue
            return now - timedelta(minutes=5, seconds=total - (i - base))

        copy_rows(
            conn,
            "customer",
            ("id", "name", "created_at"),
            ((i, f"Terlambat {i}", now) for i in ids),
        )
        copy_rows(
            conn,
            "request",
            OPEN_REQUEST_COLUMNS,
            (
                (
                    i,
                    f"PTSA-{now.year}-E{i:07d}",
                    i,
                    service[0],
                    front[0],
                    p0[0],
                    f"Late {i}",
                    "",
                    "walk-in",
                    "open",
                    now + timedelta(days=3),
                    due(i) - timedelta(hours=1),
                )
                for i in ids
            ),
        )
        copy_rows(
            conn,
            "task",
            OPEN_TASK_COLUMNS,
            (
                (
                    i,
                    i,
                    unit_of(i)[0],
                    f"P{unit_of(i)[1]}",
                    "route" if unit_of(i)[1] == 1 else "serve",
                    due(i) - timedelta(minutes=30),
                    p0[0],
                    due(i),
                )
                for i in ids
            ),
        )
        alerts = [
            (
                alert_base + 2 * n + k,
                task,
                1,
                channel,
                spv[0],
                address,
                status,
                1,
                error,
                due(task),
                sent,
                due(task),
            )
            for n, task in enumerate(ids)
            for k, (channel, address, status, error, sent) in enumerate(
                (
                    ("email", spv[1] or "spv@bench", "sent", None, due(task)),
                    ("sms", "+620000", "failed", "gateway down", None),
                )
            )
        ]
        copy_rows(
            conn,
            "alert",
            (
                "id",
                "task_id",
                "level",
                "channel",
                "recipient_id",
                "address",
                "status",
                "attempts",
                "last_error",
                "next_attempt_at",
                "sent_at",
                "created_at",
            ),
            alerts,
        )
        copy_rows(
            conn,
            "alert_attempt",
            ("alert_id", "at", "ok", "error", "daemon"),
            ((a[0], a[9], a[6] == "sent", a[8], "bench:1") for a in alerts),
        )
        reset_id_sequences(conn, ("customer", "request", "task", "alert"))
        conn.commit()
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE")
    return list(ids)


@dataclass(frozen=True)
class EscalationFigures:
    first_paint: float  # s, pushing the screen → the first frame with its rows
    refresh: list[float]  # ms, a claim's commit → the first frame without the row
    notified: list[float]  # ms, that commit → its NOTIFY on a bare LISTEN connection
    bare_read: list[float]  # ms, the screen's two SELECTs for one request, on a bare connection
    full_read: list[float]  # ms, `DeskStore.escalations` of the whole scope


def bare_escalation_read(url: str, scope: EscalationScope, request_ids: list[int]) -> list[float]:
    """The floor of one change's read: the screen's own two statements for one request, on a
    plain psycopg connection (no scope check, no rows built)."""
    from ptsa_tui.store.escalations import ALERTS, SOME_TASKS

    times = []
    with psycopg.connect(url, autocommit=True) as conn:
        for request_id in request_ids:
            params = {
                "units": [u for u, _t, _d in scope.units],
                "horizon": datetime.now(UTC) + timedelta(minutes=5),
                "requests": [request_id],
            }
            started = time.perf_counter()
            found = conn.execute(SOME_TASKS, params).fetchall()
            conn.execute(ALERTS, {"tasks": [r[0] for r in found]}).fetchall()
            times.append((time.perf_counter() - started) * 1000)
    return times


def measure_escalations(url: str, home: str, total: int, changes: int) -> EscalationFigures:
    from ptsa_tui.screens.escalation import MAX_SHOWN as SHOWN_ESCALATIONS
    from ptsa_tui.store.workflow import Workflow

    avoid = {BIG_UNIT, latency_route(url)[0]}
    scope = escalation_scope(url, avoid)
    tasks = load_breached(url, scope, total)
    desk_of = {unit_id: desk for unit_id, _tier, desk in scope.units}
    unit_of_task = {}
    with psycopg.connect(url) as conn:
        for task_id, unit_id in conn.execute(
            "SELECT id, unit_id FROM task WHERE id = ANY(%s)", (tasks,)
        ):
            unit_of_task[task_id] = unit_id
    app = make_app(url, home)
    claim_engine = make_engine(url, pool_size=1)
    flow = Workflow(claim_engine, settings_for(url, home))
    clock = NotifyClock(url, CHANNEL)
    clock.start()
    clock.ready.wait(timeout=30)
    first_paint = 0.0
    refresh: list[float] = []
    seen: list[tuple[float, float, int]] = []  # asked, committed, task
    full_read: list[float] = []

    def claim(task_id: int) -> float:
        flow.claim(task_id=task_id, by=desk_of[unit_of_task[task_id]])
        return time.perf_counter()

    def read_all() -> float:
        started = time.perf_counter()
        app.store.escalations(app.user, datetime.now(UTC))
        return (time.perf_counter() - started) * 1000

    async def run() -> None:
        nonlocal first_paint
        async with app.run_test(headless=True, size=(120, 36)) as pilot:
            frames = Frames(app, "#escalations")
            await pilot.pause()
            log_in(app, scope.supervisor)
            await until(lambda: app.listening and app.loads >= 1)
            shown = min(total, SHOWN_ESCALATIONS)
            started = time.perf_counter()
            app.action_escalations()
            painted = await frames.wait(lambda keys: len(keys) == shown, since=started)
            first_paint = painted - started
            for _run in range(5):
                full_read.append(await asyncio.to_thread(read_all))
            for task_id in tasks[:changes]:  # the most overdue: on screen
                asked = time.perf_counter()
                committed = await asyncio.to_thread(claim, task_id)
                key = str(task_id)
                gone = await frames.wait(lambda keys, key=key: key not in keys, since=asked)
                refresh.append(max(0.0, gone - committed) * 1000)
                seen.append((asked, committed, task_id))
                await asyncio.sleep(0.05)

    try:
        asyncio.run(run())
        time.sleep(0.2)
    finally:
        clock.stop.set()
        claim_engine.dispose()
        app.store.dispose()
    notified = [
        max(0.0, at - committed) * 1000
        for asked, committed, task in seen
        if (at := heard(clock, asked, task)) is not None
    ]
    bare = bare_escalation_read(url, scope, tasks[changes : changes + max(changes, 20)])
    return EscalationFigures(first_paint, refresh, notified, bare, full_read)
