"""Which database, and engines onto it. Nothing connects at import time."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from ptsa_tui.error_text import database_line, error_line
from ptsa_tui.store.errors import DatabaseUnavailable
from ptsa_tui.store.origin import Channel, session_options

if TYPE_CHECKING:
    import psycopg

    from ptsa_tui.config import Settings
    from ptsa_tui.store.embedded import EmbeddedUrls


@dataclass(frozen=True)
class Urls:
    """The runtime role's URL, which everything connects with, and the owner's, for migrations
    (None on a real server when PTSA_DATABASE_OWNER_URL is not given)."""

    runtime: str
    owner: str | None


def resolve_urls(settings: "Settings") -> Urls:
    """PTSA_DATABASE_URL (and PTSA_DATABASE_OWNER_URL), else the embedded server's roles."""
    if settings.database_url:
        return Urls(settings.database_url, settings.database_owner_url)
    embedded = start_embedded(settings.home)
    return Urls(embedded.runtime, embedded.owner)


def start_embedded(home: Path) -> "EmbeddedUrls":
    """The embedded server in `home`, started when it is not running; DatabaseUnavailable with
    its reason in one line when it cannot be."""
    from ptsa_tui.store.embedded import ShuttingDown, embedded_urls

    try:
        return embedded_urls(home)
    except ShuttingDown as error:
        raise DatabaseUnavailable(
            f"embedded database in {home} is shutting down: {error}"
        ) from None
    except Exception as error:  # the embedded wheel raises plain errors; say what failed, once
        raise DatabaseUnavailable(
            f"embedded database in {home} did not start: {error_line(error)}"
        ) from None


def resolve_url(settings: "Settings") -> str:
    """The libpq URL in use: the runtime role's."""
    return resolve_urls(settings).runtime


def masked(url: str) -> str:
    """The URL with its password shown as ***, for anything a person or a log may see."""
    return make_url(url).render_as_string(hide_password=True)


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
