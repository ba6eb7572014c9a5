"""Commands whose work arrives in later releases; they say so instead of failing obscurely."""

import typer

report_app = typer.Typer(no_args_is_help=True, help="Reports (not yet available).")


def _not_yet(what: str) -> None:
    typer.echo(f"ptsa: {what} is not yet available in this release", err=True)
    raise typer.Exit(1)


@report_app.command("kpi")
def report_kpi() -> None:
    """SOP service-time KPIs per unit (not yet available)."""
    _not_yet("the KPI report")
