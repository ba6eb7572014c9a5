"""`ptsa customer forget`: erase a customer's personal data at their request."""

import typer

from ptsa_tui.cli.output import say
from ptsa_tui.cli.runtime import Runtime

app = typer.Typer(no_args_is_help=True, help="Customers' personal data.")


@app.command("forget")
def forget(
    ctx: typer.Context,
    customer_id: int = typer.Argument(..., metavar="ID", help="The customer's id."),
    by: str = typer.Option(..., "--by", help="Username of the supervisor erasing it."),
) -> None:
    """Erase a customer's name, NIK, organisation, phone and email (UU 27/2022). Their
    requests stay, with every figure; no notice is sent to them any more. Audited."""
    runtime: Runtime = ctx.obj
    done = runtime.workflow.forget_customer(customer_id=customer_id, by=by)
    say(
        f"customer {done.customer_id} forgotten: {done.requests} requests kept,"
        f" {done.notices} notice addresses erased"
    )
