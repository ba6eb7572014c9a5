"""Which database, and engines onto it. Nothing connects at import time."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from ptsa_tui.error_text import database_line
from ptsa_tui.store.errors import DatabaseUnavailable
from ptsa_tui.store.origin import Channel, session_options

if TYPE_CHECKING:
    import psycopg


def role_of(url: str) -> str | None:
    return make_url(url).username


def sqlalchemy_url(url: str) -> str:
    """postgresql://… → postgresql+psycopg://… so SQLAlchemy uses psycopg 3."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def make_engine(url: str, *, pool_size: int = 2, channel: Channel = "cli") -> Engine:
    """An engine whose every session says which channel it is and who runs it (audit.origin)."""
    return create_engine(
        sqlalchemy_url(url),
        pool_size=pool_size,
        max_overflow=2,
        pool_pre_ping=False,  # a ping per checkout doubles every round trip; errors invalidate
        connect_args={
            "connect_timeout": 5,
            "application_name": f"ptsa-{channel}",
            "options": session_options(channel),
        },
    )


def check_reachable(engine: Engine) -> None:
    """Raise DatabaseUnavailable with one line when the server cannot be reached."""
    try:
        with engine.connect():
            pass
    except OperationalError as error:
        raise DatabaseUnavailable(
            f"database unreachable ({engine.url.render_as_string()}): {database_line(error)}"
        ) from None


@contextmanager
def bare_connection(engine: Engine) -> "Iterator[psycopg.Connection[tuple[Any, ...]]]":
    """The pool's psycopg connection, bare and in autocommit: for the hot paths (a claim, a
    desk's inbox), where the ORM's layers cost more CPU than the statement."""
    import psycopg

    pooled = engine.raw_connection()
    conn = pooled.driver_connection
    assert isinstance(conn, psycopg.Connection)
    try:
        conn.autocommit = True
        try:
            yield conn
        finally:
            if not conn.closed:
                conn.autocommit = False
    except psycopg.OperationalError:
        if conn.broken or conn.closed:
            # The server dropped it, so most likely every idle one too (a restart, a
            # terminate): start the pool afresh, as SQLAlchemy does on a disconnect.
            pooled.invalidate()
            engine.dispose()  # closes the idle ones; those in use finish on their own
        raise
    finally:
        pooled.close()
