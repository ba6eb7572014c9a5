"""The runtime role every desk, daemon and command connects as cannot change what happened."""

import secrets
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from sqlalchemy.engine import make_url

from ptsa_tui.store.database import make_engine
from ptsa_tui.store.grants import role_sql
from ptsa_tui.store.migrate import upgrade
from tests.conftest import drop_database, with_database
from tests.store.helpers import register

pytestmark = pytest.mark.usefixtures("org")


@pytest.fixture
def runtime(db_url: str, workflow: Any) -> Iterator[psycopg.Connection[Any]]:
    register(workflow)  # an event, a request and a task to try to change
    with psycopg.connect(db_url, autocommit=True) as conn:
        yield conn


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE event SET details = '{}'",
        "DELETE FROM event",
        "TRUNCATE event",
        "SET session_replication_role = replica",
        "ALTER TABLE event DISABLE TRIGGER event_append_only",
        "ALTER TABLE event DISABLE TRIGGER USER",
        "DROP TRIGGER event_chain ON event",
        "DELETE FROM request",
        "DELETE FROM task",
        "UPDATE chain_head SET seq = 0",
        "DELETE FROM chain_head",
        "CREATE TABLE mine (x int)",
    ],
)
def test_the_runtime_role_is_refused(runtime: psycopg.Connection[Any], statement: str) -> None:
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        runtime.execute(statement)
    assert runtime.execute("SELECT count(*) FROM event").fetchone() != (0,)


def test_the_runtime_role_is_no_superuser_and_owns_nothing(
    runtime: psycopg.Connection[Any],
) -> None:
    flags = runtime.execute(
        "SELECT rolsuper, rolcreaterole, rolcreatedb, rolbypassrls, rolreplication"
        " FROM pg_roles WHERE rolname = current_user"
    ).fetchone()
    assert flags == (False, False, False, False, False)
    owned = runtime.execute(
        "SELECT count(*) FROM pg_class WHERE relowner = (SELECT oid FROM pg_roles"
        " WHERE rolname = current_user)"
    ).fetchone()
    assert owned == (0,)
    rights = runtime.execute(
        "SELECT privilege_type FROM information_schema.role_table_grants"
        " WHERE table_name = 'event' AND grantee = current_user ORDER BY 1"
    ).fetchall()
    assert rights == [("INSERT",), ("SELECT",)]


def test_db_roles_sql_makes_working_roles(server_url: str) -> None:
    suffix = secrets.token_hex(4)
    owner, runtime, database = f"own_{suffix}", f"app_{suffix}", f"ptsa_roles_{suffix}"
    statements = role_sql(
        owner=owner, owner_password="o-pw-1", runtime=runtime, runtime_password="r-pw-2",
        database=database,
    )  # fmt: skip
    with psycopg.connect(server_url, autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement.encode())
    try:
        base = with_database(server_url, database)
        owner_url = make_url(base).set(username=owner, password="o-pw-1")
        engine = make_engine(owner_url.render_as_string(hide_password=False))
        upgrade(engine, runtime_role=runtime)
        engine.dispose()
        runtime_url = make_url(base).set(username=runtime, password="r-pw-2")
        with psycopg.connect(runtime_url.render_as_string(hide_password=False)) as conn:
            conn.execute("INSERT INTO event (kind, at) VALUES ('probe', now())")
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute("DELETE FROM event")
    finally:
        drop_database(server_url, database)
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(f'DROP ROLE IF EXISTS "{runtime}"')
            conn.execute(f'DROP ROLE IF EXISTS "{owner}"')
