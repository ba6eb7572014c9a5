"""Commands whose work arrives in later releases; they say so instead of failing obscurely."""

import typer

alerts_app = typer.Typer(no_args_is_help=True, help="The alert daemon (not yet available).")
report_app = typer.Typer(no_args_is_help=True, help="Reports (not yet available).")


def _not_yet(what: str) -> None:
    typer.echo(f"ptsa: {what} is not yet available in this release", err=True)
    raise typer.Exit(1)


def desk() -> None:
    """The desk app for desk officers (not yet available)."""
    _not_yet("the desk app")


def serve(port: int = typer.Option(8000, help="Port to listen on.")) -> None:
    """The desk app in a browser (not yet available)."""
    _not_yet("ptsa serve")


@alerts_app.command("run")
def alerts_run(
    once: bool = typer.Option(False, help="Run one pass and exit."),
    dry_run: bool = typer.Option(False, help="Log what would be sent, send nothing."),
) -> None:
    """Watch claim deadlines and warn supervisors (not yet available)."""
    _not_yet("the alert daemon")


@alerts_app.command("status")
def alerts_status(json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Show the alert daemon's heartbeat (not yet available)."""
    _not_yet("alerts status")


@report_app.command("kpi")
def report_kpi() -> None:
    """SOP service-time KPIs per unit (not yet available)."""
    _not_yet("the KPI report")
