"""Claim contention: the 56 demo desks race for 10,000 open tasks through `Workflow.claim`.

Each desk is one officer of the demo organisation with its own engine (pool_size=1, so its
own connection). Desks run as threads, split over several processes (Python's GIL would cap
one process at one core). A desk repeatedly reads the head of its unit's queue (the
`--head` most urgent unclaimed tasks), picks one at random, so desks of one unit really
collide, and claims it; a lost race (Conflict) just goes round again. The run ends when every
queue is empty or at the time limit. Double claims are then counted from the database.

Then the floors (bench/floors.py, not ptsa code), unless --no-floor: the same desks, threads and
processes race again for the same tasks, reset to unclaimed, claiming with the bare UPDATE on a
plain psycopg connection, once with a pg_notify in the same statement and once without; the
table shows each floor's figures beside ptsa's and ptsa ÷ floor.

    .venv/bin/python bench/claims.py            # full: 56 desks, 10,000 tasks
    .venv/bin/python bench/claims.py --quick    # smoke run
"""

import argparse
import multiprocessing as mp
import os
import random
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psycopg
from sqlalchemy import text

from bench.common import (
    OPEN_REQUEST_COLUMNS,
    OPEN_TASK_COLUMNS,
    Figure,
    at_least,
    at_most,
    bench_database,
    console,
    copy_rows,
    fmt,
    import_demo_org,
    info,
    machine_busy_cpu,
    measured,
    percentile,
    print_figures,
    process_tree_cpu,
    reset_request_sequences,
    where,
    without_trust,
)
from bench.floors import CLAIM_FLOORS, BareClaimDesk, reset_claims, task_triggers
from ptsa_tui.config import Settings
from ptsa_tui.store.database import make_engine
from ptsa_tui.store.errors import Conflict
from ptsa_tui.store.workflow import Workflow

TARGET_P99_MS = 20.0
TARGET_RATE = 1000.0

PICK = text(
    "SELECT id FROM task"
    " WHERE unit_id = :unit AND closed_at IS NULL AND claimed_by IS NULL"
    " ORDER BY claim_due_at, id LIMIT :head"
)


@dataclass(frozen=True)
class Desk:
    officer_id: int
    username: str
    unit_id: int


@dataclass
class DeskResult:
    won: list[int] = field(default_factory=list)  # task ids this desk claimed
    ok_ms: list[float] = field(default_factory=list)
    conflict_ms: list[float] = field(default_factory=list)
    pick_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    ended: float = 0.0  # time.monotonic() when the desk stopped


@dataclass
class WorkerResult:
    desks: list[DeskResult]
    cpu_s: float  # this process's CPU time (all its threads) during the run


# -- loading -----------------------------------------------------------------------


def load_queues(url: str, total: int, seed: int) -> dict[int, int]:
    """`total` open tasks (one per request) over the units, in proportion to their desks."""
    rng = random.Random(seed)
    now = datetime.now(UTC)
    with psycopg.connect(url) as conn:
        units = conn.execute(
            "SELECT u.id, u.tier, count(o.id) FROM unit u"
            " JOIN officer o ON o.unit_id = u.id AND o.active GROUP BY u.id ORDER BY u.id"
        ).fetchall()
        front = conn.execute("SELECT id FROM unit WHERE tier = 0 ORDER BY id LIMIT 1").fetchone()
        p0s = [
            r[0]
            for r in conn.execute(
                "SELECT o.id FROM officer o JOIN unit u ON u.id = o.unit_id WHERE u.tier = 0"
            )
        ]
        services = [r[0] for r in conn.execute("SELECT id FROM service")]
        assert front is not None and p0s and units
        desks = sum(n for _, _, n in units)
        counts = {uid: total * n // desks for uid, _, n in units}
        for uid, _, _ in units[: total - sum(counts.values())]:
            counts[uid] += 1
        tier = {uid: t for uid, t, _ in units}
        plan = [uid for uid, n in counts.items() for _ in range(n)]
        rng.shuffle(plan)

        customers = max(1, total // 5)
        copy_rows(
            conn,
            "customer",
            ("id", "name", "created_at"),
            ((i, f"Customer {i}", now - timedelta(days=30)) for i in range(1, customers + 1)),
        )
        requests, tasks = [], []
        for i, uid in enumerate(plan, start=1):
            offered = now - timedelta(seconds=rng.uniform(0, 8 * 3600))
            created = offered - timedelta(minutes=rng.uniform(1, 120))
            position, purpose = {0: ("P0", "deliver"), 1: ("P1", "route"), 2: ("P2", "serve")}[
                tier[uid]
            ]
            requests.append(
                (
                    i,
                    f"PTSA-{now.year}-{i:06d}",
                    rng.randint(1, customers),
                    rng.choice(services) if services else None,
                    front[0],
                    rng.choice(p0s),
                    f"Benchmark request {i}",
                    "",
                    rng.choice(("walk-in", "phone", "email", "letter", "web")),
                    "resolved" if purpose == "deliver" else "open",
                    created + timedelta(days=3),
                    created,
                )
            )
            tasks.append(
                (
                    i,
                    i,
                    uid,
                    position,
                    purpose,
                    offered,
                    rng.choice(p0s),
                    offered + timedelta(minutes=30),
                )
            )
        copy_rows(
            conn,
            "request",
            OPEN_REQUEST_COLUMNS,
            requests,
        )
        copy_rows(
            conn,
            "task",
            OPEN_TASK_COLUMNS,
            tasks,
        )
        reset_request_sequences(conn, total)
        conn.commit()
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE")
    return counts


def load_desks(url: str) -> list[Desk]:
    with psycopg.connect(url) as conn:
        return [
            Desk(officer_id, username, unit_id)
            for officer_id, username, unit_id in conn.execute(
                "SELECT id, username, unit_id FROM officer WHERE active ORDER BY id"
            )
        ]


# -- the desks ---------------------------------------------------------------------

PICK_SQL = str(PICK.text).replace(":unit", "%(unit)s").replace(":head", "%(head)s")
PTSA = "Workflow.claim"  # the phase that measures ptsa; the others are the floors


class WorkflowDesk:
    """The real thing: a desk's own engine (one pooled connection) and Workflow.claim."""

    def __init__(self, desk: Desk, url: str, home: str, head: int) -> None:
        self.desk, self.head = desk, head
        self.engine = make_engine(url, pool_size=1)
        self.workflow = Workflow(self.engine, Settings(database_url=url, home=Path(home)))

    def pick(self) -> list[int]:
        # Harness, not the measured path: read the queue head as cheaply as the floors do.
        pooled = self.engine.raw_connection()
        try:
            conn = pooled.driver_connection
            assert conn is not None
            conn.autocommit = True
            try:
                rows = conn.execute(PICK_SQL, {"unit": self.desk.unit_id, "head": self.head})
                return [row[0] for row in rows]
            finally:
                conn.autocommit = False
        finally:
            pooled.close()

    def claim(self, task_id: int) -> bool:
        try:
            self.workflow.claim(task_id=task_id, by=self.desk.officer_id)
        except Conflict:
            return False
        return True

    def close(self) -> None:
        self.engine.dispose()


def claimer(phase: str, desk: Desk, url: str, home: str, head: int) -> WorkflowDesk | BareClaimDesk:
    if phase == PTSA:
        return WorkflowDesk(desk, url, home, head)
    pick = {"unit": desk.unit_id, "head": head}
    return BareClaimDesk(CLAIM_FLOORS[phase], desk.officer_id, url, PICK_SQL, pick)


@dataclass(frozen=True)
class Sync:
    """Shared by the processes: desks ready (one release each per phase), and per phase the
    start signal and the deadline."""

    ready: Any
    starts: list[Any]
    deadlines: Any


def run_desk(
    phase: int,
    name: str,
    desk: Desk,
    url: str,
    home: str,
    head: int,
    seed: int,
    interval: float,
    sync: Sync,
    result: DeskResult,
) -> None:
    """Pick and claim in a loop: flat out, or one attempt every `interval` s (paced load)."""
    rng = random.Random(seed)
    claims = claimer(name, desk, url, home, head)
    try:
        claims.pick()  # open the desk's connection before the start
        sync.ready.release()
        sync.starts[phase].wait()
        deadline = sync.deadlines[phase]
        slot = time.monotonic() + rng.uniform(0, interval)
        while time.monotonic() < deadline:
            if interval:
                time.sleep(max(0.0, slot - time.monotonic()))
                slot = max(slot + interval, time.monotonic())
            t0 = time.perf_counter()
            ids = claims.pick()
            result.pick_ms.append((time.perf_counter() - t0) * 1000)
            if not ids:
                break  # the unit's queue is empty
            task_id = rng.choice(ids)
            t0 = time.perf_counter()
            won = claims.claim(task_id)
            elapsed = (time.perf_counter() - t0) * 1000
            if won:
                result.ok_ms.append(elapsed)
                result.won.append(task_id)
            else:
                result.conflict_ms.append(elapsed)
    except Exception as error:  # one failing desk must not hide the others' figures
        result.errors.append(f"{name}, {desk.username}: {type(error).__name__}: {error}")
    finally:
        result.ended = time.monotonic()
        claims.close()


def desk_thread(
    phases: list[str],
    desk: Desk,
    args: tuple[str, str, int, int, float, Sync],
    results: list[DeskResult],
    done: threading.Barrier,
) -> None:
    """One desk through every phase, the same seed each time: the same contention pattern."""
    url, home, head, seed, interval, sync = args
    for phase, name in enumerate(phases):
        run_desk(phase, name, desk, url, home, head, seed, interval, sync, results[phase])
        done.wait()


def worker(
    phases: list[str],
    desks: list[Desk],
    url: str,
    head: int,
    seed: int,
    interval: float,
    sync: Sync,
    results: Any,
) -> None:
    """One process: a thread per desk, through every phase; reports each phase's results and
    its CPU time as the phase ends."""
    desk_results = [[DeskResult() for _ in desks] for _ in phases]
    done = threading.Barrier(len(desks) + 1)
    with tempfile.TemporaryDirectory(prefix="ptsa-bench-home-") as home:
        threads = [
            threading.Thread(
                target=desk_thread,
                args=(
                    phases,
                    desk,
                    (url, home, head, seed * 1000 + desk.officer_id, interval, sync),
                    [per_phase[i] for per_phase in desk_results],
                    done,
                ),
                daemon=True,
            )
            for i, desk in enumerate(desks)
        ]
        for thread in threads:
            thread.start()
        for phase in range(len(phases)):
            sync.starts[phase].wait()
            cpu0 = time.process_time()
            done.wait()
            results.put((phase, WorkerResult(desk_results[phase], time.process_time() - cpu0)))
        for thread in threads:
            thread.join()


# -- what the desks' backends are doing -------------------------------------------


class ActivitySampler(threading.Thread):
    """Samples pg_stat_activity of the benchmark database every `every` s while running.

    Each desk backend counts as: "client" (idle or idle in transaction: waiting for Python),
    "CPU" (active with no wait event) or its wait event ("Lock:transactionid", ...).
    """

    def __init__(self, url: str, every: float = 0.05) -> None:
        super().__init__(daemon=True)
        self.url, self.every = url, every
        self.tally: dict[str, int] = {}
        self.samples = 0
        self.stop = threading.Event()

    def run(self) -> None:
        with psycopg.connect(self.url, autocommit=True) as conn:
            while not self.stop.wait(self.every):
                rows = conn.execute(
                    "SELECT state, wait_event_type, wait_event FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                    " AND backend_type = 'client backend'"
                ).fetchall()
                self.samples += 1
                for state, kind, event in rows:
                    if state in ("idle", "idle in transaction"):
                        key = "client (idle, waiting for Python)"
                    elif kind is None:
                        key = "CPU (active, no wait event)"
                    else:
                        key = f"{kind}:{event}"
                    self.tally[key] = self.tally.get(key, 0) + 1

    def top_wait(self) -> tuple[str, float]:
        """The most sampled server-side wait (not client, not CPU) and its share of samples."""
        total = sum(self.tally.values()) or 1
        waits = [(n, c) for n, c in self.tally.items() if not n.startswith(("client", "CPU"))]
        name, count = max(waits, key=lambda kv: kv[1], default=("none", 0))
        return name, count / total

    def shares(self, top: int = 6) -> str:
        total = sum(self.tally.values()) or 1
        ranked = sorted(self.tally.items(), key=lambda kv: -kv[1])[:top]
        return ", ".join(f"{name} {count / total:.0%}" for name, count in ranked)


# -- verification ------------------------------------------------------------------


def verify(url: str) -> dict[str, int]:
    with psycopg.connect(url) as conn:

        def one(sql: str) -> int:
            row = conn.execute(sql).fetchone()
            assert row is not None
            return int(row[0])

        return {
            "claimed_tasks": one("SELECT count(*) FROM task WHERE claimed_by IS NOT NULL"),
            "claimed_events": one("SELECT count(*) FROM event WHERE kind = 'claimed'"),
            "multi_event_tasks": one(
                "SELECT count(*) FROM (SELECT task_id FROM event WHERE kind = 'claimed'"
                " GROUP BY task_id HAVING count(*) > 1) AS multi"
            ),
            "officer_mismatch": one(
                "SELECT count(*) FROM event e JOIN task t ON t.id = e.task_id"
                " WHERE e.kind = 'claimed' AND e.officer_id IS DISTINCT FROM t.claimed_by"
            ),
            "claimed_without_event": one(
                "SELECT count(*) FROM task t WHERE t.claimed_by IS NOT NULL AND NOT EXISTS"
                " (SELECT 1 FROM event e WHERE e.task_id = t.id AND e.kind = 'claimed')"
            ),
            "left_unclaimed": one(
                "SELECT count(*) FROM task WHERE closed_at IS NULL AND claimed_by IS NULL"
            ),
        }


# -- a phase: every desk claiming through one claimer -----------------------------


@dataclass
class Phase:
    name: str
    result: DeskResult  # every desk's, merged
    client_cpu: float  # the desk processes' CPU seconds
    server_cpu: float  # the embedded server's (NaN on an external one)
    busy: float  # the machine's busy CPU seconds
    span: float  # start → every desk stopped and disconnected (the CPU figures' time)
    wall: float  # start → the last desk stopped (the throughput's time)
    sampler: "ActivitySampler"

    @property
    def rate(self) -> float:
        return len(self.result.ok_ms) / self.wall if self.wall > 0 else float("nan")


def merged(results: list[DeskResult]) -> DeskResult:
    """The desks' results as one: every list joined, the last end."""
    out = DeskResult(ended=max(r.ended for r in results))
    for item in fields(DeskResult):
        if item.name != "ended":
            setattr(out, item.name, [x for r in results for x in getattr(r, item.name)])
    return out


def run_phase(
    phase: int, name: str, db: Any, desks: int, procs: int, sync: Sync, results: Any, limit: float
) -> Phase:
    """Start phase `phase` once every desk is ready; collect it when every process reported."""
    for _ in range(desks):
        if not sync.ready.acquire(timeout=120):
            raise SystemExit(f"desks did not get ready in 120 s ({name})")
    server0 = process_tree_cpu(db.postmaster_pid) if db.postmaster_pid else float("nan")
    busy0 = machine_busy_cpu()
    sampler = ActivitySampler(db.url)
    sampler.start()
    started = time.monotonic()
    sync.deadlines[phase] = started + limit
    sync.starts[phase].set()
    reports = [results.get(timeout=limit + 120) for _ in range(procs)]
    span = time.monotonic() - started
    sampler.stop.set()
    sampler.join()
    assert all(i == phase for i, _ in reports)
    worker_results = [w for _, w in reports]
    server = process_tree_cpu(db.postmaster_pid) - server0 if db.postmaster_pid else float("nan")
    result = merged([d for w in worker_results for d in w.desks])
    return Phase(
        name,
        result,
        client_cpu=sum(w.cpu_s for w in worker_results),
        server_cpu=server,
        busy=machine_busy_cpu() - busy0,
        span=span,
        wall=result.ended - started,
        sampler=sampler,
    )


# -- main --------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=10_000, help="open tasks to load")
    parser.add_argument("--desks", type=int, default=0, help="desks to use (0: every demo officer)")
    parser.add_argument(
        "--processes", type=int, default=2, help="client processes the desks are split over"
    )
    parser.add_argument(
        "--head", type=int, default=5, help="desks pick among this many at the head"
    )
    parser.add_argument(
        "--time-limit", type=float, default=90.0, help="seconds of claiming at most, per phase"
    )
    parser.add_argument(
        "--no-floor",
        action="store_true",
        help="skip the floor phases (the same desks claiming the same tasks with a bare"
        " UPDATE, with and without pg_notify)",
    )
    parser.add_argument(
        "--rate",
        type=float,
        default=0.0,
        help="offered load in claims/s over all desks, each desk paced evenly (0: flat out)",
    )
    parser.add_argument(
        "--no-trust",
        action="store_true",
        help="desks connect as the superuser and events are not hash-chained (what the runtime"
        " role and the audit chain cost, against a run without this flag)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="small smoke run (1,000 tasks, 10 s)")
    args = parser.parse_args()
    if args.quick:
        args.tasks, args.time_limit = min(args.tasks, 1_000), min(args.time_limit, 10.0)
    phases = [PTSA] if args.no_floor else [PTSA, *CLAIM_FLOORS]

    ctx = mp.get_context("spawn")
    with bench_database("claims") as db:
        t0 = time.perf_counter()
        import_demo_org(db.url)
        counts = load_queues(db.url, args.tasks, args.seed)
        desks = load_desks(db.url)
        if args.desks:
            desks = desks[: args.desks]
        processes = max(1, min(args.processes, len(desks)))
        triggers = task_triggers(db.url)
        if args.no_trust:
            without_trust(db.url)
        desk_url = db.url if args.no_trust else db.runtime_url
        console.print(
            f"[dim]{where(db)}: loaded {sum(counts.values()):,} open tasks over {len(counts)}"
            f" unit queues in {time.perf_counter() - t0:.1f} s; {len(desks)} desks in"
            f" {processes} processes; phases: {', '.join(phases)}[/]"
        )
        # background load of the machine (other people's work) just before the run
        idle0 = machine_busy_cpu()
        time.sleep(1.0)
        background = machine_busy_cpu() - idle0

        shares = [desks[i::processes] for i in range(processes)]
        interval = len(desks) / args.rate if args.rate else 0.0
        sync = Sync(ctx.Semaphore(0), [ctx.Event() for _ in phases], ctx.Array("d", len(phases)))
        results = ctx.Queue()
        procs = [
            ctx.Process(
                target=worker,
                args=(phases, share, desk_url, args.head, args.seed, interval, sync, results),
            )
            for share in shares
        ]
        for proc in procs:
            proc.start()
        runs: list[Phase] = []
        for phase, name in enumerate(phases):
            if phase:  # a floor: the tasks ptsa won, unclaimed again, and nothing else
                reset_claims(db.url, sorted(set(runs[0].result.won)), park=desks[0].officer_id)
            runs.append(
                run_phase(phase, name, db, len(desks), processes, sync, results, args.time_limit)
            )
            if phase == 0:
                checks = verify(db.url)
        for proc in procs:
            proc.join()

    ptsa, floor_runs = runs[0], runs[1:]

    def floors(of: Callable[[Phase], float]) -> dict[str, float]:
        return {run.name: of(run) for run in floor_runs}

    def latency(name: str, of: Callable[[Phase], list[float]], pct: float) -> Figure:
        value = percentile(of(ptsa), pct)
        return at_most(
            name, value, TARGET_P99_MS, "ms", floors=floors(lambda r: percentile(of(r), pct))
        )

    ok, lost, won, picks = (
        ptsa.result.ok_ms,
        ptsa.result.conflict_ms,
        ptsa.result.won,
        ptsa.result.pick_ms,
    )
    errors = [e for run in runs for e in run.result.errors]
    client, server, busy, span = ptsa.client_cpu, ptsa.server_cpu, ptsa.busy, ptsa.span
    double = checks["multi_event_tasks"] + checks["officer_mismatch"] + (len(won) - len(set(won)))
    consistent = len(ok) == checks["claimed_tasks"] == checks["claimed_events"]
    cores = os.cpu_count() or 1
    per_claim_client = client / len(ok) * 1000 if ok else float("nan")
    per_claim_server = server / len(ok) * 1000 if ok else float("nan")
    other = busy - client - server
    figures: list[Figure] = [
        info("implementation", PTSA),
        info("offered load", f"{args.rate:,.0f} claims/s, paced" if args.rate else "flat out"),
        info(
            "desks / client processes",
            f"{len(desks)} / {processes} (a thread and a connection per desk)",
        ),
        info(
            "open tasks loaded / left unclaimed", f"{args.tasks:,} / {checks['left_unclaimed']:,}"
        ),
        info(
            "claiming time",
            f"{ptsa.wall:.2f} s" + (" (time limit)" if checks["left_unclaimed"] else ""),
        ),
        info("triggers on task (they fire in the floors too)", ", ".join(triggers) or "none"),
        measured("successful claims", len(ok), "", 0, floors(lambda r: len(r.result.ok_ms))),
        at_least("claims/s", ptsa.rate, TARGET_RATE, "claims/s", 0, floors(lambda r: r.rate)),
        latency("claim p50, successful", lambda r: r.result.ok_ms, 50),
        latency("claim p99, successful", lambda r: r.result.ok_ms, 99),
        info("claim max, successful", f"{fmt(max(ok, default=float('nan')))} ms"),
        measured(
            "conflicts (lost races, retried)",
            len(lost),
            "",
            0,
            floors(lambda r: len(r.result.conflict_ms)),
        ),
        latency("claim p50, conflicting", lambda r: r.result.conflict_ms, 50),
        latency("claim p99, conflicting", lambda r: r.result.conflict_ms, 99),
        info(
            "queue-head read p50 / p99",
            f"{fmt(percentile(picks, 50))} / {fmt(percentile(picks, 99))} ms",
        ),
        Figure("double claims (from the database)", f"{double}", "0", double == 0),
        Figure(
            "claims = claimed tasks = claimed events",
            f"{len(ok):,} / {checks['claimed_tasks']:,} / {checks['claimed_events']:,}",
            "equal",
            consistent,
        ),
        Figure("desk errors (not Conflict), all phases", f"{len(errors)}", "0", not errors),
        info("client CPU (desk processes)", f"{client:.1f} s = {client / span:.2f} cores"),
        info(
            "server CPU (postmaster + backends)",
            f"{server:.1f} s = {server / span:.2f} cores" if server == server else "n/a (external)",
        ),
        info(
            "other CPU on the machine (not this run)", f"{other:.1f} s = {other / span:.2f} cores"
        ),
        info("background load just before the run", f"{background:.2f} cores"),
        info("machine busy", f"{busy:.1f} s = {busy / span:.2f} of {cores} cores"),
        info(
            "CPU per successful claim: client / server",
            f"{fmt(per_claim_client)} / {fmt(per_claim_server)} ms (picks and conflicts included)",
        ),
        info(
            f"ceiling on {cores} idle cores: shared / server only",
            f"{fmt(cores / (per_claim_client + per_claim_server) * 1000, 0)}"
            f" / {fmt(cores / per_claim_server * 1000, 0)} claims/s",
        ),
    ]
    figures.append(info("desk backends, sampled (pg_stat_activity)", ptsa.sampler.shares()))
    print_figures(f"bench/claims.py: {len(desks)} desks contending ({PTSA})", figures)
    for error in errors[:5]:
        console.print(f"[red]{error}[/]")
    console.print(f"limited by: {limiter(ptsa, processes, cores)}")
    return 0 if double == 0 and consistent and not errors else 1


def limiter(ptsa: Phase, processes: int, cores: int) -> str:
    """What held the ptsa phase back, from its CPU figures and its backends' waits."""
    client, server, busy, span = ptsa.client_cpu, ptsa.server_cpu, ptsa.busy, ptsa.span
    other = busy - client - server
    wait, wait_share = ptsa.sampler.top_wait()
    explain = {
        "Lock:object": "the commit-time NOTIFY queue lock, which serialises every committing"
        " transaction that called pg_notify, WAL flush included",
        "LWLock:WALWrite": "commit WAL flushes",
        "Lock:transactionid": "desks waiting for another desk's claim of the same task",
    }
    if client / span >= 0.85 * processes:
        return f"client CPU: each of the {processes} desk processes at its one-core GIL cap"
    if wait_share >= 0.3:
        return f"the server: desk backends spent {wait_share:.0%} of samples in {wait}" + (
            f" ({explain[wait]})" if wait in explain else ""
        )
    if busy / span >= 0.8 * cores:
        return (
            f"CPU: the machine's {cores} cores were busy ({busy / span:.2f}): client"
            f" {client / span:.2f}, server {server / span:.2f}, other work {other / span:.2f} cores;"
            f" {'the client (Python)' if client >= server else 'the server'} uses the most,"
            " and claim latency is mostly waiting for a core"
        )
    return "neither CPU nor one lock: round trips and scattered waits"


if __name__ == "__main__":
    raise SystemExit(main())
