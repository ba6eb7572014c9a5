"""`ptsa audit`: check the events' hash chains, and print the anchor that pins them."""

import sys

import typer

from ptsa_tui.cli.runtime import Runtime

BROKEN = 3  # the trail conflicts with its own hashes, or with the anchor

app = typer.Typer(
    no_args_is_help=True,
    help="The audit trail: every event is hash-chained per request, in the database.",
)


@app.command("verify")
def verify(
    ctx: typer.Context,
    anchor: str | None = typer.Option(
        None,
        "--anchor",
        metavar="DIGEST",
        help="An earlier `ptsa audit anchor`: also prove no event it covered was changed or removed.",
    ),
) -> None:
    """Recompute every event's hash and link; name each break. Exit 3 when one is found."""
    from ptsa_tui.store import audit_chain
    from ptsa_tui.store.errors import InvalidInput

    if anchor is not None and audit_chain.ANCHOR_FORMAT.match(anchor.strip()) is None:
        raise InvalidInput(f"--anchor: not an anchor: {anchor[:80]!r} (expected ptsa1-ID-HEX)")
    runtime: Runtime = ctx.obj
    if sys.stderr.isatty():
        typer.echo("ptsa: checking the audit chains…", err=True)
    breaks = audit_chain.verify(runtime.engine)
    for found in breaks:
        typer.echo(f"broken: {found.line()}")
    anchored = anchor is None or audit_chain.matches_anchor(runtime.engine, anchor)
    if not anchored:
        typer.echo("broken: the events the anchor covered no longer give its digest")
    if breaks or not anchored:
        raise typer.Exit(BROKEN)
    typer.echo("audit trail intact" + (" and matches the anchor" if anchor else ""))


@app.command("anchor")
def anchor(ctx: typer.Context) -> None:
    """Print one digest over every chain's newest event, to keep off this host (e.g. syslog)."""
    from ptsa_tui.store import audit_chain

    runtime: Runtime = ctx.obj
    typer.echo(audit_chain.anchor(runtime.engine))
