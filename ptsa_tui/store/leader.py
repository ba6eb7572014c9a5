"""One active scanner: a session advisory lock held on a dedicated connection.

PostgreSQL drops a session lock when its connection ends, and the connection ends when the
process does, kill -9 included; a standby that tries each pass takes over at its next pass.
"""

from typing import Any

import psycopg

LOCK_KEY = 0x70747361_616C7274  # "ptsa" "alrt": one leader per database


class Leadership:
    def __init__(self, url: str) -> None:
        self.url = url
        self.conn: psycopg.Connection[Any] | None = None
        self.held = False

    def _connect(self) -> psycopg.Connection[Any]:
        if self.conn is None or self.conn.closed:
            self.held = False
            self.conn = psycopg.connect(
                self.url,
                autocommit=True,
                connect_timeout=5,
                application_name="ptsa-alerts-leader",
                # a dead server or network shows within seconds, not at the next TCP timeout
                keepalives=1,
                keepalives_idle=5,
                keepalives_interval=2,
                keepalives_count=3,
            )
        return self.conn

    def check(self) -> bool:
        """True while this process leads: takes the lock if free, proves the link if held."""
        for _ in range(2):  # a link cut since the last check: reconnect once and try again
            try:
                conn = self._connect()
                if self.held:
                    conn.execute("SELECT 1")
                else:
                    row = conn.execute("SELECT pg_try_advisory_lock(%s)", (LOCK_KEY,)).fetchone()
                    self.held = bool(row and row[0])
                return self.held
            except psycopg.Error:
                self.close()  # a broken link has lost the lock with it
        return False

    def close(self) -> None:
        self.held = False
        if self.conn is not None:
            try:
                self.conn.close()
            finally:
                self.conn = None
