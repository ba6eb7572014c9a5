"""The alert daemon on the embedded default keeps its server: a plain `kill` of the postmaster,
which waits for every session to end, finds the daemon letting go and starting it again."""

import signal
import subprocess
from pathlib import Path

import psutil

from ptsa_tui.store.embedded import server_status
from tests.alerts.processes import write_config
from tests.embedded_home import (
    PTSA,
    exited,
    home_environment,
    postmaster_pid,
    ptsa_in,
    wait_for,
)


def test_the_daemon_lets_go_of_a_stopping_server_and_starts_it_again(
    own_home: Path, tmp_path: Path
) -> None:
    assert ptsa_in(own_home, "db", "upgrade").returncode == 0
    config = write_config(tmp_path, smtp_port=1)  # nothing is due, so nothing is sent
    log = tmp_path / "daemon.log"
    with log.open("wb") as out:
        daemon = subprocess.Popen(
            [*PTSA, "alerts", "run"],
            env=home_environment(own_home, PTSA_CONFIG=str(config)),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for(lambda: _healthy(own_home) or daemon.poll() is not None)
        assert daemon.poll() is None, log.read_text()
        first = postmaster_pid(own_home)

        psutil.Process(first).terminate()  # smart shutdown: waits for the daemon's sessions

        # only the pid file is read meanwhile: a command would start the server itself
        wait_for(lambda: server_status(own_home) == "ready" and postmaster_pid(own_home) != first)
        assert exited(first)
        wait_for(lambda: _healthy(own_home))  # and it beats on the new server
        assert daemon.poll() is None, log.read_text()
    finally:
        daemon.send_signal(signal.SIGTERM)
        daemon.wait(30)
    assert "Traceback" not in log.read_text()


def _healthy(home: Path) -> bool:
    """`ptsa alerts status`: a leader's heartbeat is fresh."""
    return ptsa_in(home, "alerts", "status").returncode == 0
