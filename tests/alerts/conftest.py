"""Fixtures of the alert tests: servers on loopback, settings pointing at them, a daemon."""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import Engine

from ptsa_tui.alerts.daemon import Daemon
from ptsa_tui.config import Settings, SmsSettings, SmtpSettings
from ptsa_tui.store.daemon_api import DaemonStore
from tests.alerts.servers import SmsGateway, SmtpServer, sms_gateway, smtp_server


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with smtp_server() as server:
        yield server


@pytest.fixture
def gateway() -> Iterator[SmsGateway]:
    with sms_gateway() as running:
        yield running


@pytest.fixture
def alert_settings(settings: Settings, smtp: SmtpServer, gateway: SmsGateway) -> Settings:
    return settings.model_copy(
        update={
            "smtp": SmtpSettings(host="127.0.0.1", port=smtp.port, security="none", timeout=5),
            "sms": SmsSettings(backend="http", url=gateway.url, method="get"),
        }
    )


@pytest.fixture
def make_daemon(engine: Engine, alert_settings: Settings) -> Iterator[Callable[..., Daemon]]:
    made: list[Daemon] = []

    def make(settings: Settings | None = None, **options: Any) -> Daemon:
        chosen = settings or alert_settings
        daemon = Daemon(DaemonStore(engine, chosen), chosen, **options)
        made.append(daemon)
        return daemon

    yield make
    for daemon in made:
        daemon.close()
