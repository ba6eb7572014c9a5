"""The supervisors' escalation screen (`e`): every breached and at-risk task in their units,
live, with its alerts; who is on duty; whether the alert daemon is running.

It follows the live link like the inbox, for every unit of the scope: a change there re-reads
only that request, and the table is diffed by row key (never cleared and refilled). A tick on
the app's clock re-reads the lot, since time alone puts tasks at risk and makes them late.
"""

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static
from textual.worker import Worker

from ptsa_tui.screens.banner import OfflineBanner
from ptsa_tui.screens.chrome import desk_footer, desk_header
from ptsa_tui.screens.errors import describe
from ptsa_tui.screens.escalation_cells import (
    COLUMNS,
    daemon_banner,
    daemon_line,
    detail,
    duty_text,
    row_cells,
)
from ptsa_tui.screens.i18n import N_, _, localise_bindings
from ptsa_tui.screens.inbox_feed import InboxFeed
from ptsa_tui.screens.inbox_table import InboxTable
from ptsa_tui.screens.messages import InboxUpdated
from ptsa_tui.screens.workers import report_failure
from ptsa_tui.store.api import NotAllowed

if TYPE_CHECKING:
    from rich.text import Text

    from ptsa_tui.screens.app import DeskApp
    from ptsa_tui.store.api import Change, DaemonHealth, Escalation, Escalations, OnDuty

TICK = 10.0  # seconds: deadlines, the daemon's heartbeat and who is on duty, read again
MAX_SHOWN = 200  # the most overdue; the summary counts them all
ACTIONS = {
    "assign": N_("Assign"),
    "acknowledge": N_("Acknowledge"),
    "nudge": N_("Nudge"),
}


def offered(app: "DeskApp") -> bool:
    """`e` is for supervisors, from a desk screen (not a dialog, nor this screen itself)."""
    user = app.user
    if user is None or not app.store.may_supervise(user):
        return False
    return not isinstance(app.screen, ModalScreen | EscalationScreen)


def merged(
    rows: "list[Escalation]", changed: set[int], fresh: "list[Escalation]"
) -> "list[Escalation]":
    """`rows` with those of the `changed` requests replaced by `fresh`, most overdue first."""
    kept = [e for e in rows if e.row.request_id not in changed] + fresh
    return sorted(kept, key=lambda e: (e.row.claim_due_at, e.row.task_id))


class EscalationScreen(Screen[None]):
    CSS_PATH = "escalation.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", N_("Open")),
        Binding("a", "act('assign')", ACTIONS["assign"]),
        Binding("g", "act('acknowledge')", ACTIONS["acknowledge"]),
        Binding("u", "act('nudge')", ACTIONS["nudge"]),
        Binding("escape", "back", N_("Back")),
    ]

    def __init__(self) -> None:
        super().__init__()
        localise_bindings(self)
        self.rows: list[Escalation] = []  # most overdue first
        self.units: tuple[str, ...] = ()  # the scope's unit codes
        self.unit_ids: frozenset[int] | None = None  # None until the first read
        self.loads = 0  # full reads applied
        self.health: DaemonHealth | None = None
        self.duty: list[OnDuty] = []
        self._cells: dict[str, tuple[Escalation, tuple[Text | str, ...]]] = {}
        self._offered: tuple[frozenset[str], bool] | None = None
        self.feed: InboxFeed[Escalations] = InboxFeed(self._read, self._deliver, self._failed)

    @property
    def desk(self) -> "DeskApp":
        return cast("DeskApp", self.app)

    def compose(self) -> ComposeResult:
        yield desk_header()
        yield OfflineBanner()
        yield Static("", id="daemon-banner")
        yield Static("", id="daemon")
        yield Static(_("Loading…"), id="summary")
        table = InboxTable(id="escalations", cursor_type="row", zebra_stripes=True)
        for key, label in COLUMNS:
            table.add_column(_(label), key=key)
        yield table
        yield Static("", id="detail")
        yield Static("", id="duty")
        yield desk_footer()

    def on_mount(self) -> None:
        self.title, self.sub_title = _("Escalations"), self.desk.who
        user = self.desk.user
        if user is None or not self.desk.store.may_supervise(user):
            self.app.pop_screen()  # the store would refuse every read anyway
            return
        self.table.focus()
        self.desk.followers.add(self._heard)
        self.feed.start()
        self.feed.want_all()
        self.check_health()
        self.set_interval(TICK, self.tick)

    def on_unmount(self) -> None:
        self.desk.followers.discard(self._heard)
        self.feed.stop()

    @property
    def table(self) -> InboxTable:
        return self.query_one("#escalations", InboxTable)

    # -- live ------------------------------------------------------------------------

    def _heard(self, change: "Change") -> None:
        """From the live link's thread: a change in one of my units re-reads its request."""
        if change.request_id is None:  # the rules (calendar, SLAs) changed: every deadline
            self.feed.want_all()
        elif self.unit_ids is None or change.unit_id in self.unit_ids:
            self.feed.want({change.request_id})

    def tick(self) -> None:
        """Time alone makes tasks late and puts new ones at risk: read everything again."""
        self.feed.want_all()
        self.check_health()

    @on(InboxUpdated)
    def _inbox_reloaded(self, message: InboxUpdated) -> None:
        if message.requests is None:  # after a reconnect and the safety-net poll
            self.feed.want_all()

    def _read(self, request_ids: set[int] | None) -> "Escalations":
        """In the feed's thread."""
        user = self.desk.user
        assert user is not None
        return self.desk.store.escalations(user, self.desk.clock(), request_ids)

    def _deliver(self, changed: set[int] | None, found: "Escalations") -> None:
        self.app.call_from_thread(self._loaded, changed, found)

    def _failed(self, error: Exception) -> None:
        self.app.call_from_thread(self._read_failed, error)

    def _read_failed(self, error: Exception) -> None:
        self.notify(describe(error), severity="error", timeout=8)
        if isinstance(error, NotAllowed) and self.is_current:
            self.app.pop_screen()  # no longer a supervisor: nothing here is theirs

    def _loaded(self, changed: set[int] | None, found: "Escalations") -> None:
        if not self.is_attached:
            return
        if changed is None:
            self.rows = found.rows
            self.loads += 1
        else:
            self.rows = merged(self.rows, changed, found.rows)
        self.units = tuple(u.code for u in found.units)
        self.unit_ids = frozenset(u.id for u in found.units)
        self.show_rows()

    @work(thread=True, exclusive=True, group="escalation-health", exit_on_error=False)
    def check_health(self) -> None:
        desk = self.desk
        user = desk.user
        assert user is not None
        now = desk.clock()
        try:
            health, duty = desk.store.daemon_health(now), desk.store.on_duty(user, now)
        except NotAllowed:  # the rows' reader says so, and leaves the screen
            return
        self.app.call_from_thread(self._show_health, health, duty, now)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        report_failure(self, event, lambda _worker: None)

    # -- showing -----------------------------------------------------------------------

    def _show_health(self, health: "DaemonHealth", duty: "list[OnDuty]", now: datetime) -> None:
        if not self.is_attached:
            return
        self.health, self.duty = health, duty
        zone = self.desk.timezone
        down = not health.healthy
        self.set_class(down, "-daemon-down")
        banner = self.query_one("#daemon-banner", Static)
        line = self.query_one("#daemon", Static)
        if down:
            banner.update(daemon_banner(health, now, zone))
        else:
            line.update(daemon_line(health, now, zone))
        self.query_one("#duty", Static).update(duty_text(duty, now))

    def show_rows(self) -> None:
        """Bring the table to `rows`, touching only the cells and rows that changed."""
        table, zone = self.table, self.desk.timezone
        shown = self.rows[:MAX_SHOWN]
        wanted = {str(e.row.task_id): e for e in shown}
        selected = self.selected()
        with self.app.batch_update():
            for stale in [k.value for k in table.rows if k.value not in wanted]:
                table.remove_row(stale)  # type: ignore[arg-type]
            for key, escalation in wanted.items():
                kept = self._cells.get(key)
                if kept is not None and kept[0] is escalation:
                    continue  # the same read's row: nothing on it changed
                cells = row_cells(escalation, zone)
                if kept is None:
                    table.add_row(*cells, key=key)
                else:
                    for (column, _label), old, new in zip(COLUMNS, kept[1], cells, strict=True):
                        if old != new:
                            table.update_cell(key, column, new)
                self._cells[key] = (escalation, cells)
            for gone in self._cells.keys() - wanted.keys():
                del self._cells[gone]
            if [r.key.value for r in table.ordered_rows] != list(wanted):
                rank = {e.row.tracking_no: index for index, e in enumerate(shown)}
                table.sort("tracking", key=lambda tracking: rank[str(tracking)])
            if selected is not None and str(selected.row.task_id) in wanted:
                table.move_cursor(row=table.get_row_index(str(selected.row.task_id)))
        self._summarise(len(shown))
        self._show_detail()
        self.offer_actions()

    def _summarise(self, shown: int) -> None:
        late = sum(1 for e in self.rows if e.countdown.level == "late")
        words = _("{late} late · {at_risk} at risk · in {units}").format(
            late=late, at_risk=len(self.rows) - late, units=", ".join(self.units) or "—"
        )
        if len(self.rows) > shown:
            words += " · " + _("showing the {shown} most overdue").format(shown=shown)
        self.query_one("#summary", Static).update(words)

    def _show_detail(self) -> None:
        escalation = self.selected()
        pane = self.query_one("#detail", Static)
        if escalation is None:
            pane.update(_("Nothing is late or at risk in your units."))
        else:
            pane.update(detail(escalation, self.desk.timezone))

    # -- selection and actions ---------------------------------------------------------

    def selected(self) -> "Escalation | None":
        table = self.table
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        kept = self._cells.get(key or "")
        return kept[0] if kept else None

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self._show_detail()
        self.offer_actions()

    def allowed(self) -> frozenset[str]:
        escalation, user = self.selected(), self.desk.user
        if escalation is None or user is None:
            return frozenset()
        return self.desk.store.escalation_actions(user, escalation)

    def offer_actions(self) -> None:
        offered_now = (self.allowed(), self.desk.online)
        if offered_now != self._offered:
            self._offered = offered_now
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "act":
            if str(parameters[0]) not in self.allowed():
                return False
            return True if self.desk.online else None  # offline: shown, disabled
        if action == "open":
            return self.selected() is not None
        return True

    def palette_commands(self) -> list[tuple[str, str]]:
        """For the command palette: the actions offered on the selected task now."""
        return [
            (_(label), f"act('{name}')")
            for name, label in ACTIONS.items()
            if self.check_action("act", (name,)) is True
        ]

    @on(DataTable.RowSelected)
    def action_open(self) -> None:
        from ptsa_tui.screens.request_screen import RequestScreen

        escalation = self.selected()
        if escalation is not None:
            self.app.push_screen(RequestScreen(escalation.row.task_id, escalation.row.request_id))

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_act(self, name: str) -> None:
        from ptsa_tui.screens.escalation_modals import NotePrompt, ScopeOfficerPicker

        escalation, user = self.selected(), self.desk.user
        if escalation is None or user is None or self.check_action("act", (name,)) is not True:
            return
        store, clock = self.desk.store, self.desk.clock
        row = escalation.row
        task, request = row.task_id, row.request_id
        done = _("{action}: {tracking}").format(action=_(ACTIONS[name]), tracking=row.tracking_no)
        if name == "acknowledge":
            self.perform(lambda: store.acknowledge(user, task, clock()), done, request)
        elif name == "assign":

            def assign(to: str | None) -> None:
                if to is not None:
                    self.perform(
                        lambda: store.assign(task_id=task, to=to, by=user.officer_id, now=clock()),
                        done,
                        request,
                    )

            self.app.push_screen(ScopeOfficerPicker(row), assign)
        elif name == "nudge":

            def nudge(note: str | None) -> None:
                if note is not None:
                    self.perform(
                        lambda: store.nudge(user, task, note or None, clock()), done, request
                    )

            prompt = NotePrompt(
                _("Nudge"),
                _("A note for the unit's desks (optional)"),
                f"{row.tracking_no} · {row.unit}",
            )
            self.app.push_screen(prompt, nudge)

    @work(thread=True, group="escalation-action", exit_on_error=False)
    def perform(self, act: Callable[[], object], done: str, request_id: int) -> None:
        """One workflow call; say what happened, then re-read its request."""
        try:
            act()
        except Exception as error:
            self.app.call_from_thread(self.notify, describe(error), severity="error", timeout=8)
            return
        self.app.call_from_thread(self.notify, done, markup=False)
        # The NOTIFY brings this too, but a screen without its live link must still see it.
        self.feed.want({request_id})
        self.desk.refresh_requests({request_id})
