"""A ptsa home of the test's own, on its own embedded server: for the tests of that server."""

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import psutil

PTSA = [sys.executable, "-m", "ptsa_tui"]


def home_environment(home: Path, **extra: str) -> dict[str, str]:
    """This machine's environment without any PTSA_ setting, on `home`'s embedded server."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PTSA_")}
    env.update(PTSA_HOME=str(home), **extra)
    return env


def ptsa_in(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*PTSA, *args], env=home_environment(home), capture_output=True, text=True, timeout=120
    )


def postmaster_pid(home: Path) -> int:
    return int((home / "pgdata" / "postmaster.pid").read_text().splitlines()[0])


def stop_server(home: Path) -> None:
    pid_file = home / "pgdata" / "postmaster.pid"
    if pid_file.exists() and psutil.pid_exists(postmaster_pid(home)):
        process = psutil.Process(postmaster_pid(home))
        process.terminate()  # SIGTERM: PostgreSQL's "smart" shutdown
        process.wait(30)


def wait_for(condition: Callable[[], object], timeout: float = 60.0) -> None:
    """Poll until `condition()` holds: an event we wait for, not a deadline."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {condition}")
        time.sleep(0.05)


def exited(pid: int) -> bool:
    """The process is gone, or a zombie its parent has not reaped yet (in a container, maybe
    never)."""
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True
