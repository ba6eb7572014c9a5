"""`ptsa officer activate|deactivate`: a supervisor opens or closes an officer's account."""

import typer

from ptsa_tui.cli.org_commands import officer_app  # it holds `passwd`; these join it
from ptsa_tui.cli.output import safe, say
from ptsa_tui.cli.runtime import Runtime

USER = typer.Argument(..., metavar="USER", help="The officer's username.")
__all__ = ["officer_app"]

BY = typer.Option(..., "--by", help="Username of a supervisor of the officer's unit.")


@officer_app.command("activate")
def activate(ctx: typer.Context, user: str = USER, by: str = BY) -> None:
    """Let an officer log in and act again."""
    from ptsa_tui.store.officer_admin import set_active

    runtime: Runtime = ctx.obj
    set_active(runtime.workflow, username=user, active=True, by=by)
    say(f"officer {safe(user)} is active")


@officer_app.command("deactivate")
def deactivate(
    ctx: typer.Context,
    user: str = USER,
    by: str = BY,
    reason: str | None = typer.Option(
        None, help="Why; the released tasks carry it (default: the officer was deactivated)."
    ),
) -> None:
    """Stop an officer from acting; their claims go back to their queues with fresh clocks."""
    from ptsa_tui.store.officer_admin import set_active

    runtime: Runtime = ctx.obj
    changed = set_active(runtime.workflow, username=user, active=False, by=by, reason=reason)
    released = ", ".join(str(t) for t in changed.released) or "none"
    say(f"officer {safe(user)} is inactive; claims given back: {released}")
