"""Reads and the claim on one psycopg connection, with no SQLAlchemy loaded.

Loading SQLAlchemy and the ORM costs a command about a third of a second before its first
statement. `ptsa task list` and `ptsa task claim`, the commands scripts call most, run here
instead: on a connection with the same session options as every engine (audit.origin), and
the same SQL and rules as the engine paths, which call these functions too.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Any

from ptsa_tui.store.errors import DatabaseUnavailable, NotFound
from ptsa_tui.store.origin import Channel, session_options
from ptsa_tui.store.refs import parse_ref
from ptsa_tui.store.revision import HEAD
from ptsa_tui.store.task_rows import TaskRow, TaskState, list_tasks_sql, task_rows
from ptsa_tui.store.urls import masked
from ptsa_tui.text_safety import quoted

if TYPE_CHECKING:
    import psycopg

    from ptsa_tui.store.claims import Claim


@contextmanager
def connected(url: str, channel: Channel) -> "Iterator[psycopg.Connection[tuple[Any, ...]]]":
    """An autocommit connection as `channel`; a driver's error leaves as DatabaseUnavailable."""
    import psycopg

    from ptsa_tui.error_text import database_line

    conn_made = False
    try:
        with psycopg.connect(
            url,
            autocommit=True,
            connect_timeout=5,
            application_name=f"ptsa-{channel}",
            options=session_options(channel),
        ) as conn:
            conn_made = True
            yield conn
    except psycopg.errors.DataError:
        raise  # a value out of range is the caller's input, not the database's state
    except psycopg.OperationalError as error:
        if conn_made:
            raise DatabaseUnavailable(database_line(error)) from None
        raise DatabaseUnavailable(
            f"database unreachable ({masked(url)}): {database_line(error)}"
        ) from None
    except psycopg.Error as error:
        raise DatabaseUnavailable(database_line(error)) from None


def at_head(conn: "psycopg.Connection[tuple[Any, ...]]") -> bool:
    """Whether the schema is at the revision this code expects (False on an empty database)."""
    import psycopg

    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except psycopg.errors.UndefinedTable:
        return False
    return row is not None and row[0] == HEAD


def list_tasks(
    conn: "psycopg.Connection[tuple[Any, ...]]",
    *,
    unit: str | None = None,
    state: TaskState = "open",
    limit: int = 500,
) -> list[TaskRow]:
    """Tasks in `state`, most urgent first (done: most recent first), of one unit or all."""
    unit_id = None
    if unit is not None:
        row = conn.execute("SELECT id FROM unit WHERE code = %s", (unit,)).fetchone()
        if row is None:
            raise NotFound("no unit {unit!r}", unit=unit)
        unit_id = row[0]
    sql = list_tasks_sql(state, by_unit=unit_id is not None)
    return task_rows(conn.execute(sql, {"unit": unit_id, "limit": limit}))


def task_id_for(conn: "psycopg.Connection[tuple[Any, ...]]", ref: str) -> int:
    """A REF is a numeric task id, or a tracking number meaning that request's open task."""
    parsed = parse_ref(ref)
    if isinstance(parsed, int):
        return parsed
    row = conn.execute(
        "SELECT r.id, t.id FROM request r"
        " LEFT JOIN task t ON t.request_id = r.id AND t.closed_at IS NULL"
        " WHERE r.tracking_no = %s",
        (parsed,),
    ).fetchone()
    if row is None:
        raise NotFound("no request {request}", request=quoted(parsed))
    if row[1] is None:
        raise NotFound("{request} has no open task", request=parsed)
    return int(row[1])


def claim(
    conn: "psycopg.Connection[tuple[Any, ...]]",
    *,
    ref: str,
    by: str,
    now: datetime,
    zone: tzinfo,
) -> "Claim":
    """The task REF names, claimed for `by` (claims.claim_on), or the reason it was not."""
    from ptsa_tui.store.claims import claim_on

    return claim_on(conn, task_id=task_id_for(conn, ref), by=by, now=now, zone=zone)
