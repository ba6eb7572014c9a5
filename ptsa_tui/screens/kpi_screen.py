"""The KPI screen (`k`): each unit's figures for a period, and the selected unit's weeks.

An officer sees their own unit; a supervisor the units they supervise; from an echelon-1
unit Enter shows its echelon-2 units (`rights.kpi_scope`). One load reads every unit of
the scope, so going down and back up needs no database.
"""

from datetime import date
from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static
from textual.worker import Worker, get_current_worker

from ptsa_tui.screens.banner import OfflineBanner
from ptsa_tui.screens.cells import literal
from ptsa_tui.screens.chrome import desk_footer, desk_header
from ptsa_tui.screens.i18n import N_, _, localise_bindings
from ptsa_tui.screens.kpi_cells import COLUMNS, unit_cells
from ptsa_tui.screens.kpi_ikm import ikm_line
from ptsa_tui.screens.kpi_period import PERIODS, BadRange, parse_range, period_range, trend_window
from ptsa_tui.screens.workers import report_failure

if TYPE_CHECKING:
    from ptsa_tui.screens.app import DeskApp
    from ptsa_tui.screens.kpi_trend import TrendPlots
    from ptsa_tui.store.api import IkmReport, KpiReport, UnitKpi, WeekKpi

CLOCKS = {"office": N_("office time"), "wall": N_("wall time")}


class KpiScreen(Screen[None]):
    DEFAULT_CSS = """
    KpiScreen #kpi-heading {
        height: 1;
        padding: 0 1;
        text-style: bold;
    }
    KpiScreen #kpi-range {
        height: auto;
        display: none;
    }
    KpiScreen #kpi-range Input {
        width: 1fr;
    }
    KpiScreen #kpi-problem {
        display: none;
        padding: 0 1;
    }
    KpiScreen #kpi-units {
        height: auto;
        max-height: 40%;
        overflow-x: hidden;  /* the names run off a narrow screen, never a scrollbar */
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", N_("Back")),
        # Priority, or the table's own Enter (not shown) would hide it from the footer.
        Binding("enter", "drill", N_("Drill down"), priority=True),
        Binding("w", "period('week')", N_("Week")),
        Binding("m", "period('month')", N_("Month")),
        Binding("9", "period('quarter')", N_("90 days")),
        Binding("r", "custom", N_("Range")),
        Binding("q", "back", N_("Back"), show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        localise_bindings(self)
        self.period = "quarter"
        self.start = self.end = date.min  # set on mount, when the app's clock is at hand
        self.report: KpiReport | None = None
        self.trends: dict[str, list[WeekKpi]] = {}
        self.ikm: IkmReport | None = None
        self.drilled_into: str | None = None  # the echelon-1 unit drilled into
        self._rows: list[UnitKpi] = []  # as the table shows them
        self._top_row = 0  # the cursor to go back to
        self._loading: Worker[None] | None = None  # the load of the period asked for last

    @property
    def desk(self) -> "DeskApp":
        return cast("DeskApp", self.app)

    @property
    def today(self) -> date:
        desk = self.desk
        return desk.clock().astimezone(desk.timezone).date()

    def compose(self) -> ComposeResult:
        yield desk_header()
        yield OfflineBanner()
        yield Static(id="kpi-heading")
        with Horizontal(id="kpi-range"):
            # Disabled while hidden, so focus never lands in them unseen.
            yield Input(placeholder=_("From (YYYY-MM-DD)"), id="kpi-from", disabled=True)
            yield Input(placeholder=_("To (YYYY-MM-DD)"), id="kpi-to", disabled=True)
        yield Static(id="kpi-problem", classes="problem")
        table: DataTable[Text | str] = DataTable(
            id="kpi-units", cursor_type="row", zebra_stripes=True
        )
        for key, label in COLUMNS:
            table.add_column(_(label), key=key)
        yield table
        yield Static(id="kpi-ikm")
        # Here, not at the top: the plots bring numpy, which the desk loads only for this.
        from ptsa_tui.screens.kpi_trend import TrendPlots

        yield TrendPlots(id="kpi-trend")
        yield desk_footer()

    def on_mount(self) -> None:
        self.sub_title = self.desk.who
        self.start, self.end = period_range(self.period, self.today)
        self.table.focus()
        self._say_period()
        self.load_period()

    @property
    def table(self) -> "DataTable[Text | str]":
        return self.query_one("#kpi-units", DataTable)

    @property
    def trend(self) -> "TrendPlots":
        return cast("TrendPlots", self.query_one("#kpi-trend"))

    # -- loading -----------------------------------------------------------------------

    def load_period(self) -> None:
        self.table.loading = True
        self.trend.loading = True
        self._loading = self.load(self.start, self.end)

    @work(thread=True, exclusive=True, group="kpi", exit_on_error=False)
    def load(self, start: date, end: date) -> None:
        desk = self.desk
        user = desk.user
        assert user is not None
        now = desk.clock()
        report = desk.store.kpis(user, start=start, end=end, now=now)
        first, last = trend_window(start, end)
        units = [row.unit for row in report.units]
        trends = desk.store.kpi_trend(user, start=first, end=last, units=units, now=now)
        ikm = desk.store.ikm(user, start=start, end=end, units=units)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._loaded, report, trends, ikm)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        report_failure(self, event, self._load_failed)

    def _load_failed(self, worker: Worker[object]) -> None:
        if worker is not self._loading:
            return  # an earlier period's load: the one asked for since still runs
        self.table.loading = False
        self.trend.loading = False
        if self.report is None:
            self.query_one("#kpi-heading", Static).update(
                Text(_("The KPIs could not be loaded. Choose a period to try again."))
            )

    def _loaded(
        self, report: "KpiReport", trends: "dict[str, list[WeekKpi]]", ikm: "IkmReport"
    ) -> None:
        if (report.start, report.end) != (self.start, self.end):
            return  # a period since left
        self.report, self.trends, self.ikm = report, trends, ikm
        self.table.loading = False
        self.trend.loading = False
        self.table.focus()  # loading took it away
        self._say_period()
        self.show_rows()

    # -- the table ---------------------------------------------------------------------

    def _children(self, code: str) -> "list[UnitKpi]":
        units = self.report.units if self.report else []
        return [u for u in units if u.parent == code]

    def _view(self) -> "list[UnitKpi]":
        """The rows of the level shown: the scope's top units, or one unit's echelon-2 units."""
        if self.report is None:
            return []
        if self.drilled_into is not None:
            return self._children(self.drilled_into)
        codes = {u.unit for u in self.report.units}
        return [u for u in self.report.units if u.parent not in codes]

    def show_rows(self, cursor: int | None = None) -> None:
        table, zone = self.table, self.desk.timezone
        at = table.cursor_row if cursor is None else cursor
        self._rows = self._view()
        with self.app.batch_update():
            table.clear()
            for row in self._rows:
                drills = self.drilled_into is None and bool(self._children(row.unit))
                table.add_row(*unit_cells(row, zone, drills=drills), key=row.unit)
            if self._rows:
                table.move_cursor(row=min(at, len(self._rows) - 1))
        self._show_trend()
        self.refresh_bindings()

    def selected(self) -> "UnitKpi | None":
        table = self.table
        if not self._rows or not 0 <= table.cursor_row < len(self._rows):
            return None
        return self._rows[table.cursor_row]

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self._show_trend()
        self.refresh_bindings()

    def _show_trend(self) -> None:
        row = self.selected()
        if row is not None:
            trend = self.trends.get(row.unit, [])
            self.trend.show(row.unit, row.name, row.tier, trend)
        line = ikm_line(self.ikm, row.unit if row is not None else None)
        self.query_one("#kpi-ikm", Static).update(line)

    def _say_period(self) -> None:
        clock = self.report.clock if self.report else self.desk.settings.office.sla_clock
        heading = Text.assemble(
            (_("KPIs"), "bold"),
            " · ",
            _(PERIODS[self.period]),
            f" {self.start:%d/%m/%Y} – {self.end:%d/%m/%Y} · ",
            (_(CLOCKS.get(clock, clock)), ""),
        )
        if self.drilled_into is not None:
            heading.append(" · ")
            heading.append(literal(self.drilled_into, style="reverse"))
            heading.append(" ▸ ")
            heading.append(_("echelon-2 units"))
        self.query_one("#kpi-heading", Static).update(heading)

    # -- keys --------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "drill":
            if isinstance(self.focused, Input):
                return False  # Enter submits the range
            row = self.selected()
            return self.drilled_into is None and row is not None and bool(self._children(row.unit))
        return True

    @on(DataTable.RowSelected)
    def action_drill(self) -> None:
        row = self.selected()
        if self.drilled_into is not None or row is None or not self._children(row.unit):
            return
        self._top_row = self.table.cursor_row
        self.drilled_into = row.unit
        self._say_period()
        self.show_rows(cursor=0)

    def action_back(self) -> None:
        if self.query_one("#kpi-range").display:
            self._close_range()
        elif self.drilled_into is not None:
            self.drilled_into = None
            self._say_period()
            self.show_rows(cursor=self._top_row)
        else:
            self.app.pop_screen()

    def action_period(self, choice: str) -> None:
        self._close_range()
        self.period = choice
        self.start, self.end = period_range(choice, self.today)
        self._say_period()
        self.load_period()

    # -- a custom range ----------------------------------------------------------------

    def action_custom(self) -> None:
        self.query_one("#kpi-range").display = True
        for box in self.query("#kpi-range Input"):
            box.disabled = False
        self.query_one("#kpi-from", Input).value = self.start.isoformat()
        self.query_one("#kpi-to", Input).value = self.end.isoformat()
        self.query_one("#kpi-from", Input).focus()

    def _close_range(self) -> None:
        self.query_one("#kpi-range").display = False
        for box in self.query("#kpi-range Input"):
            box.disabled = True
        self.query_one("#kpi-problem").display = False
        self.table.focus()

    @on(Input.Submitted, "#kpi-from")
    def _from_done(self) -> None:
        self.query_one("#kpi-to", Input).focus()

    @on(Input.Submitted, "#kpi-to")
    def _range_done(self) -> None:
        problem = self.query_one("#kpi-problem", Static)
        try:
            start, end = parse_range(
                self.query_one("#kpi-from", Input).value,
                self.query_one("#kpi-to", Input).value,
                self.today,
            )
        except BadRange as error:
            problem.update(literal(str(error)))
            problem.display = True
            return
        self._close_range()
        self.period, self.start, self.end = "custom", start, end
        self._say_period()
        self.load_period()
