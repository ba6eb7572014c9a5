"""The alert daemon end to end: a real `ptsa alerts run` process, a local aiosmtpd server.

On the history of bench/scan.py (about 1,000,000 closed tasks and 10,000 open ones, loaded with
COPY on the demo organisation), with the default 5 s interval and no SMS backend:

(a) 10,000 tasks breaching at once, and 5,000 customer emails due at the same moment: the
    daemon runs idle (every open task due tomorrow), then every open task is made unclaimed and
    one minute overdue; it raises level 1 for each and mails every supervisor, and mails the
    customers; figures: time to all accepted (target 60 s), alerts per second, and that each
    alert and notice arrived exactly once;
(b) idle, before and after the burst: CPU share of one core and resident memory;
(c) breach → accepted: new hops whose claim deadlines fall over the next minute (as real
    deadlines do, known when the hop is offered); the delay from each deadline to the moment
    the SMTP server accepted its message, p50 / p99 / max; beside it its floor: the last
    alert message sent again, `--sends` times, with smtplib from this process to the same
    server (connect to "250 accepted"), and the ratio;
(d), (e) the customers' messages (bench/alerts_customers.py): registration → SMS accepted by
    an HTTP gateway, and an incoming STATUS SMS → its reply in the Gammu outbox.

    .venv/bin/python bench/alerts.py            # full
    .venv/bin/python bench/alerts.py --quick    # smoke run: 50,000 closed + 1,000 open
"""

import argparse
import email
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psutil
import psycopg
from aiosmtpd.controller import Controller

from bench.alerts_customers import customer_figures
from bench.common import (
    Figure,
    at_most,
    bench_database,
    console,
    fmt,
    import_demo_org,
    info,
    measured,
    median,
    percentile,
    print_figures,
    where,
)
from bench.floors import smtp_send_times
from bench.scan import load
from ptsa_tui.config import Settings
from ptsa_tui.store.database import make_engine
from ptsa_tui.store.workflow import Workflow

TARGET_P99_S = 5.0
TARGET_BURST_S = 60.0
TARGET_IDLE_CPU_PCT = 2.0
TARGET_RSS_MB = 80.0
SEND = "smtplib send, same message"  # the floor of breach → accepted


class Recorder:
    """aiosmtpd handler: when each alert's message was accepted, and the last one as sent
    (envelope and bytes), for the floor to send again. Other messages (the floor's) are
    accepted and not recorded."""

    def __init__(self) -> None:
        self.accepted: list[tuple[int, float]] = []  # (alert id, wall-clock time)
        self.notices: list[int] = []  # the customer notices' ids, as accepted
        self.last: tuple[str, list[str], bytes] | None = None
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content)
        message_id = str(message["Message-ID"])
        if "ptsa-notice-" in message_id:
            with self.lock:
                self.notices.append(int(message_id.split("ptsa-notice-")[1].split("@")[0]))
            return "250 Message accepted"
        if "ptsa-alert-" not in message_id:
            return "250 Message accepted"
        alert_id = int(message_id.split("ptsa-alert-")[1].split("@")[0])
        with self.lock:
            self.accepted.append((alert_id, time.time()))
            self.last = (envelope.mail_from, list(envelope.rcpt_tos), envelope.content)
        return "250 Message accepted"

    def count(self) -> int:
        with self.lock:
            return len(self.accepted)

    def since(self, index: int) -> list[tuple[int, float]]:
        with self.lock:
            return self.accepted[index:]


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def set_open_deadlines(url: str, due: datetime) -> int:
    """Every open task unclaimed and due at `due`; returns how many."""
    with psycopg.connect(url) as conn:
        cur = conn.execute(
            "UPDATE task SET claimed_by = NULL, claimed_at = NULL, claim_due_at = %s"
            " WHERE closed_at IS NULL",
            (due,),
        )
        conn.commit()
        return cur.rowcount


def idle_figures(process: psutil.Process, seconds: float) -> tuple[float, float]:
    """(CPU % of one core, max resident MB) over `seconds` of an idle daemon."""
    cpu0, wall0 = process.cpu_times(), time.monotonic()
    rss_max = 0.0
    while time.monotonic() - wall0 < seconds:
        rss_max = max(rss_max, process.memory_info().rss / 2**20)
        time.sleep(1)
    cpu1, wall1 = process.cpu_times(), time.monotonic()
    busy = cpu1.user + cpu1.system - cpu0.user - cpu0.system
    return busy / (wall1 - wall0) * 100, rss_max


def register_customers(url: str, count: int) -> int:
    """`count` requests registered through the workflow by customers with an email, their
    notices held back (due tomorrow) until the burst; returns how many notices."""
    engine = make_engine(url)
    workflow = Workflow(engine, Settings(database_url=url))
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT code FROM service ORDER BY code LIMIT 1").fetchone()
    assert row is not None
    for n in range(count):
        customer = {"name": f"Warga {n}", "email": f"warga{n}@example.id"}
        workflow.register(by="p0", service_code=row[0], customer=customer, subject="Bench")
    engine.dispose()
    with psycopg.connect(url) as conn:
        cur = conn.execute("UPDATE notice SET next_attempt_at = now() + interval '1 day'")
        conn.commit()
        return cur.rowcount


def notices_due_now(url: str) -> None:
    with psycopg.connect(url) as conn:
        conn.execute("UPDATE notice SET next_attempt_at = now() WHERE status = 'pending'")
        conn.commit()


def notice_counts(url: str) -> tuple[int, int]:
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT count(*), count(*) FILTER (WHERE status = 'sent') FROM notice"
        ).fetchone()
    assert row is not None
    return int(row[0]), int(row[1])


def alert_counts(url: str) -> tuple[int, int]:
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT count(*), count(*) FILTER (WHERE status = 'sent') FROM alert"
        ).fetchone()
    assert row is not None
    return int(row[0]), int(row[1])


def new_hops(url: str, count: int, spread: float, seed: int) -> dict[int, datetime]:
    """Close `count` open hops and offer new ones due over the next `spread` seconds."""
    rng = random.Random(seed)
    now = datetime.now(UTC)
    due: dict[int, datetime] = {}
    with psycopg.connect(url) as conn:
        open_tasks = conn.execute(
            "SELECT id, request_id, unit_id, position, purpose FROM task"
            " WHERE closed_at IS NULL ORDER BY id LIMIT %s",
            (count,),
        ).fetchall()
        for task_id, request_id, unit_id, position, purpose in open_tasks:
            conn.execute(
                "UPDATE task SET closed_at = %s, outcome = 'released' WHERE id = %s",
                (now, task_id),
            )
            deadline = now + timedelta(seconds=10 + rng.uniform(0, spread))
            row = conn.execute(
                "INSERT INTO task (request_id, unit_id, position, purpose, offered_at,"
                " claim_due_at) VALUES (%s, %s, %s, %s, %s, %s) RETURNING id",
                (request_id, unit_id, position, purpose, now, deadline),
            ).fetchone()
            assert row is not None
            due[int(row[0])] = deadline
        conn.commit()
    return due


def alert_tasks(url: str, ids: list[int]) -> dict[int, int]:
    with psycopg.connect(url) as conn:
        return dict(
            conn.execute("SELECT id, task_id FROM alert WHERE id = ANY(%s)", (ids,)).fetchall()
        )


def wait_for(condition: Any, timeout: float) -> float:
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > timeout:
            raise SystemExit(f"timed out after {timeout:.0f} s")
        time.sleep(0.2)
    return time.monotonic() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--closed", type=int, default=1_000_000)
    parser.add_argument("--open", type=int, default=10_000)
    parser.add_argument("--hops", type=int, default=300, help="new hops for the latency figure")
    parser.add_argument("--spread", type=float, default=60.0, help="seconds their deadlines span")
    parser.add_argument("--idle", type=float, default=30.0, help="seconds of idle measurement")
    parser.add_argument("--sends", type=int, default=100, help="smtplib sends for the floor")
    parser.add_argument("--customers", type=int, default=200, help="registrations and STATUS")
    parser.add_argument("--notices", type=int, default=5_000, help="notices due in the burst")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    if args.quick:
        args.closed, args.open, args.hops, args.idle, args.sends = 50_000, 1_000, 60, 10.0, 30
        args.customers, args.notices = 30, 500

    recorder = Recorder()
    port = free_port()
    smtp = Controller(recorder, hostname="127.0.0.1", port=port)
    smtp.start()
    with bench_database("alerts") as db, tempfile.TemporaryDirectory() as tmp:
        import_demo_org(db.url)
        facts = load(db.url, args.closed, args.open, args.seed)
        notices = register_customers(db.url, args.notices)
        # nothing due for a day: the daemon starts idle, then everything breaches at once
        set_open_deadlines(db.url, datetime.now(UTC) + timedelta(days=1))
        config = Path(tmp) / "ptsa.toml"
        config.write_text(f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\n')
        env = {k: v for k, v in os.environ.items() if not k.startswith("PTSA_")}
        env.update(PTSA_DATABASE_URL=db.url, PTSA_CONFIG=str(config), PTSA_HOME=tmp)
        console.print(
            f"[dim]{where(db)}: {facts['closed_tasks']:,} closed + {facts['open_tasks']:,} open"
            f" tasks; all {facts['open_tasks']:,} open ones breach at once;"
            " daemon at the default 5 s interval[/]"
        )
        log = (Path(tmp) / "daemon.log").open("wb")
        daemon = subprocess.Popen(
            [sys.executable, "-m", "ptsa_tui", "alerts", "run"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            process = psutil.Process(daemon.pid)
            time.sleep(8)  # started, first pass done
            fresh_cpu, fresh_rss = idle_figures(process, args.idle)

            # (a) the burst
            started = time.monotonic()
            breached = set_open_deadlines(db.url, datetime.now(UTC) - timedelta(minutes=1))
            notices_due_now(db.url)
            wait_for(lambda: alert_counts(db.url)[0] > 0, 120)
            wait_for(lambda: len(set(alert_counts(db.url))) == 1, 3600)  # all sent
            wait_for(lambda: len(set(notice_counts(db.url))) == 1, 3600)
            burst_s = time.monotonic() - started
            total, _sent = alert_counts(db.url)
            burst = recorder.since(0)
            ids = [alert_id for alert_id, _ in burst]
            span = max(t for _, t in burst) - min(t for _, t in burst)
            once = len(ids) == len(set(ids)) == total
            notice_ids = list(recorder.notices)
            once = once and len(notice_ids) == len(set(notice_ids)) == notices

            # (b) idle after the burst
            time.sleep(6)  # past the burst's last pass
            idle_cpu, rss_max = idle_figures(process, args.idle)

            # (c) breach → accepted
            mark = recorder.count()
            due = new_hops(db.url, args.hops, args.spread, args.seed)
            expected = mark + len(due)  # one supervisor per unit in the demo org
            wait_for(lambda: recorder.count() >= expected, args.spread + 120)
            time.sleep(6)
            late = recorder.since(mark)
            tasks = alert_tasks(db.url, [alert_id for alert_id, _ in late])
            delays = [
                accepted - due[tasks[alert_id]].timestamp()
                for alert_id, accepted in late
                if tasks.get(alert_id) in due
            ]
            rss_end = process.memory_info().rss / 2**20

            # the floor of (c): the same message sent again with smtplib, from this process
            assert recorder.last is not None
            sender, recipients, message = recorder.last
            floor = smtp_send_times("127.0.0.1", port, sender, recipients, message, args.sends)
        finally:
            daemon.send_signal(signal.SIGTERM)
            daemon.wait(timeout=30)
            log.close()
            smtp.stop()
        # (d), (e): the customers' SMS, each with a daemon of its own on the same database
        customers = customer_figures(db.url, db.admin_url, args.customers)

    figures: list[Figure] = [
        info("closed / open tasks", f"{facts['closed_tasks']:,} / {facts['open_tasks']:,}"),
        info("(a) tasks breaching at once / alerts raised", f"{breached:,} / {total:,}"),
        info("(a) customer notices due at the same moment", f"{notices:,}"),
        at_most("(a) breach → all alerts and notices accepted", burst_s, TARGET_BURST_S, "s", 1),
        info("(a) alerts per second (first → last accepted)", fmt(len(burst) / span, 0)),
        Figure("(a) each alert and notice delivered exactly once", str(once), "yes", once),
        at_most("(b) idle CPU, fresh (share of one core)", fresh_cpu, TARGET_IDLE_CPU_PCT, "%"),
        at_most("(b) resident memory, fresh, max while idle", fresh_rss, TARGET_RSS_MB, "MB", 1),
        at_most("(b) idle CPU, after the burst", idle_cpu, TARGET_IDLE_CPU_PCT, "%"),
        at_most("(b) resident memory, after the burst", rss_max, TARGET_RSS_MB, "MB", 1),
        info("(b) resident memory after the latency run", f"{fmt(rss_end, 1)} MB"),
        info("(c) new hops / messages measured", f"{len(due)} / {len(delays)}"),
        info("(c) floor: smtplib sends / message size", f"{len(floor)} / {len(message):,} bytes"),
        measured("(c) breach → accepted p50", median(delays), "s", 3, {SEND: median(floor)}),
        at_most(
            "(c) breach → accepted p99",
            percentile(delays, 99),
            TARGET_P99_S,
            "s",
            3,
            {SEND: percentile(floor, 99)},
        ),
        info("(c) breach → accepted max", f"{fmt(max(delays, default=float('nan')))} s"),
        *customers,
    ]
    print_figures("bench/alerts.py: the alert daemon end to end", figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
