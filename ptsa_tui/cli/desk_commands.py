"""`ptsa desk` (the desk app in this terminal) and `ptsa serve` (the same app in a browser)."""

import shlex
import sys

import typer

from ptsa_tui.cli.runtime import Runtime


def run_desk(runtime: Runtime) -> None:
    """The desk app on the configured database, from its login screen."""
    from ptsa_tui.screens.app import DeskApp
    from ptsa_tui.store.api import DeskStore

    engine = runtime.engine_for("desk")
    store = DeskStore(
        engine=engine, settings=runtime.settings, url=runtime.url, keeper=runtime.keeper
    )
    app = DeskApp(store=store)
    app.run()


def desk(ctx: typer.Context) -> None:
    """The desk app for desk officers: log in, then your position's live inbox."""
    run_desk(ctx.obj)


def serve(
    ctx: typer.Context,
    port: int = typer.Option(8000, min=1, max=65535, help="Port to listen on."),
    host: str = typer.Option("localhost", help="Address to listen on."),
) -> None:
    """The desk app in a browser (textual-serve): each browser tab runs its own `ptsa desk`.
    The page needs nothing from the internet: its font comes from this server."""
    import tempfile
    from pathlib import Path

    from textual_serve.server import Server

    from ptsa_tui.cli.serve_page import write_offline_templates

    runtime: Runtime = ctx.obj
    runtime.engine  # migrate and check the database once, before any browser connects  # noqa: B018
    command = f"{shlex.quote(sys.executable)} -m ptsa_tui desk"
    with tempfile.TemporaryDirectory(prefix="ptsa-serve-") as pages:
        templates = write_offline_templates(Path(pages))
        typer.echo(f"ptsa: serving the desk app on http://{host}:{port}/ (ctrl+c stops)")
        Server(command, host=host, port=port, title="PTSA", templates_path=templates).serve()
