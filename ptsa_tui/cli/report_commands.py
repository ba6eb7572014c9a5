"""`ptsa report`: the units' KPIs as a table, CSV or JSON (DESIGN.md §5)."""

import csv
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import typer

from ptsa_tui.cli.runtime import Runtime

if TYPE_CHECKING:
    from ptsa_tui.cli.output import Clockface
    from ptsa_tui.store.kpi import KpiReport, UnitKpi

app = typer.Typer(
    no_args_is_help=True,
    help="Reports for a period: the units' KPIs, and the customers' satisfaction (IKM).",
)

# The §5 contract: the CSV header and every JSON unit object, in this order.
KPI_KEYS = (
    "unit",
    "tier",
    "parent",
    "received",
    "resolved",
    "claim_p50_s",
    "claim_p90_s",
    "claimed_within_sla",
    "resolved_within_sop",
    "backlog",
    "oldest_open_since",
)
LARGE_RANGE = timedelta(days=92)  # longer periods show a progress bar on a terminal


class Format(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


FROM = typer.Option(
    None, "--from", metavar="DATE", help="First day, YYYY-MM-DD; default 30 days up to --to."
)
TO = typer.Option(None, "--to", metavar="DATE", help="Last day, YYYY-MM-DD; default today.")
UNIT = typer.Option(
    None,
    "--unit",
    metavar="CODE",
    help="Only this unit; an echelon-1 unit brings its echelon-2 units along.",
)
FORMAT = typer.Option(Format.table, "--format", help="table (for people), csv or json.")


@app.command("kpi")
def kpi(
    ctx: typer.Context,
    from_: str | None = FROM,
    to: str | None = TO,
    unit: str | None = UNIT,
    format: Format = FORMAT,
) -> None:
    """The units' KPIs for a period: claim times, claim SLA and SOP shares, backlog.

    Dates are office dates, both ends included; the default period is the last 30 days up
    to today. Figures are as of now, on the configured clock (office.sla_clock)."""
    from ptsa_tui.cli.output import Clockface
    from ptsa_tui.store.kpi import STEPS, unit_kpis, unit_scope
    from ptsa_tui.store.timeutil import utc_now

    runtime: Runtime = ctx.obj
    clock = Clockface(runtime.settings.office.timezone)
    now = utc_now()
    start, end = _period(from_, to, now.astimezone(clock.zone).date())
    units = unit_scope(runtime.engine, unit) if unit is not None else None
    rules = runtime.workflow.rules
    with _progress(end - start >= LARGE_RANGE, STEPS) as step:
        report = unit_kpis(
            runtime.engine, rules, start=start, end=end, units=units, now=now, on_step=step
        )
    if format is Format.json:
        _print_json(report, clock)
    elif format is Format.csv:
        _print_csv(report, clock)
    else:
        _print_table(report, clock)


@app.command("ikm")
def ikm(
    ctx: typer.Context,
    from_: str | None = FROM,
    to: str | None = TO,
    unit: str | None = UNIT,
    format: Format = FORMAT,
) -> None:
    """The customer satisfaction index (IKM) per echelon-2 unit and for the office.

    From the SKM survey (PermenPANRB 14/2017): each element's average rating (NRR, 1-4),
    IKM = sum(NRR x 1/9) x 25 on a scale of 25-100, and its grade (A-D). A response counts
    for the unit that resolved the request, on the office date it was given."""
    from ptsa_tui.cli.ikm_output import print_ikm
    from ptsa_tui.store.ikm import satisfaction
    from ptsa_tui.store.kpi import unit_scope
    from ptsa_tui.store.timeutil import utc_now

    runtime: Runtime = ctx.obj
    calendar = runtime.workflow.rules.calendar
    start, end = _period(from_, to, utc_now().astimezone(calendar.timezone).date())
    units = unit_scope(runtime.engine, unit) if unit is not None else None
    report = satisfaction(runtime.engine, calendar, start=start, end=end, units=units)
    print_ikm(report, format.value)


# -- the period -----------------------------------------------------------------------


def _period(first: str | None, last: str | None, today: date) -> tuple[date, date]:
    """--to defaults to today, --from to 30 days up to --to."""
    from ptsa_tui.store.errors import InvalidInput
    from ptsa_tui.store.kpi import default_period

    end = _date("--to", last) if last is not None else today
    start = _date("--from", first) if first is not None else default_period(end)[0]
    if start > end:
        raise InvalidInput(f"--from {start} is after --to {end}")
    return start, end


def _date(option: str, text: str) -> date:
    from ptsa_tui.store.errors import InvalidInput

    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(f"{option}: {text!r} is not a date (use YYYY-MM-DD)") from None


@contextmanager
def _progress(large: bool, steps: int) -> Iterator[Callable[[], None] | None]:
    """A transient progress bar on stderr, only for a large range and only on a terminal;
    yields the callback that advances it by a step."""
    if not (large and sys.stderr.isatty()):
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("computing the KPIs", total=steps)
        yield lambda: bar.advance(task)


# -- output ---------------------------------------------------------------------------


def _record(row: "UnitKpi", clock: "Clockface") -> dict[str, Any]:
    return {key: getattr(row, key) for key in KPI_KEYS} | {
        "oldest_open_since": clock.iso(row.oldest_open_since)
    }


def _print_json(report: "KpiReport", clock: "Clockface") -> None:
    from ptsa_tui.cli.output import print_json

    print_json(
        {
            "from": report.start,
            "to": report.end,
            "clock": report.clock,
            "units": [_record(row, clock) for row in report.units],
        },
        clock,
    )


def _print_csv(report: "KpiReport", clock: "Clockface") -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(KPI_KEYS)
    for row in report.units:
        record = _record(row, clock)
        writer.writerow("" if record[key] is None else record[key] for key in KPI_KEYS)


def _print_table(report: "KpiReport", clock: "Clockface") -> None:
    from rich import box
    from rich.table import Table

    from ptsa_tui.cli.output import print_table

    table = Table(
        title=f"KPIs {report.start} .. {report.end} ({report.clock} clock)",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        padding=0,  # the box puts one space between columns: 80 columns hold the demo
    )
    table.add_column("unit", no_wrap=True)
    for heading in ("recv", "done", "p50", "p90", "SLA", "SOP", "open"):
        table.add_column(heading, justify="right", no_wrap=True, overflow="fold")
    table.add_column("oldest open")  # the one that may wrap (date / time) when space is short
    for row in report.units:
        table.add_row(
            row.unit,
            f"{row.received:,}",
            f"{row.resolved:,}",
            short_time(row.claim_p50_s),
            short_time(row.claim_p90_s),
            percent(row.claimed_within_sla),
            percent(row.resolved_within_sop),
            f"{row.backlog:,}",
            clock.short(row.oldest_open_since),
        )
    table.caption = (
        "recv: tasks offered; done: resolved; p50/p90: claim time; SLA: claimed in time;"
        " SOP: resolved in SOP time; open: backlog at the end"
    )
    table.caption_justify = "left"
    print_table(table)


def short_time(seconds: float | None) -> str:
    """Two units at most: 45s, 4m12s, 1h05m, 2d03h."""
    if seconds is None:
        return "-"
    total = round(seconds)
    for big, small, size, part in (("d", "h", 86400, 3600), ("h", "m", 3600, 60)):
        if total >= size:
            return f"{total // size}{big}{total % size // part:02d}{small}"
    return f"{total // 60}m{total % 60:02d}s" if total >= 60 else f"{total}s"


def percent(share: float | None) -> str:
    return "-" if share is None else f"{share:.0%}"
