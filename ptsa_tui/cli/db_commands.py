"""`ptsa db`: the schema and where the database is."""

import typer

from ptsa_tui.cli.runtime import Runtime

app = typer.Typer(
    no_args_is_help=True, help="The database: migrate it, or show which one is in use."
)


@app.command("upgrade")
def upgrade(ctx: typer.Context) -> None:
    """Apply the schema migrations (safe to run again and again)."""
    from ptsa_tui.store.migrate import HEAD, upgrade

    runtime: Runtime = ctx.obj
    upgrade(runtime.raw_engine)
    typer.echo(f"database at revision {HEAD}")


@app.command("url")
def url(ctx: typer.Context) -> None:
    """Print the database URL in use (the embedded server's unless PTSA_DATABASE_URL is set)."""
    runtime: Runtime = ctx.obj
    typer.echo(runtime.url)
