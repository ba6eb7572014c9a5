"""`ptsa task list` as a table that fits the terminal: at 80 columns as well as at 200.

Tracking numbers, dates, unit codes and usernames are never cut. When the width is short, whole
columns give way, least needed first; the caption names them. The tracking number, the claim
deadline (for done tasks: the outcome) and the customer always stay.
"""

from collections.abc import Callable
from dataclasses import dataclass

from ptsa_tui.cli.output import Clockface, console, print_table, safe
from ptsa_tui.store.task_rows import TaskRow

# Rich's default box: a border left of every column and one at the end, a space each side.
_BORDER, _PADDING = 1, 2
# What a column that may wrap gets at the least; a narrower one keeps its whole width.
_SHRUNK = 10


@dataclass(frozen=True)
class _Column:
    heading: str
    priority: int  # 1 stays longest
    cell: Callable[[TaskRow], str]  # plain text; markup is escaped when the row is added
    wraps: bool = False  # free text, which may wrap or shrink; the others are never cut

    def width(self, rows: list[TaskRow]) -> int:
        from rich.cells import cell_len

        widest = max((cell_len(self.cell(row)) for row in rows), default=0)
        widest = max(widest, cell_len(self.heading))
        return min(widest, _SHRUNK) if self.wraps else widest


def _columns(clock: Clockface, done: bool) -> list[_Column]:
    """In the order shown; the priorities say which stay when the width is short."""
    when = (
        _Column("closed", 4, lambda r: clock.short(r.closed_at))
        if done
        else _Column("claim due", 2, lambda r: clock.short(r.claim_due_at))
    )
    outcome = [_Column("outcome", 2, lambda r: r.outcome or "-")] if done else []
    return [
        _Column("task", 7, lambda r: str(r.task_id)),
        _Column("tracking no", 1, lambda r: r.tracking_no),
        _Column("unit", 5, lambda r: r.unit),
        _Column("pos", 9, lambda r: r.position),
        _Column("service", 8, lambda r: r.service_code or "-", wraps=True),
        _Column("customer", 3, lambda r: r.customer, wraps=True),
        when,
        *outcome,
        _Column("claimed by", 4 if not done else 5, lambda r: r.claimed_by or "-"),
        _Column("SOP due", 6, lambda r: clock.short(r.sop_due_at)),
    ]


def _fitting(columns: list[_Column], rows: list[TaskRow], width: int) -> list[_Column]:
    """The columns that fit in `width`, dropping the least needed first (never the top three)."""
    needs = {column.heading: column.width(rows) + _PADDING + _BORDER for column in columns}
    shown = list(columns)
    by_need = sorted(columns, key=lambda column: column.priority, reverse=True)
    for column in by_need:
        if sum(needs[c.heading] for c in shown) + _BORDER <= width or column.priority <= 3:
            break
        shown.remove(column)
    return shown


def task_table(rows: list[TaskRow], clock: Clockface, title: str, *, done: bool = False) -> None:
    from rich.table import Table

    out = console()
    columns = _columns(clock, done)
    shown = _fitting(columns, rows, out.width)
    table = Table(title=title, title_justify="left", caption_justify="left")
    for column in shown:
        if column.wraps:
            table.add_column(column.heading, min_width=column.width(rows), overflow="fold")
        else:
            table.add_column(column.heading, no_wrap=True, min_width=column.width(rows))
    for row in rows:
        table.add_row(*(safe(column.cell(row)) for column in shown))
    left_out = [column.heading for column in columns if column not in shown]
    if left_out:
        table.caption = f"not shown at {out.width} columns: {', '.join(left_out)} (see --json)"
    print_table(table, out)
