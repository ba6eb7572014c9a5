"""`ptsa kiosk`: the customer-facing app at the counter. No login; it shows one request at a
time, proved by its number and the phone's last four digits, and never a NIK, a name or an
officer. Its fields clear themselves a minute after each answer, for the next customer."""

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import (
    Footer,
    Header,
    Input,
    RadioButton,
    RadioSet,
    Static,
    TabbedContent,
    TabPane,
    TextArea,
)

from ptsa_tui.screens.i18n import N_, _, localise_bindings, use_language
from ptsa_tui.screens.kiosk.lookup_pane import LookupPane
from ptsa_tui.screens.kiosk.survey_pane import SurveyPane
from ptsa_tui.store.api import Conflict, InvalidInput, NotAllowed, NotFound, utc_now

if TYPE_CHECKING:
    from ptsa_tui.store.kiosk_api import KioskStore

CLEAR_AFTER = 60.0  # seconds an answer stays on the screen


class KioskApp(App[None]):
    TITLE = "PTSA Kemnaker"
    CSS = """
    .section { text-style: bold; margin: 1 0; }
    .pair { height: auto; }
    .field { width: 1fr; height: auto; }
    RadioSet.score { layout: horizontal; height: auto; }
    #comment { height: 4; }
    #status-result, #survey-result { margin: 1 0; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "clear", N_("Start again")),
    ]

    def __init__(self, store: "KioskStore", *, clock: Callable[[], datetime] = utc_now) -> None:
        use_language(store.settings.lang)
        super().__init__()
        localise_bindings(self)
        self.store = store
        self.clock = clock
        self.sub_title = _("Status and satisfaction survey")

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent():
            with TabPane(_("Status"), id="status"):
                yield LookupPane()
            with TabPane(_("Survey"), id="survey"):
                yield SurveyPane()
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#status-tracking", Input).focus()

    def refusal(self, error: BaseException | None) -> Text:
        """What the customer reads when a look-up or a survey did not go through."""
        if isinstance(error, NotAllowed):  # too many wrong tries: says how long to wait
            return Text(error.render(_), "bold")
        if isinstance(error, NotFound):
            return Text(_("No request was found for this number and phone. Please check both."))
        if isinstance(error, Conflict):
            return Text(_("This request has been rated already. Thank you!"), "bold")
        if isinstance(error, InvalidInput):
            return Text(_("This request cannot be rated yet: it is not closed."), "bold")
        return Text(_("The kiosk cannot reach the office system. Please ask at the counter."))

    def clear_later(self) -> None:
        self.set_timer(CLEAR_AFTER, self.action_clear)

    def action_clear(self) -> None:
        """Everything typed or shown goes, for the next customer."""
        for box in self.query(Input):
            box.value = ""
        for area in self.query(TextArea):
            area.text = ""
        for scores in self.query(RadioSet):
            for button in scores.query(RadioButton):
                button.value = False
        for result in ("#status-result", "#survey-result"):
            self.query_one(result, Static).update("")
