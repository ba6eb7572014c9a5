"""`ptsa alerts run` as real subprocesses, for the kill -9, standby and many-daemon tests."""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, text

from ptsa_tui.store.timeutil import utc_now
from ptsa_tui.store.workflow import Workflow
from tests.store.helpers import register

if TYPE_CHECKING:
    from tests.alerts.servers import SmtpServer

WIB = ZoneInfo("Asia/Jakarta")


def long_ago() -> datetime:
    """A Monday 10:00 two weeks back: both levels of a task offered then are due by now."""
    day = (utc_now() - timedelta(days=14)).astimezone(WIB)
    monday = day - timedelta(days=day.weekday())
    return monday.replace(hour=10, minute=0, second=0, microsecond=0)


def register_overdue(workflow: Workflow, count: int) -> None:
    at = long_ago()
    for n in range(count):
        register(workflow, now=at + timedelta(minutes=n % 20))


def write_config(home: Path, smtp_port: int, interval: str = "1s", senders: int = 0) -> Path:
    """A daemon's config on this SMTP server; `senders`, when given, its sending threads."""
    path = home / "ptsa.toml"
    threads = f"senders = {senders}\n" if senders else ""
    path.write_text(
        f'[alerts]\ninterval = "{interval}"\n{threads}\n'
        f'[smtp]\nhost = "127.0.0.1"\nport = {smtp_port}\nsecurity = "none"\ntimeout = "5s"\n'
    )
    return path


def environment(db_url: str, config: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PTSA_")}
    env.update(
        PTSA_DATABASE_URL=db_url,
        PTSA_CONFIG=str(config),
        PTSA_HOME=str(config.parent / "home"),
    )
    return env


class Daemons:
    """Starts daemons, and kills whatever is left at the end."""

    def __init__(self, env: dict[str, str], logs: Path) -> None:
        self.env = env
        self.logs = logs
        self.started: list[subprocess.Popen[bytes]] = []

    def start(self, *args: str) -> subprocess.Popen[bytes]:
        log = (self.logs / f"daemon-{len(self.started)}.log").open("wb")
        process = subprocess.Popen(
            [sys.executable, "-m", "ptsa_tui", "alerts", "run", *args],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        self.started.append(process)
        return process

    def log(self, index: int) -> str:
        return (self.logs / f"daemon-{index}.log").read_text()

    def stop_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.started:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@contextmanager
def daemons(db_url: str, config: Path, logs: Path) -> Iterator[Daemons]:
    running = Daemons(environment(db_url, config), logs)
    try:
        yield running
    finally:
        running.stop_all()


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> float:
    """Poll until true; returns the seconds it took. Waits for a process, never for a deadline."""
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > timeout:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.05)
    return time.monotonic() - start


def statuses(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            row[0]: int(row[1])
            for row in conn.execute(text("SELECT status, count(*) FROM alert GROUP BY status"))
        }


def roles(engine: Engine) -> dict[int, str]:
    with engine.connect() as conn:
        return {
            int(row[0]): row[1]
            for row in conn.execute(text("SELECT pid, role FROM alert_heartbeat"))
        }


def kill_while_sending(running: Daemons, smtp: "SmtpServer") -> int:
    """Start a daemon on a slow SMTP server, kill -9 it inside a send (after three), speed the
    server up again; returns how many messages had arrived by the kill."""
    smtp.inbox.delay = 0.4
    first = running.start()
    wait_until(lambda: len(smtp.inbox.snapshot()) >= 3, 30, "the first messages")
    time.sleep(0.2)  # inside the next send (0.4 s each), not at a boundary
    os.kill(first.pid, signal.SIGKILL)
    first.wait()
    smtp.inbox.delay = 0.0
    return len(smtp.inbox.snapshot())
