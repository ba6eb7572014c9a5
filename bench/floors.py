"""Physical floors: the least each benchmarked path could cost here, measured in the same run.

None of this is ptsa code, and none of it is a proposal for ptsa: each is the bare mechanism a
figure rests on (a statement on a plain psycopg connection, a LISTEN, an smtplib send), timed
on the same machine, server and load as the figure, so that figure ÷ floor compares across
machines where the absolute figure moves by a third.
"""

import re
import smtplib
import threading
import time
from datetime import UTC, datetime
from typing import Any

import psycopg

# -- claims.py: the claim's UPDATE, alone and with a NOTIFY in the same statement ---------

CLAIM_UPDATE = (
    "UPDATE task SET claimed_by = %(officer)s, claimed_at = %(now)s"
    " WHERE id = %(task)s AND closed_at IS NULL AND claimed_by IS NULL RETURNING id"
)
# A plain pg_notify on a channel nobody listens on, only when the UPDATE won (as a claim does):
# what PostgreSQL's commit-time NOTIFY queue costs, whatever the payload.
CLAIM_UPDATE_NOTIFY = (
    f"WITH won AS ({CLAIM_UPDATE}) SELECT won.id, pg_notify('bench', won.id::text) FROM won"
)
CLAIM_FLOORS = {"UPDATE + pg_notify": CLAIM_UPDATE_NOTIFY, "UPDATE alone": CLAIM_UPDATE}


class BareClaimDesk:
    """A desk on one plain autocommit psycopg connection: a floor statement per claim."""

    def __init__(self, statement: str, officer_id: int, url: str, pick: str, params: Any) -> None:
        self.statement, self.officer_id = statement, officer_id
        self.pick_sql, self.pick_params = pick, params
        self.conn = psycopg.connect(url, autocommit=True)

    def pick(self) -> list[int]:
        return [row[0] for row in self.conn.execute(self.pick_sql, self.pick_params)]

    def claim(self, task_id: int) -> bool:
        params = {"officer": self.officer_id, "task": task_id, "now": datetime.now(UTC)}
        return self.conn.execute(self.statement, params).fetchone() is not None

    def close(self) -> None:
        self.conn.close()


def reset_claims(url: str, offered: list[int], park: int) -> None:
    """Back to the start of a phase: exactly the tasks in `offered` open and unclaimed.

    Any other open task (one a time-limited phase left unclaimed) is parked as claimed by
    officer `park`, so each phase races for the same tasks.
    """
    with psycopg.connect(url) as conn:
        conn.execute(
            "UPDATE task SET claimed_by = NULL, claimed_at = NULL WHERE id = ANY(%s)", (offered,)
        )
        conn.execute(
            "UPDATE task SET claimed_by = %s, claimed_at = now()"
            " WHERE closed_at IS NULL AND claimed_by IS NULL AND id <> ALL(%s)",
            (park, offered),
        )
        conn.commit()
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE task")


def task_triggers(url: str) -> list[str]:
    """User triggers on the task table: they fire in the floors' UPDATEs too."""
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = 'task'::regclass AND NOT tgisinternal"
            " ORDER BY tgname"
        ).fetchall()
    return [str(row[0]) for row in rows]


# -- desk.py: commit → a bare LISTEN connection's notification ------------------------------


class NotifyClock(threading.Thread):
    """A plain psycopg connection LISTENing on `channel`: when each notification arrived
    (time.perf_counter) and its payload."""

    def __init__(self, url: str, channel: str) -> None:
        super().__init__(daemon=True)
        self.url, self.channel = url, channel
        self.heard: list[tuple[float, str]] = []
        self.ready = threading.Event()
        self.stop = threading.Event()
        self.lock = threading.Lock()

    def run(self) -> None:
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f"LISTEN {self.channel}")
            self.ready.set()
            while not self.stop.is_set():
                for notice in conn.notifies(timeout=0.2):
                    at = time.perf_counter()
                    with self.lock:
                        self.heard.append((at, notice.payload))

    def since(self, start: float) -> list[tuple[float, str]]:
        with self.lock:
            return [(at, payload) for at, payload in self.heard if at >= start]


# -- alerts.py: one smtplib send of the same message to the same server -------------------


def smtp_send_times(
    host: str, port: int, sender: str, recipients: list[str], message: bytes, runs: int
) -> list[float]:
    """Seconds from connecting to the server's "250 accepted" for the message, `runs` times;
    each copy gets its own Message-ID (bench-floor-N), the rest of the message unchanged."""
    times: list[float] = []
    for i in range(runs):
        own_id = f"Message-ID: <bench-floor-{i}@bench>".encode()
        copy = re.sub(rb"(?im)^Message-ID:[^\r\n]*", own_id, message, count=1)
        started = time.perf_counter()
        with smtplib.SMTP(host, port, timeout=30) as client:
            client.sendmail(sender, recipients, copy)
            times.append(time.perf_counter() - started)  # accepted; QUIT not counted
    return times
