"""`ptsa request`: register a customer's request at the front office."""

import typer

from ptsa_tui.cli.output import Clockface, print_json, safe, say
from ptsa_tui.cli.runtime import Runtime

app = typer.Typer(no_args_is_help=True, help="Requests from customers.")


@app.command("new")
def new(
    ctx: typer.Context,
    customer: str = typer.Option(..., help="The customer's name."),
    subject: str = typer.Option(..., help="What the customer asks, in one line."),
    by: str = typer.Option(..., help="Username of the P0 officer registering it."),
    service: str | None = typer.Option(None, help="Service code from the catalogue."),
    unit: str | None = typer.Option(
        None, help="Echelon-1 unit to send it to, when the service is unknown."
    ),
    phone: str | None = typer.Option(None, help="Customer phone, e.g. 0812… or +62812…"),
    email: str | None = typer.Option(None, help="Customer email."),
    nik: str | None = typer.Option(None, help="Customer NIK (16 digits)."),
    organisation: str | None = typer.Option(None, help="Customer's company or organisation."),
    details: str = typer.Option("", help="Longer description."),
    channel: str = typer.Option("walk-in", help="walk-in, phone, email, letter or web."),
    answer: str | None = typer.Option(None, help="Resolve on the spot at P0 with this answer."),
    notify: bool = typer.Option(
        True, help="Send the customer SMS and email updates (--no-notify: the customer opts out)."
    ),
    json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Register a request; it is offered to the queue of the service's echelon-1 unit."""
    runtime: Runtime = ctx.obj
    registered = runtime.workflow.register(
        by=by,
        customer={
            "name": customer,
            "phone": phone,
            "email": email,
            "nik": nik,
            "organisation": organisation,
            "notify": notify,
        },
        service_code=service,
        unit_code=unit,
        subject=subject,
        details=details,
        channel=channel,
        answer=answer,
    )
    task = registered.task
    clock = Clockface(runtime.settings.office.timezone)
    if json:
        print_json(
            {
                "tracking_no": registered.request.tracking_no,
                "request_id": registered.request.id,
                "task_id": task.id,
                "unit": registered.unit.code,
                "claim_due_at": task.claim_due_at,
                "sop_due_at": registered.request.sop_due_at,
                "status": registered.request.status,
            },
            clock,
        )
        return
    if answer is not None:
        say(f"{registered.request.tracking_no} resolved on the spot and closed")
        return
    say(
        f"{registered.request.tracking_no} registered for {safe(customer)}: task {task.id} "
        f"in {registered.unit.code}'s queue, claim by {clock.short(task.claim_due_at)}"
    )
