"""The Alembic migrations: from nothing to HEAD, idempotent, equal to the models, reversible."""

import itertools
import os
from collections.abc import Iterator

import psycopg
import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import DBAPIError
from sqlmodel import SQLModel

import ptsa_tui.store.models  # noqa: F401  (the tables on the metadata)
from ptsa_tui.store import migrate
from ptsa_tui.store.database import make_engine
from tests.conftest import drop_database, with_database

_names = itertools.count()
TABLES = {
    "alert",
    "alert_attempt",
    "alert_heartbeat",
    "calendar_override",
    "customer",
    "chain_head",
    "event",
    "login_key",
    "lookup_miss",
    "message",
    "notice",
    "notice_attempt",
    "officer",
} | {
    "presence",
    "request",
    "request_pause",
    "service",
    "survey",
    "task",
    "tracking_counter",
    "unit",
}


@pytest.fixture
def empty_engine(server_url: str) -> Iterator[Engine]:
    """A brand-new database made with a plain CREATE DATABASE: no template, no schema."""
    name = f"ptsa_empty_{os.getpid()}_{next(_names)}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    engine = make_engine(with_database(server_url, name))
    yield engine
    engine.dispose()
    drop_database(server_url, name)


def tables(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        return set(inspect(conn).get_table_names())


def schema_diff(engine: Engine) -> list[object]:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return list(compare_metadata(context, SQLModel.metadata))


def downgrade_to_base(engine: Engine) -> None:
    config = migrate.alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "base")


def test_head_constant_is_alembics_head() -> None:
    script = ScriptDirectory.from_config(migrate.alembic_config())
    assert script.get_heads() == [migrate.HEAD]


def test_upgrade_from_empty_reaches_head(empty_engine: Engine) -> None:
    assert tables(empty_engine) == set()
    assert migrate.current_revision(empty_engine) is None
    migrate.upgrade(empty_engine)
    assert migrate.current_revision(empty_engine) == migrate.HEAD
    with empty_engine.connect() as conn:
        assert conn.scalar(text("SELECT version_num FROM alembic_version")) == migrate.HEAD
        assert conn.scalar(text("SELECT nextval('tracking_no_seq')")) == 1
    assert tables(empty_engine) == TABLES | {"alembic_version"}


def test_upgrade_twice_is_a_no_op(empty_engine: Engine) -> None:
    migrate.upgrade(empty_engine)
    with empty_engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO calendar_override (day, closed, note) VALUES ('2026-12-31', true, '')"
            )
        )
    migrate.upgrade(empty_engine)
    migrate.ensure_schema(empty_engine)
    with empty_engine.connect() as conn:
        versions = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
        assert versions == [migrate.HEAD]
        assert conn.scalar(text("SELECT count(*) FROM calendar_override")) == 1


def test_ensure_schema_migrates_an_empty_database(empty_engine: Engine) -> None:
    migrate.ensure_schema(empty_engine)
    assert migrate.current_revision(empty_engine) == migrate.HEAD


def test_schema_matches_the_models(empty_engine: Engine) -> None:
    migrate.upgrade(empty_engine)
    assert schema_diff(empty_engine) == []
    # The comparison does see drift: an index gone missing and a stray column.
    with empty_engine.begin() as conn:
        conn.execute(text("DROP INDEX task_request"))
        conn.execute(text("ALTER TABLE request ADD COLUMN stray text"))
    kinds = {diff[0] for diff in schema_diff(empty_engine) if isinstance(diff, tuple)}
    assert kinds == {"add_index", "remove_column"}


def test_downgrade_to_base_then_upgrade_again(empty_engine: Engine) -> None:
    migrate.upgrade(empty_engine)
    downgrade_to_base(empty_engine)
    assert tables(empty_engine) <= {"alembic_version"}
    assert migrate.current_revision(empty_engine) is None
    with empty_engine.connect() as conn:
        leftovers = conn.execute(
            text(
                "SELECT proname FROM pg_proc WHERE proname = 'event_refuse_change'"
                " UNION ALL SELECT relname FROM pg_class WHERE relname = 'tracking_no_seq'"
            )
        ).all()
    assert leftovers == []
    migrate.upgrade(empty_engine)
    assert migrate.current_revision(empty_engine) == migrate.HEAD
    assert tables(empty_engine) == TABLES | {"alembic_version"}
    assert schema_diff(empty_engine) == []
    # The append-only trigger came back with the table.
    with empty_engine.begin() as conn:
        conn.execute(text("INSERT INTO event (at, kind) VALUES (now(), 'probe')"))
    with pytest.raises(DBAPIError, match="append-only"), empty_engine.begin() as conn:
        conn.execute(text("DELETE FROM event"))


def test_0004_goes_down_with_its_notify_functions(empty_engine: Engine) -> None:
    migrate.upgrade(empty_engine)
    config = migrate.alembic_config()
    with empty_engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0003")
    with empty_engine.connect() as conn:
        left = conn.execute(
            text(
                "SELECT proname FROM pg_proc"
                " WHERE proname LIKE '%notify' AND pronamespace = 'public'::regnamespace"
            )
        )
        assert left.all() == []
    migrate.upgrade(empty_engine)
    assert migrate.current_revision(empty_engine) == migrate.HEAD
