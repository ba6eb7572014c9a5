"""The long-running daemon's own lean process: `ptsa alerts run` execs into it after its checks.

The command line (Typer, Click and every command module) stays behind, which keeps the idle
daemon's resident memory down; the settings are read again from the same environment.
"""

import sys


def main() -> int:
    from zoneinfo import ZoneInfo

    from ptsa_tui.alerts import KEEP_EMBEDDED, logs
    from ptsa_tui.alerts.checks import check
    from ptsa_tui.alerts.service import run_daemon
    from ptsa_tui.config import ConfigError, load_settings
    from ptsa_tui.store.daemon_api import DaemonStore
    from ptsa_tui.store.errors import PtsaError

    try:
        settings = load_settings()
        check(settings)
        if not settings.database_url:
            raise ConfigError("PTSA_DATABASE_URL: set by `ptsa alerts run`, which starts this")
        logs.setup(zone=ZoneInfo(settings.office.timezone))
        keeper = None
        if KEEP_EMBEDDED in sys.argv[1:]:
            from ptsa_tui.store.embedded_keeper import EmbeddedKeeper

            keeper = EmbeddedKeeper(settings.home)
        store = DaemonStore.connect(settings.database_url, settings, keeper)
    except ConfigError as error:
        print(f"ptsa: {error}", file=sys.stderr)
        return 2
    except PtsaError as error:
        print(f"ptsa: {error}", file=sys.stderr)
        return error.exit_code
    try:
        return run_daemon(store, settings, once=False, dry_run=False)
    except ConfigError as error:
        print(f"ptsa: {error}", file=sys.stderr)
        return 2
    finally:
        store.close()


if __name__ == "__main__":
    sys.exit(main())
