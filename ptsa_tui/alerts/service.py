"""`ptsa alerts run`: the daemon's life: start, tick until SIGTERM or SIGINT, stop cleanly."""

import signal
import threading
from collections.abc import Callable
from types import FrameType

from ptsa_tui.alerts import logs
from ptsa_tui.alerts.daemon import Daemon
from ptsa_tui.alerts.ticker import Ticker, guarded
from ptsa_tui.config import ConfigError, Settings
from ptsa_tui.error_text import error_line
from ptsa_tui.store.daemon_api import DaemonStore


def run_daemon(store: DaemonStore, settings: Settings, *, once: bool, dry_run: bool) -> int:
    """Returns the exit code: 0, or 1 when a --once pass failed."""
    log = logs.get()
    daemon = Daemon(store, settings, dry_run=dry_run, once=once)
    try:
        daemon.outbox.check_routing()
    except LookupError as error:
        raise ConfigError(f"config {error}") from None
    log.info(
        "starting daemon=%s interval=%ss email=%s:%d/%s sms=%s%s",
        daemon.name,
        settings.alerts.interval.total_seconds(),
        settings.smtp.host,
        settings.smtp.port,
        settings.smtp.security,
        settings.sms.backend,
        " dry-run" if dry_run else "",
    )
    if once:
        return _once(daemon)

    def one_pass() -> None:
        guarded("scan", daemon.step)()
        guarded("heartbeat", daemon.beat)()

    ticker = Ticker(
        settings.alerts.interval.total_seconds(),
        one_pass,
        wake_in=daemon.seconds_to_next_deadline,
    )
    # from the start: a standby keeps the rules, and the embedded server, too; a customer
    # notice raised wakes the pass at once
    store.watch(on_notice=ticker.poke)

    if daemon.inbox is not None:  # STATUS replies wait for no scan: the inbox is read often
        every = settings.sms.inbox_every.total_seconds()
        reading = guarded("inbox", daemon.answer_inbox)
        threading.Thread(
            target=lambda: _every(every, reading, daemon.stopping), name="ptsa-inbox", daemon=True
        ).start()

    def stop(signum: int, _frame: FrameType | None) -> None:
        log.info("stopping on %s", signal.Signals(signum).name)
        daemon.stopping.set()
        ticker.stop()

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        ticker.run()
    finally:
        try:
            daemon.close()  # a second Ctrl+C meanwhile must not cut off the heartbeat's removal
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        log.info("stopped daemon=%s", daemon.name)
    return 0


def _every(seconds: float, job: Callable[[], None], stopping: threading.Event) -> None:
    while not stopping.wait(seconds):
        job()


def _once(daemon: Daemon) -> int:
    """One pass. Its heartbeat row is the host's `:once` row, kept so status can tell cron's
    passes run; a pass that stood by writes none, as another daemon did the work."""
    try:
        result = daemon.step()
    except Exception as error:
        logs.get().error("scan failed: %s", error_line(error))
        daemon.close(forget=False)  # the last good pass's row stays, and goes stale
        return 1
    if result.leader:
        guarded("heartbeat", daemon.beat)()
    logs.get().info(
        "pass done leader=%s raised=%d sent=%d failed=%d%s",
        result.leader,
        result.raised,
        result.sent,
        result.failed,
        f" would_send={result.would_send}" if daemon.dry_run else "",
    )
    daemon.close(forget=False)
    return 0
