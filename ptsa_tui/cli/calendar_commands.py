"""`ptsa calendar`: the office's own days off and worked holidays, on top of the holidays
package (decrees change mid-year)."""

from datetime import date

import typer

from ptsa_tui.cli.output import Clockface, print_json, print_table, safe, say
from ptsa_tui.cli.runtime import Runtime

app = typer.Typer(
    no_args_is_help=True,
    help="The office calendar: holidays, and the days the office adds or opens.",
)

DAY = typer.Argument(..., metavar="DATE", help="A local office date, YYYY-MM-DD.")
REASON = typer.Option(..., "--reason", help="Why, e.g. the decree that changed it.")
BY = typer.Option(None, "--by", help="Username of the supervisor making the change.")


def _day(text: str) -> date:
    from ptsa_tui.store.errors import InvalidInput

    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(f"DATE must be YYYY-MM-DD, not {text!r}") from None


@app.command("list")
def list_(
    ctx: typer.Context,
    year: int | None = typer.Option(
        None, min=1900, max=2999, help="The year to list (default: this year)."
    ),
    json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """The year's days off from the holidays package, with the office's overrides."""
    from rich.table import Table

    from ptsa_tui.store.calendar_admin import list_days
    from ptsa_tui.store.timeutil import utc_now

    runtime: Runtime = ctx.obj
    rules = runtime.workflow.rules
    year = year or utc_now().astimezone(rules.calendar.timezone).year
    days = list_days(runtime.engine, rules, year=year)
    if json:
        rows = [
            {
                "date": d.day.isoformat(),
                "closed": d.closed,
                "reason": d.reason,
                "source": d.source,
                "holiday": d.holiday,
            }
            for d in days
        ]
        print_json({"year": year, "days": rows}, Clockface(runtime.settings.office.timezone))
        return
    table = Table(title=f"calendar {year}", title_justify="left")
    for heading in ("date", "day", "state", "source", "reason"):
        table.add_column(heading)
    for d in days:
        state = "closed" if d.closed else "open"
        table.add_row(d.day.isoformat(), f"{d.day:%a}", state, d.source, safe(d.reason))
    print_table(table)


@app.command("add")
def add(
    ctx: typer.Context,
    day: str = DAY,
    reason: str = REASON,
    open_: bool = typer.Option(
        False, "--open", help="A working day that the holidays package has as a holiday."
    ),
    by: str | None = BY,
) -> None:
    """Close a day (a decree's day off), or with --open work on a holiday."""
    from ptsa_tui.store import calendar_admin

    runtime: Runtime = ctx.obj
    when = _day(day)
    calendar_admin.add(runtime.workflow, day=when, reason=reason, open_day=open_, by=by)
    say(f"{when}: {'open' if open_ else 'closed'} ({safe(reason)}); desks and daemons follow")


@app.command("remove")
def remove(ctx: typer.Context, day: str = DAY, reason: str = REASON, by: str | None = BY) -> None:
    """Undo an override: the day is again what the holidays package says."""
    from ptsa_tui.store import calendar_admin

    runtime: Runtime = ctx.obj
    when = _day(day)
    calendar_admin.remove(runtime.workflow, day=when, reason=reason, by=by)
    say(f"{when}: override removed ({safe(reason)})")
