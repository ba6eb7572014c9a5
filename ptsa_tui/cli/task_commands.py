"""`ptsa task`: queues and every hand-off, for scripts and SOP applications."""

from typing import TYPE_CHECKING, Any

import typer

from ptsa_tui.cli.output import (
    Clockface,
    console,
    print_json,
    print_table,
    safe,
    say,
)
from ptsa_tui.cli.runtime import Runtime

if TYPE_CHECKING:
    from ptsa_tui.store.queries import RequestStory
    from ptsa_tui.store.workflow import Moved

app = typer.Typer(no_args_is_help=True, help="Tasks: one hop of a request in one unit's queue.")

REF_HELP = "Tracking number (its open task) or numeric task id."
BY = typer.Option(..., "--by", help="Username of the acting officer.")
JSON = typer.Option(False, "--json", help="Print one JSON object.")


def _task_id(runtime: Runtime, ref: str) -> int:
    from ptsa_tui.store.queries import resolve_task_id

    return resolve_task_id(runtime.engine, ref)


def _report_move(runtime: Runtime, moved: "Moved", verb: str, json: bool) -> None:
    clock = Clockface(runtime.settings.office.timezone)
    offered = moved.offered
    if json:
        print_json(
            {
                "task_id": moved.closed.id,
                "outcome": moved.closed.outcome,
                "closed_at": moved.closed.closed_at,
                "offered_task_id": offered.id if offered else None,
                "offered_unit": moved.offered_unit.code if moved.offered_unit else None,
                "claim_due_at": offered.claim_due_at if offered else None,
            },
            clock,
        )
        return
    line = f"task {moved.closed.id} {verb}"
    if offered is not None and moved.offered_unit is not None:
        line += (
            f"; task {offered.id} offered to {moved.offered_unit.code}, "
            f"claim by {clock.short(offered.claim_due_at)}"
        )
    say(line)


@app.command("list")
def list_(
    ctx: typer.Context,
    unit: str | None = typer.Option(None, help="Only this unit's queue."),
    state: str = typer.Option("open", help="open, claimed or done."),
    limit: int = typer.Option(500, min=1, max=100_000, help="At most this many rows."),
    json: bool = JSON,
) -> None:
    """List tasks, most urgent first (done: most recent first)."""
    from ptsa_tui.store import lean
    from ptsa_tui.store.errors import InvalidInput

    if state not in ("open", "claimed", "done"):
        raise InvalidInput(f"--state must be open, claimed or done, not {state!r}")
    runtime: Runtime = ctx.obj
    with runtime.connection() as conn:
        rows = lean.list_tasks(conn, unit=unit, state=state, limit=limit)  # type: ignore[arg-type]
    clock = Clockface(runtime.settings.office.timezone)
    if json:
        print_json({"tasks": rows}, clock)
    else:
        from ptsa_tui.cli.task_table import task_table

        title = f"{state} tasks" + (f" in {unit}" if unit else "")
        task_table(rows, clock, title, done=state == "done")


@app.command("show")
def show(
    ctx: typer.Context,
    ref: str = typer.Argument(..., metavar="REF", help=REF_HELP),
    json: bool = JSON,
) -> None:
    """A request in full: customer, service, clocks, every hop and the audit trail."""
    from ptsa_tui.store.queries import request_story

    runtime: Runtime = ctx.obj
    story = request_story(runtime.engine, ref)
    clock = Clockface(runtime.settings.office.timezone)
    if json:
        print_json(_story_json(story), clock)
    else:
        _print_story(story, clock)


def _story_json(story: "RequestStory") -> dict[str, Any]:
    request, customer, open_task = story.request, story.customer, story.open_task
    return {
        "tracking_no": request.tracking_no,
        "status": request.status,
        "subject": request.subject,
        "details": request.details,
        "channel": request.channel,
        "service": story.service.code if story.service else None,
        "customer": {
            "id": customer.id,  # what `ptsa customer forget ID` takes
            "name": customer.name,
            "phone": customer.phone,
            "email": customer.email,
            "nik": customer.nik,
            "organisation": customer.organisation,
        },
        "created_at": request.created_at,
        "sop_due_at": request.sop_due_at,
        "resolution": request.resolution,
        "closed_at": request.closed_at,
        "open_task": (
            {
                "id": open_task.task_id,
                "unit": open_task.unit,
                "position": open_task.position,
                "purpose": open_task.purpose,
                "claimed_by": open_task.claimed_by,
                "claimed_at": open_task.claimed_at,
                "claim_due_at": open_task.claim_due_at,
            }
            if open_task
            else None
        ),
        "paused": story.paused,
        "pauses": story.pauses,
        "tasks": story.tasks,
        "events": story.events,
        "messages": story.messages,
    }


def _print_story(story: "RequestStory", clock: Clockface) -> None:
    from rich.table import Table

    request, customer = story.request, story.customer
    out = console()
    out.print(
        f"[bold]{request.tracking_no}[/] {safe(f'[{request.status}]')} {safe(request.subject)}"
    )
    out.print(f"customer: {safe(customer.name)}  {safe(customer.phone)}  {safe(customer.email)}")
    service = story.service
    out.print(
        f"service: {safe(service.name) if service else '-'}   SOP due: {clock.short(request.sop_due_at)}"
    )
    for pause in story.pauses:
        until = clock.short(pause["resumed_at"]) if pause["resumed_at"] else "now"
        out.print(
            f"waiting on the customer {clock.short(pause['paused_at'])} – {until}:"
            f" {safe(pause['reason'])}"
        )
    if request.details:
        out.print(safe(request.details))
    if request.resolution:
        out.print(f"answer: {safe(request.resolution)}")
    events = Table(title="audit trail", title_justify="left")
    for heading in ("at", "event", "by", "task", "details"):
        events.add_column(heading)
    for event in story.events:
        details = "; ".join(str(phrase) for phrase in story.said(event))
        events.add_row(
            clock.short(event["at"]),
            safe(event["kind"]),
            safe(event["officer"] or "-"),
            str(event["task_id"] or "-"),
            safe(details),
        )
    print_table(events, out)
    for message in story.messages:
        officer = safe(message["officer"])
        out.print(f"{clock.short(message['at'])} {officer}: {safe(message['body'])}")


@app.command("claim")
def claim(
    ctx: typer.Context,
    ref: str = typer.Argument(..., metavar="REF", help=REF_HELP),
    by: str = BY,
    json: bool = JSON,
) -> None:
    """Take a task from your unit's queue; if someone was faster, exit 3 names them."""
    from ptsa_tui.store import lean
    from ptsa_tui.store.timeutil import utc_now

    runtime: Runtime = ctx.obj
    clock = Clockface(runtime.settings.office.timezone)
    with runtime.connection() as conn:
        claimed = lean.claim(conn, ref=ref, by=by, now=utc_now(), zone=clock.zone)
    if json:
        payload = {
            "task_id": claimed.task_id,
            "tracking_no": claimed.tracking_no,
            "claimed_by": by,
            "claimed_at": claimed.claimed_at,
        }
        print_json(payload, clock)
    else:
        when = clock.short(claimed.claimed_at)
        say(f"task {claimed.task_id} ({claimed.tracking_no}) claimed by {safe(by)} at {when}")


@app.command("dispatch")
def dispatch(
    ctx: typer.Context,
    ref: str = typer.Argument(..., metavar="REF", help=REF_HELP),
    to: str = typer.Option(..., "--to", help="Echelon-2 unit code (from P0: an echelon-1 unit)."),
    by: str = BY,
    note: str | None = typer.Option(None, help="A note for the receiving desk."),
    json: bool = JSON,
) -> None:
    """Send a claimed P1 task to an echelon-2 unit under your unit."""
    runtime: Runtime = ctx.obj
    moved = runtime.workflow.dispatch(task_id=_task_id(runtime, ref), to=to, by=by, note=note)
    _report_move(runtime, moved, f"dispatched to {safe(to)}", json)


@app.command("transfer")
def transfer(
    ctx: typer.Context,
    ref: str = typer.Argument(..., metavar="REF", help=REF_HELP),
    to: str = typer.Option(..., "--to", help="Another unit of the same tier."),
    by: str = BY,
    reason: str = typer.Option(..., help="Why it belongs elsewhere."),
    json: bool = JSON,
) -> None:
    """Move a claimed task sideways to another unit of the same tier."""
    runtime: Runtime = ctx.obj
    moved = runtime.workflow.transfer(task_id=_task_id(runtime, ref), to=to, by=by, reason=reason)
    _report_move(runtime, moved, f"transferred to {safe(to)}", json)


@app.command("return")
def return_(
    ctx: typer.Context,
    ref: str = typer.Argument(..., metavar="REF", help=REF_HELP),
    by: str = BY,
    reason: str = typer.Option(..., help="Why it goes back."),
    json: bool = JSON,
) -> None:
    """Send a claimed task back a step: P2 to P1, P1 to the front office."""
    runtime: Runtime = ctx.obj
    moved = runtime.workflow.return_task(task_id=_task_id(runtime, ref), by=by, reason=reason)
    _report_move(runtime, moved, "returned", json)


@app.command("release")
def release(
    ctx: typer.Context,
    ref: str = typer.Argument(..., metavar="REF", help=REF_HELP),
    by: str = BY,
    reason: str = typer.Option(..., help="Why you give it back."),
    json: bool = JSON,
) -> None:
    """Give a claim back to the unit's queue (holder, or a supervisor of the unit)."""
    runtime: Runtime = ctx.obj
    moved = runtime.workflow.release(task_id=_task_id(runtime, ref), by=by, reason=reason)
    _report_move(runtime, moved, "released", json)


@app.command("assign")
def assign(
    ctx: typer.Context,
    ref: str = typer.Argument(..., metavar="REF", help=REF_HELP),
    to: str = typer.Option(..., "--to", help="Username of an officer of the same unit."),
    by: str = typer.Option(..., "--by", help="Username of the supervisor."),
    json: bool = JSON,
) -> None:
    """A supervisor gives a queued task to a named officer."""
    runtime: Runtime = ctx.obj
    task = runtime.workflow.assign(task_id=_task_id(runtime, ref), to=to, by=by)
    if json:
        clock = Clockface(runtime.settings.office.timezone)
        print_json({"task_id": task.id, "claimed_by": to, "claimed_at": task.claimed_at}, clock)
    else:
        say(f"task {task.id} assigned to {safe(to)}")


@app.command("resolve")
def resolve(
    ctx: typer.Context,
    ref: str = typer.Argument(..., metavar="REF", help=REF_HELP),
    by: str = BY,
    answer: str = typer.Option(..., help="The answer for the customer."),
    json: bool = JSON,
) -> None:
    """P2 resolves with an answer (it goes back to P0), or P0 resolves on the spot."""
    runtime: Runtime = ctx.obj
    moved = runtime.workflow.resolve(task_id=_task_id(runtime, ref), by=by, answer=answer)
    _report_move(runtime, moved, "resolved", json)


@app.command("close")
def close(
    ctx: typer.Context,
    ref: str = typer.Argument(..., metavar="REF", help=REF_HELP),
    by: str = BY,
    json: bool = JSON,
) -> None:
    """P0 delivers the answer to the customer and closes the request."""
    runtime: Runtime = ctx.obj
    moved = runtime.workflow.close(task_id=_task_id(runtime, ref), by=by)
    _report_move(runtime, moved, "closed", json)


@app.command("message")
def message(
    ctx: typer.Context,
    ref: str = typer.Argument(..., metavar="REF", help=REF_HELP),
    by: str = BY,
    text: str = typer.Option(..., "--text", help="The message."),
) -> None:
    """Add a note to the request's thread between positions."""
    from ptsa_tui.store.queries import request_story

    runtime: Runtime = ctx.obj
    request = request_story(runtime.engine, ref).request
    assert request.id is not None
    runtime.workflow.message(request_ref=request.id, by=by, body=text)
    say(f"message added to {request.tracking_no}")


@app.command("pause")
def pause(
    ctx: typer.Context,
    ref: str = typer.Argument(..., metavar="REF", help=REF_HELP),
    by: str = BY,
    reason: str = typer.Option(..., help="What the customer must bring, e.g. a missing document."),
) -> None:
    """P2: the request waits on the customer; its SOP clock stops (the claim clock does not)."""
    runtime: Runtime = ctx.obj
    paused = runtime.workflow.pause(task_id=_task_id(runtime, ref), by=by, reason=reason)
    say(f"task {paused.task_id}: waiting on the customer ({safe(reason)})")


@app.command("resume")
def resume(
    ctx: typer.Context,
    ref: str = typer.Argument(..., metavar="REF", help=REF_HELP),
    by: str = BY,
    reason: str | None = typer.Option(None, help="A note, e.g. what the customer brought."),
) -> None:
    """The customer answered: the SOP due date moves by the working time waited."""
    from ptsa_tui.store.queries import request_story

    runtime: Runtime = ctx.obj
    task_id = _task_id(runtime, ref)
    ended = runtime.workflow.resume(task_id=task_id, by=by, note=reason)
    clock = Clockface(runtime.settings.office.timezone)
    due = request_story(runtime.engine, str(task_id)).request.sop_due_at
    waited = ended.moved_by.total_seconds() // 60 if ended.moved_by else 0
    say(f"task {task_id} resumed after {waited:.0f} working minutes; SOP due {clock.short(due)}")
