"""The inbox of one position: Queue, Mine, Team, Done (and for P0, answers to deliver).

The table is diffed by row key inside `batch_update`: changed cells are updated, new rows
added, only stale rows removed. It is never cleared and refilled.
"""

from datetime import datetime, timedelta
from itertools import islice
from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Input, Static, Tabs

from ptsa_tui.screens.actions import ActionScreen
from ptsa_tui.screens.banner import OfflineBanner
from ptsa_tui.screens.cells import literal, moment, span, state_cell, when
from ptsa_tui.screens.chrome import desk_footer, desk_header
from ptsa_tui.screens.counted_tab import CountedTab
from ptsa_tui.screens.i18n import N_, _, localise_bindings
from ptsa_tui.screens.inbox_columns import COLUMNS, FITTED, column_caps, cut
from ptsa_tui.screens.inbox_table import InboxTable
from ptsa_tui.screens.messages import InboxUpdated
from ptsa_tui.store.api import Position

if TYPE_CHECKING:
    from ptsa_tui.store.api import TaskRow

TABS = (
    ("queue", N_("Queue")),
    ("mine", N_("Mine")),
    ("team", N_("Team")),
    ("done", N_("Done")),
    ("deliver", N_("To deliver")),
)
# Between reloads the ages and countdowns still move: each row is looked at once a second, and
# redrawn only when what it shows can have changed.
TICK = 1.0
# Nobody reads past the most urgent few hundred; the rest stay a filter away, and the table
# stays quick to build and to diff however long the queue grows.
MAX_SHOWN = 200


def matches(row: "TaskRow", needle: str) -> bool:
    if not needle:
        return True
    haystack = " ".join(
        (row.tracking_no, row.service_code or "", row.service_name or "", row.customer, row.subject)
    )
    return needle.casefold() in haystack.casefold()


def numbered(number: int, label: str) -> str:
    """A tab's label with the key that shows it."""
    return f"{number} {label}"


class InboxScreen(ActionScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", N_("Open"), show=True),
        Binding("n", "new", N_("New")),  # the palette says "New request"
        Binding("slash", "filter", N_("Filter"), key_display="/"),
        Binding("escape", "unfilter", N_("Clear filter"), show=False),
        Binding("q", "quit", N_("Quit")),
        Binding("left_square_bracket", "tab_by(-1)", N_("Previous tab"), show=False),
        Binding("right_square_bracket", "tab_by(1)", N_("Next tab"), show=False),
        # Not in the footer, which has no room: each tab's label shows its number, and the
        # keys panel (ctrl+p, Keys) lists these with the rest.
        *(
            Binding(str(number), f"tab_number({number})", N_("Go to this tab"), show=False)
            for number in range(1, 6)
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        localise_bindings(self)
        self.tab = "queue"
        self.needle = ""
        self._shown: set[str] = set()
        self._by_key: dict[str, TaskRow] = {}
        self._cells: dict[str, tuple[TaskRow, tuple[int, int], tuple[Text | str, ...]]] = {}
        self._counts: dict[str, int] | None = None
        self._tabs: dict[str, CountedTab] = {}
        self._width = 80
        self._caps = column_caps(self._width)

    def compose(self) -> ComposeResult:
        yield desk_header()
        yield OfflineBanner()
        user = self.desk.user
        shown = TABS if user is not None and user.position is Position.P0 else TABS[:-1]
        self._tabs = {
            key: CountedTab(numbered(number, _(label)), id=key)
            for number, (key, label) in enumerate(shown, start=1)
        }
        yield Tabs(*self._tabs.values())
        yield Input(placeholder=_("Filter: tracking no., service, customer, subject"), id="filter")
        table = InboxTable(id="inbox", cursor_type="row", zebra_stripes=True)
        for key, label in COLUMNS:
            table.add_column(_(label), key=key)
        yield table
        yield Static("", id="more")
        yield desk_footer()

    def on_mount(self) -> None:
        self.query_one("#filter", Input).display = False
        self.query_one(DataTable).focus()
        self.show_rows()
        self.set_interval(TICK, self.show_rows)

    @property
    def table(self) -> InboxTable:
        return self.query_one("#inbox", InboxTable)

    # -- selection -----------------------------------------------------------------------

    def selected_row(self) -> "TaskRow | None":
        table = self.table
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self._by_key.get(key or "")

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self.offer_actions()

    @on(DataTable.RowSelected)
    def action_open(self) -> None:
        from ptsa_tui.screens.request_screen import RequestScreen

        row = self.selected_row()
        if row is not None:
            self.app.push_screen(RequestScreen(row.task_id, row.request_id))

    def action_new(self) -> None:
        from ptsa_tui.screens.intake import IntakeScreen

        self.app.push_screen(IntakeScreen())

    def action_quit(self) -> None:
        self.app.exit()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "new":
            user = self.desk.user
            return user is not None and user.position is Position.P0
        return super().check_action(action, parameters)

    # -- tabs and filter -----------------------------------------------------------------

    def action_tab_number(self, number: int) -> None:
        keys = list(self._tabs)
        if 1 <= number <= len(keys):
            self.query_one(Tabs).active = keys[number - 1]

    def action_tab_by(self, step: int) -> None:
        keys = list(self._tabs)
        at = keys.index(self.tab) if self.tab in keys else 0
        self.query_one(Tabs).active = keys[(at + step) % len(keys)]

    @on(Tabs.TabActivated)
    def _tab_changed(self, event: Tabs.TabActivated) -> None:
        self.tab = event.tab.id or "queue"
        self.show_rows()

    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.display = True
        box.focus()

    def action_unfilter(self) -> None:
        box = self.query_one("#filter", Input)
        box.value, box.display = "", False
        self.table.focus()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.needle = event.value.strip()
        self.show_rows()

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.table.focus()

    # -- rows ----------------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        self._width = event.size.width
        self.show_rows()

    def _fit_columns(self, keys: list[str]) -> bool:
        """Caps for the columns at this width, from what the rows shown need; True when
        they changed, so every row is drawn again."""
        needs = {}
        for index, (key, label) in enumerate(COLUMNS):
            if key in FITTED:
                cells = (self._cells[k][2][index] for k in keys)
                needs[key] = max([cell_len(_(label)), *(cell_len(str(c)) for c in cells)])
        lines = self.table.size.height - 1  # under the heading
        caps = column_caps(self._width, needs, scrolls=len(keys) > lines)
        if caps == self._caps:
            return False
        self._caps = caps
        return True

    @on(InboxUpdated)
    def _updated(self) -> None:
        self.show_rows()

    def cells(self, row: "TaskRow", now: "datetime") -> tuple[Text | str, ...]:
        desk = self.desk
        count = None
        if row.closed_at is None and row.claimed_by is None:
            count = desk.store.countdown(row.claim_due_at, now)
        return (
            row.tracking_no,
            literal(row.service_code or "—"),
            literal(row.customer),
            span(max(now - row.offered_at, timedelta(0))),
            state_cell(row, count),
            when(row.sop_due_at, desk.timezone),
        )

    def show_rows(self) -> None:
        """Bring the table to the current tab, filter and rows, touching only what changed."""
        desk, table = self.desk, self.table
        now = desk.clock()
        # desk.rows is in urgency order: the head of the tab is all the table shows.
        if self.needle:
            found = [r for r in desk.rows if r.tab == self.tab and matches(r, self.needle)]
            rows, total = found[:MAX_SHOWN], len(found)
        else:
            rows = list(islice((r for r in desk.rows if r.tab == self.tab), MAX_SHOWN))
            total = desk.counts.get(self.tab, 0)
        self._say_more(total, len(rows))
        wanted = {str(r.task_id): r for r in rows}
        selected = self.selected_row()
        with self.app.batch_update():
            stale = [k.value for k in table.rows if k.value not in wanted]
            for key in stale:
                table.remove_row(key)  # type: ignore[arg-type]
            for gone in self._cells.keys() - wanted.keys():
                del self._cells[gone]
            fresh = self._read_cells(wanted, now)
            refit = self._fit_columns(list(wanted))
            for key in wanted if refit else fresh:
                self._draw(key)
            self._shown = set(wanted)
            if refit or stale:
                self._measure_columns()
            self._by_key = wanted
            if [r.key.value for r in table.ordered_rows] != list(wanted):
                rank: dict[str, int] = {}
                for index, row in enumerate(rows):
                    rank.setdefault(row.tracking_no, index)
                table.sort("tracking", key=lambda tracking: rank[str(tracking)])
            if selected is not None and str(selected.task_id) in wanted:
                table.move_cursor(row=table.get_row_index(str(selected.task_id)))
        self._count_tabs()
        self.offer_actions()

    def _read_cells(self, wanted: "dict[str, TaskRow]", now: datetime) -> list[str]:
        """The rows whose cells are new or can have changed, with their cells made afresh."""
        fresh = []
        for key, row in wanted.items():
            cached, tick = self._cells.get(key), moment(row, now)
            if cached is not None and key in self._shown and cached[:2] == (row, tick):
                continue  # same row, same moment: nothing on it can have changed
            self._cells[key] = (row, tick, self.cells(row, now))
            fresh.append(key)
        return fresh

    def _draw(self, key: str) -> None:
        table, caps = self.table, self._caps
        cells = [
            cut(cell, caps[column])
            for (column, _l), cell in zip(COLUMNS, self._cells[key][2], strict=True)
        ]
        if key not in self._shown:
            table.add_row(*cells, key=key)
            return
        for (column, _label), old, new in zip(COLUMNS, table.get_row(key), cells, strict=True):
            if old != new:
                # Measuring a cell that shrank walks its whole column: only a cell that
                # grows is measured here, and the columns after rows left or a refit.
                grows = cell_len(str(new)) > cell_len(str(old))
                table.update_cell(key, column, new, update_width=grows)

    def _measure_columns(self) -> None:
        """Columns as wide as their widest cell now: DataTable's only ever grow."""
        table = self.table
        if table.row_count == 0:
            return
        first = table.ordered_rows[0].key
        for column in table.columns:
            # Measuring one cell remeasures its column when that cell is not the widest.
            table.update_cell(first, column, table.get_cell(first, column), update_width=True)

    def _say_more(self, matching: int, shown: int) -> None:
        more = self.query_one("#more", Static)
        more.display = matching > shown
        if matching > shown:
            more.update(
                _("Showing the {shown} most urgent of {total}; press / to filter.").format(
                    shown=shown, total=matching
                )
            )

    def _count_tabs(self) -> None:
        counts = self.desk.counts
        if counts == self._counts:
            return
        self._counts = counts
        for key, label in TABS:
            if tab := self._tabs.get(key):
                number = list(self._tabs).index(key) + 1
                tab.show(numbered(number, f"{_(label)} ({counts.get(key, 0)})"))
