"""The customers' side of bench/alerts.py, each beside its floor from this process:

(d) registration → the customer's SMS accepted by a local HTTP gateway: requests registered
    through the workflow one at a time, a real `ptsa alerts run` woken by the notice NOTIFY;
    floor: a bare HTTP GET of the same gateway from this process;
(e) an incoming `STATUS` SMS → its reply in the Gammu outbox: rows put in a Gammu SMSD inbox as
    smsd does, a daemon with the gammu backend; floor: a bare INSERT then SELECT of an outbox
    row on the same database.

    .venv/bin/python bench/alerts_customers.py [--quick]   # also part of bench/alerts.py
"""

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psycopg

from bench.common import (
    Figure,
    at_most,
    bench_database,
    console,
    import_demo_org,
    info,
    measured,
    median,
    percentile,
    print_figures,
    where,
    with_database,
)
from ptsa_tui.config import Settings
from ptsa_tui.store.database import make_engine
from ptsa_tui.store.workflow import Workflow
from tests.alerts.gammu import SCHEMA as GAMMU_SCHEMA

TARGET_SMS_P99_S = 1.0
TARGET_STATUS_P99_S = 2.0
GET = "bare HTTP GET of the gateway"
ROUND_TRIP = "bare INSERT + SELECT, Gammu DB"


class Gateway:
    """A local SMS gateway: when each text arrived, by the tracking number it holds."""

    def __init__(self) -> None:
        self.arrived: dict[str, float] = {}
        self.lock = threading.Lock()
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                fields = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(self.path).query))
                for word in fields.get("text", "").split():
                    if word.startswith("PTSA-"):
                        with gateway.lock:
                            gateway.arrived.setdefault(word, time.time())
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"OK")

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/send"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@contextmanager
def daemon(db_url: str, home: Path, sms: str) -> Iterator[None]:
    config = home / "ptsa.toml"
    config.write_text(f'[alerts]\ninterval = "5s"\n\n[sms]\n{sms}\n')
    env = {k: v for k, v in os.environ.items() if not k.startswith("PTSA_")}
    env.update(PTSA_DATABASE_URL=db_url, PTSA_CONFIG=str(config), PTSA_HOME=str(home))
    with (home / "daemon.log").open("ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "ptsa_tui", "alerts", "run"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        time.sleep(6)  # started, first pass done, into its wait
        yield
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def registration_to_sms(db_url: str, home: Path, count: int) -> tuple[list[float], list[float]]:
    gateway = Gateway()
    engine = make_engine(db_url)
    workflow = Workflow(engine, Settings(database_url=db_url, home=home))
    with psycopg.connect(db_url) as conn:
        row = conn.execute("SELECT code FROM service ORDER BY code LIMIT 1").fetchone()
        p0 = conn.execute("SELECT username FROM officer WHERE username = 'p0'").fetchone()
    assert row is not None and p0 is not None
    registered: dict[str, float] = {}
    sms = f'backend = "http"\nurl = "{gateway.url}?to={{phone}}&text={{text}}"'
    with daemon(db_url, home, sms):
        for n in range(count):
            done = workflow.register(
                by=p0[0],
                service_code=row[0],
                customer={"name": f"Warga {n}", "phone": f"0812{n:08d}"},
                subject="Bench",
            )
            registered[done.request.tracking_no] = time.time()  # committed
            time.sleep(0.1)  # one at a time, as a counter registers them
        deadline = time.monotonic() + 60
        while len(gateway.arrived) < count and time.monotonic() < deadline:
            time.sleep(0.05)
    engine.dispose()
    delays = [gateway.arrived[t] - at for t, at in registered.items() if t in gateway.arrived]
    floor = []
    for _ in range(count):
        started = time.perf_counter()
        with urllib.request.urlopen(f"{gateway.url}?to=1&text=floor", timeout=10) as reply:
            reply.read()
        floor.append(time.perf_counter() - started)
    gateway.server.shutdown()
    return delays, floor


def status_to_reply(
    db_url: str, admin_url: str, home: Path, count: int
) -> tuple[list[float], list[float]]:
    name = f"gammu_bench_{os.getpid()}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    gammu = with_database(admin_url, name)
    try:
        with psycopg.connect(gammu, autocommit=True) as conn:
            conn.execute(GAMMU_SCHEMA)
        delays: list[float] = []
        sms = f'backend = "gammu"\ndatabase_url = "{gammu}"'
        with daemon(db_url, home, sms), psycopg.connect(gammu, autocommit=True) as conn:
            for _ in range(count):
                before = _replies(conn)
                started = time.perf_counter()
                conn.execute(
                    'INSERT INTO inbox ("Text", "SenderNumber", "UDH", "TextDecoded",'
                    " \"RecipientID\") VALUES ('', '+6281200000001', '',"
                    " 'STATUS PTSA-2026-000001', 'bench')"
                )
                while _replies(conn) == before and time.perf_counter() - started < 30:
                    time.sleep(0.005)
                delays.append(time.perf_counter() - started)
            floor = []
            for _ in range(count):
                started = time.perf_counter()
                conn.execute(
                    'INSERT INTO outbox ("DestinationNumber", "TextDecoded", "CreatorID")'
                    " VALUES ('+62', 'floor', 'bench')"
                )
                _replies(conn)
                floor.append(time.perf_counter() - started)
        return delays, floor
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _replies(conn: "psycopg.Connection[Any]") -> int:
    row = conn.execute("SELECT count(*) FROM outbox").fetchone()
    return int(row[0]) if row else 0


def customer_figures(db_url: str, admin_url: str, count: int) -> list[Figure]:
    with tempfile.TemporaryDirectory() as tmp:
        sms, sms_floor = registration_to_sms(db_url, Path(tmp), count)
        status, status_floor = status_to_reply(db_url, admin_url, Path(tmp), count)
    return [
        info("(d) requests registered / SMS accepted", f"{count} / {len(sms)}"),
        measured(
            "(d) registration → SMS accepted p50", median(sms), "s", 3, {GET: median(sms_floor)}
        ),
        at_most(
            "(d) registration → SMS accepted p99",
            percentile(sms, 99),
            TARGET_SMS_P99_S,
            "s",
            3,
            {GET: percentile(sms_floor, 99)},
        ),
        measured(
            "(e) STATUS → reply in the outbox p50",
            median(status),
            "s",
            3,
            {ROUND_TRIP: median(status_floor)},
        ),
        at_most(
            "(e) STATUS → reply in the outbox p99",
            percentile(status, 99),
            TARGET_STATUS_P99_S,
            "s",
            3,
            {ROUND_TRIP: percentile(status_floor, 99)},
        ),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    count = 30 if args.quick else args.count
    with bench_database("customers") as db:
        import_demo_org(db.url)
        console.print(f"[dim]{where(db)}: the demo organisation, {count} of each[/]")
        figures = customer_figures(db.url, db.admin_url, count)
    print_figures("bench/alerts_customers.py: the customers' messages", figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
