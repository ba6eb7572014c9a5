"""Status look-up: the tracking number and the phone's last four digits, then the request's
state and due date. A wrong pair shows only that nothing was found."""

from datetime import datetime
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static
from textual.worker import Worker, WorkerState

from ptsa_tui.screens.cells import literal
from ptsa_tui.screens.i18n import _, current_language
from ptsa_tui.screens.kiosk.words import STATES, due_words

if TYPE_CHECKING:
    from ptsa_tui.screens.kiosk.app import KioskApp
    from ptsa_tui.store.kiosk_api import RequestStatus


def proof_fields(prefix: str) -> ComposeResult:
    """The two fields that prove a request is the customer's own."""
    with Horizontal(classes="pair"):
        with Vertical(classes="field"):
            yield Label(_("Tracking number (e.g. PTSA-2026-000123)"))
            yield Input(id=f"{prefix}-tracking", max_length=20)
        with Vertical(classes="field"):
            yield Label(_("Last 4 digits of your phone number"))
            yield Input(id=f"{prefix}-four", max_length=4, restrict=r"\d*", password=True)


class LookupPane(Vertical):
    @property
    def kiosk(self) -> "KioskApp":
        return cast("KioskApp", self.app)

    def compose(self) -> ComposeResult:
        yield Static(_("Check the status of your request"), classes="section")
        yield from proof_fields("status")
        yield Button(_("Check"), id="check", variant="primary")
        yield Static("", id="status-result")

    @on(Button.Pressed, "#check")
    @on(Input.Submitted, "#status-four")
    def _check(self) -> None:
        tracking = self.query_one("#status-tracking", Input).value
        four = self.query_one("#status-four", Input).value
        self.query_one("#status-result", Static).update(Text(_("Looking it up…"), "dim"))
        self._look_up(tracking, four, self.kiosk.clock())

    @work(thread=True, exclusive=True, group="lookup", exit_on_error=False)
    def _look_up(self, tracking: str, four: str, now: datetime) -> None:
        from ptsa_tui.store.kiosk_api import Proof

        found = self.kiosk.store.look_up(Proof(tracking, four), now)
        self.app.call_from_thread(self._show, found)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            said = self.kiosk.refusal(event.worker.error)
            self.query_one("#status-result", Static).update(said)

    def _show(self, found: "RequestStatus | None") -> None:
        result = self.query_one("#status-result", Static)
        self.query_one("#status-four", Input).value = ""  # never left for the next customer
        if found is None:
            result.update(
                Text(_("No request was found for this number and phone. Please check both."))
            )
            return
        zone, language = self.kiosk.store.timezone, current_language()
        result.update(
            Text.assemble(
                (found.tracking_no, "bold reverse"),
                "\n",
                literal(found.service),
                "\n",
                (_(STATES.get(found.state, found.state)), "bold"),
                "\n",
                _("To be done by {due}").format(due=due_words(found.sop_due_at, zone, language)),
            )
        )
        self.kiosk.clear_later()
