"""The inbox of one position: Queue, Mine, Team, Done (and for P0, answers to deliver).

The table is diffed by row key inside `batch_update`: changed cells are updated, new rows
added, only stale rows removed. It is never cleared and refilled.
"""

from datetime import datetime
from itertools import islice
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer, Header, Input, Static, Tabs

from ptsa_tui.screens.actions import ActionScreen
from ptsa_tui.screens.banner import OfflineBanner
from ptsa_tui.screens.cells import literal, span, state_cell, when
from ptsa_tui.screens.counted_tab import CountedTab
from ptsa_tui.screens.i18n import N_, _, localise_bindings
from ptsa_tui.screens.inbox_table import InboxTable
from ptsa_tui.screens.messages import InboxUpdated
from ptsa_tui.store.api import Position

if TYPE_CHECKING:
    from ptsa_tui.store.api import TaskRow

COLUMNS = (
    ("tracking", N_("Tracking no.")),
    ("service", N_("Service")),
    ("customer", N_("Customer")),
    ("age", N_("Age")),
    ("claim", N_("Claim deadline")),
    ("sop", N_("SOP due")),
)
TABS = (
    ("queue", N_("Queue")),
    ("mine", N_("Mine")),
    ("team", N_("Team")),
    ("done", N_("Done")),
    ("deliver", N_("To deliver")),
)
CUSTOMER_WIDTH = 18
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


class InboxScreen(ActionScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", N_("Open"), show=True),
        Binding("n", "new", N_("New request")),
        Binding("slash", "filter", N_("Filter"), key_display="/"),
        Binding("escape", "unfilter", N_("Clear filter"), show=False),
        Binding("q", "quit", N_("Quit")),
    ]

    def __init__(self) -> None:
        super().__init__()
        localise_bindings(self)
        self.tab = "queue"
        self.needle = ""
        self._shown: set[str] = set()
        self._by_key: dict[str, TaskRow] = {}
        self._cells: dict[str, tuple[TaskRow, datetime, tuple[Text | str, ...]]] = {}
        self._counts: dict[str, int] | None = None
        self._tabs: dict[str, CountedTab] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield OfflineBanner()
        user = self.desk.user
        shown = TABS if user is not None and user.position is Position.P0 else TABS[:-1]
        self._tabs = {key: CountedTab(_(label), id=key) for key, label in shown}
        yield Tabs(*self._tabs.values())
        yield Input(placeholder=_("Filter: tracking no., service, customer, subject"), id="filter")
        table = InboxTable(id="inbox", cursor_type="row", zebra_stripes=True)
        for key, label in COLUMNS:
            table.add_column(_(label), key=key)
        yield table
        yield Static("", id="more")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#filter", Input).display = False
        self.query_one(DataTable).focus()
        self.show_rows()

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

    @on(InboxUpdated)
    def _updated(self) -> None:
        self.show_rows()

    def cells(self, row: "TaskRow", now: "datetime") -> tuple[Text | str, ...]:
        desk = self.desk
        count = None
        if row.closed_at is None and row.claimed_by is None:
            count = desk.store.countdown(row.claim_due_at, now)
        customer = literal(row.customer)
        customer.truncate(CUSTOMER_WIDTH, overflow="ellipsis")
        return (
            row.tracking_no,
            literal(row.service_code or "—"),
            customer,
            span(now - row.offered_at),
            state_cell(row, count),
            when(row.sop_due_at, desk.timezone),
        )

    def show_rows(self) -> None:
        """Bring the table to the current tab, filter and rows, touching only what changed."""
        desk, table = self.desk, self.table
        # Ages and countdowns read in minutes, so a row's cells change at most once a minute.
        now = desk.loaded_at.replace(second=0, microsecond=0)
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
            for stale in [k.value for k in table.rows if k.value not in wanted]:
                table.remove_row(stale)  # type: ignore[arg-type]
            for key, row in wanted.items():
                cached = self._cells.get(key)
                if cached is not None and key in self._shown and cached[:2] == (row, now):
                    continue  # same row, same minute: nothing on it can have changed
                cells = self.cells(row, now)
                self._cells[key] = (row, now, cells)
                if key in self._shown:
                    current = table.get_row(key)
                    for (column, _label), old, new in zip(COLUMNS, current, cells, strict=True):
                        if old != new:
                            table.update_cell(key, column, new)
                else:
                    table.add_row(*cells, key=key)
            self._shown = set(wanted)
            self._by_key = wanted
            for gone in self._cells.keys() - self._shown:
                del self._cells[gone]
            if [r.key.value for r in table.ordered_rows] != list(wanted):
                rank: dict[str, int] = {}
                for index, row in enumerate(rows):
                    rank.setdefault(row.tracking_no, index)
                table.sort("tracking", key=lambda tracking: rank[str(tracking)])
            if selected is not None and str(selected.task_id) in wanted:
                table.move_cursor(row=table.get_row_index(str(selected.task_id)))
        self._count_tabs()
        self.offer_actions()

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
                tab.show(f"{_(label)} ({counts.get(key, 0)})")
