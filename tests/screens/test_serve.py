"""`ptsa serve` answers HTTP on a loopback port with the desk app's page."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str, timeout: float = 30.0) -> str:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return str(response.read().decode())
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)  # the server is starting; poll again


def test_serve_answers_http_with_the_app_page(db_url: str, tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "PTSA_DATABASE_URL": db_url, "PTSA_HOME": str(tmp_path)}
    command = [sys.executable, "-m", "ptsa_tui", "serve", "--host", "127.0.0.1"]
    with subprocess.Popen(
        [*command, "--port", str(port)],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as server:
        try:
            page = fetch(f"http://127.0.0.1:{port}/")
        finally:
            server.terminate()
            server.communicate(timeout=10)
    # textual-serve's page: a terminal in the browser, wired to this server's app socket.
    assert f'data-session-websocket-url="ws://127.0.0.1:{port}/ws"' in page
    assert "xterm" in page


def test_ctrl_c_on_the_embedded_server_says_nothing_of_other_processes(own_home: Path) -> None:
    """Seen before: Ctrl+C logged `INFO exiting … remaining pids=[…]`, the other desks' pids
    (the embedded wheel's own log line)."""
    from tests.embedded_home import home_environment

    port = free_port()
    command = [sys.executable, "-m", "ptsa_tui", "serve", "--host", "127.0.0.1"]
    with subprocess.Popen(
        [*command, "--port", str(port)],
        env=home_environment(own_home),
        cwd=own_home.parent,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    ) as server:
        try:
            fetch(f"http://127.0.0.1:{port}/", timeout=120)
        finally:
            server.send_signal(signal.SIGINT)
            said, _ = server.communicate(timeout=30)
    assert "serving the desk app" in said
    assert "pids" not in said and "Traceback" not in said, said


def test_serve_kiosk_serves_the_kiosk_rather_than_the_desk(db_url: str, tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "PTSA_DATABASE_URL": db_url, "PTSA_HOME": str(tmp_path)}
    command = [sys.executable, "-m", "ptsa_tui", "serve", "--kiosk", "--host", "127.0.0.1"]
    with subprocess.Popen(
        [*command, "--port", str(port)],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as server:
        try:
            page = fetch(f"http://127.0.0.1:{port}/")
        finally:
            server.terminate()
            said, _ = server.communicate(timeout=10)
    assert "xterm" in page
    assert "serving the kiosk" in said
