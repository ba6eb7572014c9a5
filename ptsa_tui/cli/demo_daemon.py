"""`ptsa demo`'s alert daemon: `ptsa alerts run` beside the desk, so alerts and the customers'
notices go out while the demo is used. Without an SMS backend configured, its SMS go to a
file in the demo's home (`ptsa_tui.alerts.demo_sms`) rather than nowhere."""

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ptsa_tui.config import Settings

SMS_FILE = "demo-sms.txt"
LOG_FILE = "demo-daemon.log"


def daemon_environment(settings: Settings, home: Path) -> dict[str, str]:
    env = dict(os.environ)
    if settings.sms.backend == "none":
        sink = [sys.executable, "-m", "ptsa_tui.alerts.demo_sms", str(home / SMS_FILE)]
        env["PTSA_SMS__BACKEND"] = "command"
        env["PTSA_SMS__COMMAND"] = json.dumps(sink)
    return env


@contextmanager
def background_daemon(settings: Settings) -> Iterator[subprocess.Popen[bytes]]:
    """The daemon runs until the block ends; its log is in the demo's home."""
    home = settings.home
    home.mkdir(parents=True, exist_ok=True)
    with (home / LOG_FILE).open("ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "ptsa_tui", "alerts", "run"],
            env=daemon_environment(settings, home),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        yield process
    finally:
        process.terminate()  # SIGTERM: it ends its send and removes its heartbeat
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
