"""The desk app, headless: live latency with 56 desks listening, a 10,000-task inbox, memory,
start-up.

- **live latency**: the observed desk is a real `DeskApp` (headless, Pilot) of a P1 unit;
  the other 55 demo desks listen too, each on its own LISTEN connection, and reload their
  inbox (`load_inbox`, as the app's reader does) when a change touches their unit. A P0
  registers requests for the observed unit through `Workflow.register`; the figure is from
  the end of that commit to the first frame that shows the row (each frame is rendered to
  the bytes a terminal would be sent).
- **10,000 open tasks** in one P1 unit's queue: first paint (from the end of login to the
  first frame with the 200 most urgent rows it shows, the count of all 10,000 on the tab),
  then refresh after one change (another officer of the unit claims one task on screen; from
  the end of that commit to the first frame without it).
- **the escalation screen** of a tier-1 supervisor with 1,000 breached tasks in scope (over
  the unit and its tier-2 units, each with an email alert delivered and an SMS given up):
  refresh after one change (a desk of the task's unit claims one of the most overdue; from the
  end of that commit to the first frame without it). Floors: the same commit's NOTIFY on a
  bare LISTEN connection, and the screen's two SELECTs for one request on a bare connection.
- **memory and start-up**: `ptsa desk` itself in a pseudo-terminal: the time from starting
  it to its login screen on the terminal, then its resident memory once an officer has typed
  a username and password and the 10,000-task inbox is on screen.

    .venv/bin/python bench/desk.py            # full: ~1 min
    .venv/bin/python bench/desk.py --quick    # smoke run: 1,000 tasks, fewer commits
"""

import argparse
import asyncio
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psycopg

from bench.common import (
    OPEN_REQUEST_COLUMNS,
    OPEN_TASK_COLUMNS,
    Figure,
    at_most,
    bench_database,
    console,
    copy_rows,
    fmt,
    import_demo_org,
    info,
    median,
    percentile,
    print_figures,
    reset_request_sequences,
    where,
)
from bench.floors import NotifyClock
from ptsa_tui.config import Settings
from ptsa_tui.screens.inbox import MAX_SHOWN
from ptsa_tui.store.audit import CHANNEL
from ptsa_tui.store.database import make_engine
from ptsa_tui.store.listener import parse_change

PASSWORD = "bench-desk-pw"
BIG_UNIT = "BINAPENTA"


def settings_for(url: str, home: str) -> Settings:
    return Settings(database_url=url, home=Path(home))


# -- data --------------------------------------------------------------------------------


def officer_in(url: str, unit_code: str) -> str:
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT o.username FROM officer o JOIN unit u ON u.id = o.unit_id"
            " WHERE u.code = %s AND o.active ORDER BY o.supervisor, o.id LIMIT 1",
            (unit_code,),
        ).fetchone()
    assert row is not None, f"no officer in {unit_code}"
    return str(row[0])


def load_queue(url: str, unit_code: str, total: int) -> None:
    """`total` unclaimed P1 tasks (one request each) in one unit's queue, by COPY."""
    now = datetime.now(UTC)
    with psycopg.connect(url) as conn:
        unit = conn.execute("SELECT id FROM unit WHERE code = %s", (unit_code,)).fetchone()
        front = conn.execute("SELECT id FROM unit WHERE tier = 0 LIMIT 1").fetchone()
        p0 = conn.execute(
            "SELECT o.id FROM officer o JOIN unit u ON u.id = o.unit_id WHERE u.tier = 0 LIMIT 1"
        ).fetchone()
        service = conn.execute(
            "SELECT s.id FROM service s JOIN unit u ON u.id = s.unit_id"
            " WHERE u.parent_id = %s LIMIT 1",
            (unit[0] if unit else None,),
        ).fetchone()
        assert unit and front and p0 and service
        copy_rows(
            conn,
            "customer",
            ("id", "name", "created_at"),
            ((i, f"Pemohon {i}", now) for i in range(1, total + 1)),
        )
        copy_rows(
            conn,
            "request",
            OPEN_REQUEST_COLUMNS,
            (
                (
                    i,
                    f"PTSA-{now.year}-{i:06d}",
                    i,
                    service[0],
                    front[0],
                    p0[0],
                    f"Bench {i}",
                    "",
                    "walk-in",
                    "open",
                    now + timedelta(days=3),
                    now,
                )
                for i in range(1, total + 1)
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
                    unit[0],
                    "P1",
                    "route",
                    now - timedelta(seconds=i),
                    p0[0],
                    now + timedelta(minutes=30) - timedelta(seconds=i),
                )
                for i in range(1, total + 1)
            ),
        )
        reset_request_sequences(conn, total)
        conn.commit()
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE")


def set_passwords(url: str, usernames: list[str]) -> None:
    from ptsa_tui.store.officers import set_password

    engine = make_engine(url)
    try:
        for username in usernames:
            set_password(engine, username=username, password=PASSWORD, operator_url=url)
    finally:
        engine.dispose()


def latency_route(url: str) -> tuple[str, str]:
    """A P1 unit other than the big one, and a service whose requests are queued there."""
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT p.code, s.code FROM service s JOIN unit o ON o.id = s.unit_id"
            " JOIN unit p ON p.id = o.parent_id"
            " WHERE p.code <> %s AND EXISTS (SELECT 1 FROM officer x WHERE x.unit_id = p.id)"
            " ORDER BY p.code, s.code LIMIT 1",
            (BIG_UNIT,),
        ).fetchone()
    assert row is not None
    return str(row[0]), str(row[1])


# -- a desk app in this process --------------------------------------------------------


def make_app(url: str, home: str, **kw: Any) -> Any:
    from ptsa_tui.screens.app import DeskApp
    from ptsa_tui.store.api import DeskStore

    store = DeskStore(engine=make_engine(url), settings=settings_for(url, home), url=url)
    return DeskApp(store=store, **kw)


def log_in(app: Any, username: str) -> None:
    """What the login screen's worker does, without the argon2 check (not measured here)."""
    from ptsa_tui.store.actors import find_actor

    user = find_actor(app.store._engine, username)  # the bench skips the argon2 log-in
    app.store.rules()
    app.logged_in(user)


async def until(condition: Any, timeout: float = 30.0, step: float = 0.001) -> None:
    """Wait for `condition` without disturbing the app: a plain sleep between looks, never
    `pilot.pause`, which walks every widget and forces a repaint each time."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the desk did not get there in time")
        await asyncio.sleep(step)


class Frames:
    """The frames the app puts on its (headless) screen, each rendered to the bytes a terminal
    would be sent, with the table's row keys at that moment."""

    def __init__(self, app: Any, table: str = "#inbox") -> None:
        self.app = app
        self.shown: list[tuple[float, frozenset[str]]] = []
        display = app._display

        def displayed(screen: Any, update: Any) -> None:
            display(screen, update)
            if update is None or app._batch_count:
                return
            if hasattr(update, "render_segments"):
                update.render_segments(app.console)
            keys = frozenset(table_keys(app, table))
            if not self.shown or self.shown[-1][1] != keys:
                self.shown.append((time.perf_counter(), keys))

        app._display = displayed

    def first(self, condition: Any, since: float = 0.0) -> float | None:
        """When a frame first showed rows meeting `condition` (given the keys), if one has."""
        for at, keys in self.shown:
            if at >= since and condition(keys):
                return at
        return None

    async def wait(self, condition: Any, since: float = 0.0, timeout: float = 30.0) -> float:
        deadline = time.monotonic() + timeout
        while (at := self.first(condition, since)) is None:
            if time.monotonic() > deadline:
                raise TimeoutError("no frame showed it in time")
            await asyncio.sleep(0.001)
        return at


def table_keys(app: Any, table_id: str = "#inbox") -> set[str]:
    from textual.css.query import NoMatches
    from textual.widgets import DataTable

    try:
        table = app.screen.query_one(table_id, DataTable)
    except NoMatches:  # the screen is not composed yet, or another one shows
        return set()
    return {str(key.value) for key in table.rows}


# -- live latency ----------------------------------------------------------------------


class BackgroundDesk:
    """One of the other desks: its LISTEN connection, and an inbox reload on its unit's changes."""

    def __init__(self, url: str, engine: Any, user: Any, stop: threading.Event) -> None:
        self.url, self.engine, self.user, self.stop = url, engine, user, stop
        self.reloads = 0
        self.connected = False

    def run(self) -> None:
        from ptsa_tui.store.inbox import load_inbox
        from ptsa_tui.store.listener import listen

        def changed(change: Any) -> None:
            if change.unit_id == self.user.unit_id:
                load_inbox(self.engine, user=self.user, now=datetime.now(UTC))
                self.reloads += 1

        def connected(ok: bool) -> None:
            self.connected = ok

        listen(self.url, on_change=changed, on_connected=connected, stop=self.stop)


def background_desks(url: str, skip: str) -> None:
    """Run in its own process (as the desks really are): every other desk listening.

    Prints "ready N" once all N are connected; stops when its stdin closes.
    """
    from sqlalchemy.orm import Session
    from sqlmodel import select

    from ptsa_tui.store.actors import actor_of
    from ptsa_tui.store.models import Officer, Unit

    engine = make_engine(url, pool_size=8)
    with Session(engine) as session:
        rows = session.execute(
            select(Officer, Unit)
            .join(Unit, Unit.id == Officer.unit_id)  # type: ignore[arg-type]
            .where(Officer.active, Officer.username != skip)  # type: ignore[arg-type]
        ).all()
        users = [actor_of(officer, unit) for officer, unit in rows]
    stop = threading.Event()
    desks = [BackgroundDesk(url, engine, u, stop) for u in users]
    threads = [threading.Thread(target=d.run, daemon=True) for d in desks]
    for thread in threads:
        thread.start()
    while sum(d.connected for d in desks) < len(desks):
        time.sleep(0.05)
    print(f"ready {len(desks)}", flush=True)
    sys.stdin.read()  # until the parent closes it
    stop.set()
    for thread in threads:
        thread.join(timeout=5)
    engine.dispose()


@dataclass(frozen=True)
class Live:
    samples: list[float]  # ms, commit → the row in the observed desk's frame
    floor: list[float]  # ms, commit → its NOTIFY on a bare LISTEN connection (the floor)
    after_notify: list[float]  # ms, that NOTIFY → the row: the desk's own part
    listening: int


def heard(clock: NotifyClock, asked: float, task_id: int) -> float | None:
    """When the bare listener got the first notification naming the task, if it did."""
    for at, payload in clock.since(asked):
        change = parse_change(payload)
        if change is not None and change.task_id == task_id:
            return at
    return None


def measure_latency(url: str, home: str, commits: int) -> Live:
    from ptsa_tui.store.workflow import Workflow

    unit, service = latency_route(url)
    observer = officer_in(url, unit)
    others = subprocess.Popen(
        [sys.executable, __file__, "--background", url, observer],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert others.stdout is not None and others.stdin is not None
    ready = others.stdout.readline().split()
    assert ready and ready[0] == "ready", "the other desks did not start"
    app = make_app(url, home)
    p0_engine = make_engine(url, pool_size=1)
    flow = Workflow(p0_engine, settings_for(url, home))
    samples: list[float] = []
    commits_seen: list[tuple[float, float, float, int]] = []  # asked, committed, shown, task
    clock = NotifyClock(url, CHANNEL)  # the floor: the same commits' NOTIFY, on a bare LISTEN
    clock.start()
    clock.ready.wait(timeout=30)

    def register(i: int) -> tuple[Any, float]:
        """A P0 desk's commit, and when it ended."""
        registered = flow.register(
            by="p0", service_code=service, customer={"name": f"Live {i}"}, subject="latency"
        )
        return registered, time.perf_counter()

    async def run() -> None:
        async with app.run_test(headless=True, size=(100, 30)):
            frames = Frames(app)
            log_in(app, observer)
            await until(lambda: app.listening and app.loads >= 1)
            for i in range(commits):
                asked = time.perf_counter()
                registered, committed = await asyncio.to_thread(register, i)
                key = str(registered.task.id)
                # A frame can beat the committing thread back: look from before the commit.
                shown = await frames.wait(lambda keys, key=key: key in keys, since=asked)
                samples.append(max(0.0, shown - committed) * 1000)
                commits_seen.append((asked, committed, shown, registered.task.id))
                await asyncio.sleep(0.02)

    try:
        asyncio.run(run())
        time.sleep(0.2)  # the last notification, if still on its way
    finally:
        clock.stop.set()
        others.stdin.close()
        others.wait(timeout=30)
        p0_engine.dispose()
        app.store.dispose()
    # As the figure: from the committing thread's end of commit, never below zero
    notified = [
        (heard(clock, asked, task), committed, shown)
        for asked, committed, shown, task in commits_seen
    ]
    heard_at = [(at, committed, shown) for at, committed, shown in notified if at is not None]
    return Live(
        samples,
        [max(0.0, at - committed) * 1000 for at, committed, _shown in heard_at],
        [max(0.0, shown - at) * 1000 for at, _committed, shown in heard_at],
        int(ready[1]) + 1,
    )


# -- a big inbox -------------------------------------------------------------------------


def measure_big_inbox(url: str, home: str, total: int, changes: int) -> tuple[float, list[float]]:
    from ptsa_tui.store.workflow import Workflow

    viewer = officer_in(url, BIG_UNIT)
    with psycopg.connect(url) as conn:
        claimer = conn.execute(
            "SELECT o.username FROM officer o JOIN unit u ON u.id = o.unit_id"
            " WHERE u.code = %s AND o.username <> %s AND o.active LIMIT 1",
            (BIG_UNIT, viewer),
        ).fetchone()
    assert claimer is not None, f"{BIG_UNIT} needs two officers"
    app = make_app(url, home)
    claim_engine = make_engine(url, pool_size=1)
    flow = Workflow(claim_engine, settings_for(url, home))
    first_paint = 0.0
    refresh: list[float] = []
    shown = min(total, MAX_SHOWN)

    def claim(task_id: int) -> float:
        """Another officer's claim, and when its commit ended."""
        flow.claim(task_id=task_id, by=str(claimer[0]))
        return time.perf_counter()

    async def run() -> None:
        nonlocal first_paint
        async with app.run_test(headless=True, size=(100, 30)) as pilot:
            frames = Frames(app)
            await pilot.pause()
            started = time.perf_counter()
            log_in(app, viewer)
            painted = await frames.wait(lambda keys: len(keys) == shown, since=started)
            first_paint = painted - started
            await until(lambda: app.listening)
            for task_id in range(total, total - changes, -1):  # the most urgent: on screen
                asked = time.perf_counter()
                committed = await asyncio.to_thread(claim, task_id)
                key = str(task_id)
                gone = await frames.wait(lambda keys, key=key: key not in keys, since=asked)
                refresh.append(max(0.0, gone - committed) * 1000)
                await asyncio.sleep(0.05)

    try:
        asyncio.run(run())
    finally:
        claim_engine.dispose()
        app.store.dispose()
    return first_paint, refresh


# -- `ptsa desk` in a terminal: start-up and memory -------------------------------------


DESK = [sys.executable, "-m", "ptsa_tui", "desk"]
TEXTUAL_MARK = "textual imported"
IMPORT_TEXTUAL = [sys.executable, "-c", f"import textual; print({TEXTUAL_MARK!r})"]


class Terminal:
    """A pseudo-terminal of 100×30 running one command; what it printed, read as it comes."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        import fcntl
        import pty
        import struct
        import termios

        self.master, replica = pty.openpty()
        fcntl.ioctl(replica, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        self.process = subprocess.Popen(
            argv, stdin=replica, stdout=replica, stderr=replica, env=env, start_new_session=True
        )
        os.close(replica)
        self.seen = b""

    def wait_for(self, text: str, timeout: float = 60.0) -> float:
        """Read until `text` has been printed; when it was."""
        import select

        wanted = text.encode()
        deadline = time.monotonic() + timeout
        while wanted not in self.seen:
            exited = self.process.poll() is not None  # before reading: its last words count
            if time.monotonic() < deadline and select.select([self.master], [], [], 0.05)[0]:
                try:
                    self.seen += os.read(self.master, 65536)
                    continue
                except OSError:  # EIO: the command has exited and closed the terminal
                    exited = True
            if time.monotonic() > deadline or exited:
                tail = self.seen[-2000:].decode(errors="replace")
                raise RuntimeError(f"{self.process.args!r} never printed {text!r}:\n{tail}")
        return time.perf_counter()

    def type(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def close(self) -> None:
        if self.process.poll() is None:
            self.type("\x11")  # ctrl+q
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self.master)


def terminal_env(url: str, home: str) -> dict[str, str]:
    env = {**os.environ, "PTSA_DATABASE_URL": url, "PTSA_HOME": home, "PTSA_LANG": "en"}
    return env | {"TERM": "xterm-256color", "COLUMNS": "100", "LINES": "30"}


def time_to_text(argv: list[str], env: dict[str, str], text: str) -> tuple[float, Terminal]:
    """Seconds from spawning `argv` in a terminal to `text` on it, and the terminal."""
    started = time.perf_counter()
    terminal = Terminal(argv, env)
    try:
        return terminal.wait_for(text) - started, terminal
    except BaseException:
        terminal.close()
        raise


def measure_startup(url: str, home: str, runs: int) -> tuple[list[float], list[float]]:
    """Seconds from spawn to the login screen of `ptsa desk`, and to the floor's mark: the same
    interpreter importing textual and printing that it did; alternated, `runs` of each."""
    from ptsa_tui.screens.i18n import _, use_language

    use_language("en")
    env = terminal_env(url, home)
    desk, floor = [], []
    for _run in range(runs):
        seconds, terminal = time_to_text(DESK, env, _("PTSA service desk"))
        terminal.close()
        desk.append(seconds)
        seconds, terminal = time_to_text(IMPORT_TEXTUAL, env, TEXTUAL_MARK)
        terminal.close()
        floor.append(seconds)
    return desk, floor


def measure_terminal(url: str, home: str, total: int) -> dict[str, float]:
    """`ptsa desk` as an officer starts it: its resident memory at the login screen, then
    once logged in (argon2 check included) with the big inbox on screen."""
    import psutil

    from ptsa_tui.screens.i18n import _, use_language

    use_language("en")
    username = officer_in(url, BIG_UNIT)
    set_passwords(url, [username])
    _seconds, terminal = time_to_text(DESK, terminal_env(url, home), _("PTSA service desk"))
    try:
        time.sleep(0.5)  # settled: the login screen idle
        rss_login = psutil.Process(terminal.process.pid).memory_info().rss / 2**20
        for keys in (username, "\t", PASSWORD, "\r"):  # as typed: focus moves between them
            terminal.type(keys)
            time.sleep(0.2)
        terminal.wait_for(f"{_('Queue')} ({total})")
        time.sleep(1.0)  # settled: the inbox painted, the live link up
        rss = psutil.Process(terminal.process.pid).memory_info().rss / 2**20
    finally:
        terminal.close()
    return {"rss_login_mb": rss_login, "rss_mb": rss}


# -- main --------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a small smoke run")
    parser.add_argument("--tasks", type=int, default=10_000, help="open tasks in the big inbox")
    parser.add_argument("--commits", type=int, default=200, help="commits for the latency")
    parser.add_argument("--changes", type=int, default=20, help="changes for the refresh time")
    parser.add_argument(
        "--breached", type=int, default=1_000, help="breached tasks on the escalation screen"
    )
    parser.add_argument(
        "--startup-runs", type=int, default=5, help="starts to the login screen (and of the floor)"
    )
    parser.add_argument("--background", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.background:
        background_desks(*args.background)
        return
    if args.quick:
        args.tasks, args.commits, args.changes, args.startup_runs = 1_000, 30, 5, 3
        args.breached = 300

    import tempfile

    with tempfile.TemporaryDirectory(prefix="ptsa-desk-") as home, bench_database("desk") as db:
        console.print(f"[dim]database: {where(db)}; demo office; {args.tasks:,} open tasks[/]")
        import_demo_org(db.url)
        load_queue(db.url, BIG_UNIT, args.tasks)

        live = measure_latency(db.url, home, args.commits)
        first_paint, refresh = measure_big_inbox(db.url, home, args.tasks, args.changes)
        from bench.desk_escalations import measure_escalations  # it builds on this module

        escalated = measure_escalations(db.url, home, args.breached, args.changes)
        startup, startup_floor = measure_startup(db.url, home, args.startup_runs)
        process = measure_terminal(db.url, home, args.tasks - args.changes)

    def notified(pct: float) -> dict[str, float]:
        return {"bare LISTEN gets the NOTIFY": percentile(live.floor, pct)}

    latency = live.samples
    figures: list[Figure] = [
        info("desks listening", live.listening),
        info("commits / heard by the bare listener", f"{len(latency)} / {len(live.floor)}"),
        at_most(
            "commit → row on another desk, p50", percentile(latency, 50), 30, "ms", 1, notified(50)
        ),
        at_most(
            "commit → row on another desk, p99", percentile(latency, 99), 100, "ms", 1, notified(99)
        ),
        info(
            "  … from the bare listener's NOTIFY, p50 / p99",
            f"{fmt(percentile(live.after_notify, 50), 1)} / {fmt(percentile(live.after_notify, 99), 1)} ms",
        ),
        at_most(f"inbox of {args.tasks:,} open tasks: first paint", first_paint, 1.0, "s"),
        at_most(
            f"inbox of {args.tasks:,}: refresh after one change (median)", median(refresh), 50, "ms"
        ),
        info(f"inbox of {args.tasks:,}: refresh, max", f"{max(refresh):.1f} ms"),
        at_most(
            f"escalations of {args.breached:,} breached: refresh after one change (median)",
            median(escalated.refresh),
            100,
            "ms",
            1,
            {
                "bare LISTEN gets the NOTIFY": median(escalated.notified),
                "its two SELECTs for one request, bare": median(escalated.bare_read),
            },
        ),
        info(
            f"escalations, {args.breached:,}: refresh, max / first paint",
            f"{max(escalated.refresh):.1f} ms / {escalated.first_paint:.2f} s",
        ),
        info(
            f"escalations, {args.breached:,}: read of the whole scope (median)",
            f"{median(escalated.full_read):.1f} ms",
        ),
        at_most("resident memory of one desk app", process["rss_mb"], 120, "MB", 0),
        info("  … of which at its login screen", f"{process['rss_login_mb']:.0f} MB"),
        at_most(
            f"start to login screen (median of {len(startup)})",
            median(startup),
            1.5,
            "s",
            floors={"python -c 'import textual'": median(startup_floor)},
        ),
    ]
    print_figures("Desk app (headless)", figures)


if __name__ == "__main__":
    main()
