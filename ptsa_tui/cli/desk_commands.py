"""`ptsa desk` (the desk app in this terminal), `ptsa kiosk` (the customers' app) and `ptsa
serve` (either in a browser)."""

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


def kiosk(
    ctx: typer.Context,
    name: str = typer.Option(
        "", help="This kiosk's name, for counting its wrong tries apart (default: the host)."
    ),
) -> None:
    """The customer-facing kiosk: a request's status, and its satisfaction survey. No login."""
    import socket

    from ptsa_tui.screens.kiosk.app import KioskApp
    from ptsa_tui.store.kiosk_api import KioskStore

    runtime: Runtime = ctx.obj
    store = KioskStore(
        engine=runtime.engine_for("kiosk"),
        settings=runtime.settings,
        kiosk=name or socket.gethostname(),
    )
    KioskApp(store).run()


def serve(
    ctx: typer.Context,
    port: int = typer.Option(8000, min=1, max=65535, help="Port to listen on."),
    host: str = typer.Option("localhost", help="Address to listen on."),
    kiosk: bool = typer.Option(False, "--kiosk", help="Serve the customers' kiosk instead."),
) -> None:
    """The desk app in a browser (textual-serve): each browser tab runs its own `ptsa desk`
    (with --kiosk, its own `ptsa kiosk`). The page needs nothing from the internet: its font
    comes from this server."""
    import tempfile
    from pathlib import Path

    from textual_serve.server import Server

    from ptsa_tui.cli.serve_page import write_offline_templates

    runtime: Runtime = ctx.obj
    runtime.engine  # migrate and check the database once, before any browser connects  # noqa: B018
    command = f"{shlex.quote(sys.executable)} -m ptsa_tui {'kiosk' if kiosk else 'desk'}"
    with tempfile.TemporaryDirectory(prefix="ptsa-serve-") as pages:
        templates = write_offline_templates(Path(pages))
        what = "the kiosk" if kiosk else "the desk app"
        typer.echo(f"ptsa: serving {what} on http://{host}:{port}/ (ctrl+c stops)")
        Server(command, host=host, port=port, title="PTSA", templates_path=templates).serve()
