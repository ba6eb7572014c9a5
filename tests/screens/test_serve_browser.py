"""`ptsa serve` on an intranet, in a real headless browser (Debian's Chromium): the page loads
with no request leaving loopback, its font comes from the server, and an officer logs in.

Seen before: the page loaded Roboto Mono from fonts.googleapis.com, which an office intranet
does not reach."""

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import Engine, text

from tests.embedded_home import wait_for
from tests.screens.conftest import PASSWORD
from tests.screens.test_serve import fetch, free_port

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# As this machine's notes advise: without the background-networking flags Chromium keeps
# trying Google's hosts, which would count as requests leaving loopback.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def served(db_url: str, tmp_path: Path) -> Iterator[str]:
    port = free_port()
    env = {**os.environ, "PTSA_DATABASE_URL": db_url, "PTSA_HOME": str(tmp_path)}
    command = [sys.executable, "-m", "ptsa_tui", "serve", "--host", "127.0.0.1"]
    log = (tmp_path / "serve.log").open("wb")
    with subprocess.Popen(
        [*command, "--port", str(port)], env=env, cwd=tmp_path, stdout=log, stderr=log
    ) as server:
        try:
            url = f"http://127.0.0.1:{port}/"
            fetch(url)
            yield url
        finally:
            server.terminate()
            server.wait(10)
            log.close()


def test_the_page_needs_nothing_beyond_the_server_and_a_login_works(
    desks: None, served: str, engine: Engine
) -> None:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing: scripts/setup.sh test installs Debian's")
        pytest.skip("no Chromium here (scripts/setup.sh test installs Debian's as root)")
    from playwright.sync_api import Route, sync_playwright

    server = urlsplit(served).netloc
    asked: list[str] = []
    elsewhere: list[str] = []

    def only_loopback(route: Route) -> None:
        asked.append(route.request.url)
        if urlsplit(route.request.url).netloc == server:
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            page = browser.new_page()
            page.route("**/*", only_loopback)
            page.goto(served)
            page.wait_for_selector("body.-first-byte", timeout=60_000)  # the app is drawing
            assert page.evaluate("document.fonts.check('15px \"Roboto Mono\"')")
            page.click(".textual-terminal")
            page.keyboard.type("p0")
            page.keyboard.press("Tab")
            page.keyboard.type(PASSWORD)
            page.keyboard.press("Enter")
            wait_for(lambda: _logins(engine) > 0, timeout=60)
        finally:
            browser.close()
    assert elsewhere == []
    assert any("/static/fonts/RobotoMono" in url for url in asked), asked


def _logins(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.scalar(text("SELECT count(*) FROM event WHERE kind = 'login'")) or 0)
