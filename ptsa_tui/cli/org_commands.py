"""`ptsa org`, `ptsa seed`, `ptsa officer` and `ptsa demo`: the organisation and its people."""

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from ptsa_tui.cli.output import console, print_table, safe, say
from ptsa_tui.cli.runtime import Runtime

if TYPE_CHECKING:
    from ptsa_tui.store.org import Progress

org_app = typer.Typer(no_args_is_help=True, help="The organisation: units, officers, services.")
seed_app = typer.Typer(no_args_is_help=True, help="Sample data.")
officer_app = typer.Typer(no_args_is_help=True, help="Officers' accounts.")


WEEKS_HELP = "Weeks of history to create through the workflow before today (0: none)."


@contextmanager
def _progress_bar(total: int) -> "Iterator[Progress]":
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    out = Console(stderr=True)  # stdout stays for what the command says
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=out,
        transient=True,
        disable=not out.is_terminal,  # nothing at all when stderr is a pipe or file
    ) as bar:
        task = bar.add_task("importing", total=total)

        def step(label: str, count: int) -> None:
            bar.update(task, advance=count, description=label)

        yield step


@org_app.command("import")
def import_(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help="Organisation TOML file (units, officers, services)."),
) -> None:
    """Load units, officers and services; existing ones are updated by code and username.

    The whole file is checked first (exit 2, nothing written); a tier change that would strand
    services, units, officers or open tasks is a conflict (exit 3, nothing written)."""
    from ptsa_tui.store.org import import_org, read_org_file

    org = read_org_file(file)
    runtime: Runtime = ctx.obj
    with _progress_bar(len(org.units) + len(org.officers) + len(org.services)) as step:
        counts = import_org(runtime.engine, org, step, workflow=runtime.workflow)
    say(f"imported {counts.units} units, {counts.officers} officers, {counts.services} services")


def _seed(runtime: Runtime, weeks: int) -> None:
    from ptsa_tui.store.demo import demo_steps, seed_demo
    from ptsa_tui.store.timeutil import utc_now

    now = utc_now()  # one instant for the plan and the seed, so the bar's total is right
    engine, workflow = runtime.engine, runtime.workflow
    with _progress_bar(demo_steps(engine, workflow, weeks=weeks, now=now)) as step:
        summary = seed_demo(engine, workflow, step, now=now, weeks=weeks)
    line = (
        f"demo office: {summary.units} units, {summary.officers} officers, "
        f"{summary.services} services, {summary.requests} new sample requests"
    )
    if summary.alerts is not None:
        span = f"{weeks} week" + ("" if weeks == 1 else "s")
        line += (
            f", {summary.history} requests of history over {span}, "
            f"{summary.overdue} overdue today with {summary.alerts.raised} alerts"
        )
    say(line)


@seed_app.command("demo")
def seed_demo(
    ctx: typer.Context,
    weeks: int = typer.Option(13, "--weeks", min=0, max=104, help=WEEKS_HELP),
) -> None:
    """The demo organisation (56 officers: 9 P0, 14 P1, 33 P2), weeks of history, sample
    requests and today's overdue ones with their alerts; a second run adds nothing."""
    _seed(ctx.obj, weeks)


@officer_app.command("passwd")
def passwd(
    ctx: typer.Context,
    username: str = typer.Argument(..., help="The officer's username."),
    by: str | None = typer.Option(
        None, "--by", help="Username of a supervisor of the officer's unit, who sets it."
    ),
    operator: bool = typer.Option(
        False, "--operator", help="Set it as the operator, with the owner role's credentials."
    ),
    password: str | None = typer.Option(
        None, "--password", hide_input=True, help="Prompted (twice) when not given."
    ),
) -> None:
    """Set an officer's password (stored only as an argon2 hash); it lifts a lock-out."""
    from ptsa_tui.store.errors import InvalidInput
    from ptsa_tui.store.officers import check_password, set_password

    if (by is None) == (not operator):
        raise InvalidInput("officer passwd: give exactly one of --by SUPERVISOR or --operator")
    runtime: Runtime = ctx.obj
    if password is None:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    check_password(password)
    # The owner's URL when it is known; else the one in use, which must then own the schema.
    owner_url = (runtime.urls.owner or runtime.url) if operator else None
    done = set_password(
        runtime.engine, username=username, password=password, by=by, operator_url=owner_url
    )
    lifted = "; its lock-out is lifted" if done.cleared_lockout else ""
    say(f"password set for {safe(username)}{lifted}")


def demo(
    ctx: typer.Context,
    weeks: int = typer.Option(13, "--weeks", min=0, max=104, help=WEEKS_HELP),
) -> None:
    """Prepare the database and the demo office, then open the desk app.

    When stdout is not a terminal (scripts, CI) it prints the office's state instead.
    """
    from ptsa_tui.store.demo import DEMO_PASSWORD
    from ptsa_tui.store.overview import unit_overview

    runtime: Runtime = ctx.obj
    _seed(runtime, weeks)
    interactive = console().is_terminal and sys.stdin.isatty()
    if not interactive:
        _overview_table(unit_overview(runtime.engine))
    say(
        f"demo logins (password [bold]{DEMO_PASSWORD}[/]): p0, p1, p2 and supervisors spv0, spv1, spv2"
    )
    if not interactive:
        say("try: ptsa task list --unit BINAPENTA   ·   ptsa task show <tracking no>")
        return
    from ptsa_tui.cli.demo_daemon import SMS_FILE, background_daemon
    from ptsa_tui.cli.desk_commands import run_desk

    say(
        "the alert daemon runs beside the desk; customers' SMS go to"
        f" {safe(str(runtime.settings.home / SMS_FILE))}"
    )
    typer.prompt("press enter to open the desk app", default="", show_default=False)
    with background_daemon(runtime.settings):
        run_desk(runtime)


def _overview_table(rows: list[dict[str, object]]) -> None:
    from rich.table import Table

    table = Table(title="PTSA demo office: open work per unit", title_justify="left")
    longest_code = max((len(str(row["code"])) for row in rows), default=4)
    table.add_column("unit", no_wrap=True, min_width=longest_code)  # codes are never cut
    table.add_column("tier", no_wrap=True, min_width=4)
    counts = ("desks", "queued", "claimed", "overdue")
    # Rich will not shrink a no-wrap column, so the name gets what the others leave over.
    others = longest_code + 4 + sum(map(len, counts)) + 3 * (len(counts) + 3) + 2
    table.add_column(
        "name", no_wrap=True, overflow="ellipsis", max_width=max(12, console().width - others)
    )
    for heading in counts:
        table.add_column(heading, justify="right", no_wrap=True, min_width=len(heading))
    for row in rows:
        overdue = int(str(row["overdue"]))
        table.add_row(
            str(row["code"]),
            f"P{row['tier']}",
            safe(str(row["name"])),
            str(row["officers"]),
            str(row["queued"]),
            str(row["claimed"]),
            f"[red]{overdue}[/]" if overdue else "0",
        )
    print_table(table)
