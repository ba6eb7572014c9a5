"""The embedded server: shared by local processes, outlives them, starts again by itself."""

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psutil
import psycopg
import pytest

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

    url = _ptsa(home, "db", "url")
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
