"""`ptsa alerts`: the alert daemon and its health."""

import typer

from ptsa_tui.alerts import KEEP_EMBEDDED
from ptsa_tui.cli.runtime import Runtime

app = typer.Typer(
    no_args_is_help=True,
    help="The alert daemon: claim deadlines watched, supervisors warned by email and SMS.",
)


@app.command("run")
def run(
    ctx: typer.Context,
    once: bool = typer.Option(False, "--once", help="Run one pass and exit (for cron)."),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Log what would be sent; send and record nothing."
    ),
) -> None:
    """Watch claim deadlines and warn supervisors; runs until SIGTERM or SIGINT."""
    from zoneinfo import ZoneInfo

    from ptsa_tui.alerts import logs
    from ptsa_tui.alerts.checks import check
    from ptsa_tui.alerts.service import run_daemon
    from ptsa_tui.store.daemon_api import DaemonStore

    runtime: Runtime = ctx.obj
    runtime.channel = "daemon"
    check(runtime.settings)  # before touching the database
    engine = runtime.engine  # reachable and migrated, or one clear line
    if not (once or dry_run):
        _exec_lean_daemon(runtime.url, keep_embedded=runtime.keeper is not None)
    logs.setup(zone=ZoneInfo(runtime.settings.office.timezone))
    store = DaemonStore(engine, runtime.settings, None if once else runtime.keeper)
    raise typer.Exit(run_daemon(store, runtime.settings, once=once, dry_run=dry_run))


def _exec_lean_daemon(url: str, *, keep_embedded: bool) -> None:
    """Replace this process (same pid, for systemd) with `python -m ptsa_tui.alerts`, told
    whether the server is the embedded one of $PTSA_HOME, to keep running."""
    import os
    import sys

    os.environ["PTSA_DATABASE_URL"] = url  # the runtime role's (the embedded server's too)
    os.environ["PTSA_DATABASE_OWNER_URL"] = ""  # the daemon never migrates; beats a ptsa.toml
    sys.stdout.flush()
    sys.stderr.flush()
    command = [sys.executable, "-m", "ptsa_tui.alerts"]
    os.execv(sys.executable, [*command, KEEP_EMBEDDED] if keep_embedded else command)


@app.command("status")
def status(
    ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="Print JSON.")
) -> None:
    """Show the daemons' heartbeats; exit 0 when a leader is alive, 1 when stale or absent."""
    from ptsa_tui.alerts.status import judge
    from ptsa_tui.cli.output import Clockface, print_json
    from ptsa_tui.store import heartbeat
    from ptsa_tui.store.timeutil import utc_now

    runtime: Runtime = ctx.obj
    health = judge(heartbeat.read(runtime.engine), utc_now())
    clock = Clockface(runtime.settings.office.timezone)
    if as_json:
        print_json(
            {"healthy": health.healthy, "reason": health.reason, "daemons": health.daemons},
            clock,
        )
    else:
        typer.echo(f"{'healthy' if health.healthy else 'UNHEALTHY'}: {health.reason}")
        for d in health.daemons:
            typer.echo(
                f"  {d['daemon']:<28} {d['role']:<8} beat {clock.short(d['beat_at'])}"
                f"  last scan {clock.short(d['last_scan_at'])}"
                f"  pending {d['pending']}  failed {d['failed']}"
                + ("  STALE" if d["stale"] else "")
            )
    raise typer.Exit(0 if health.healthy else 1)
