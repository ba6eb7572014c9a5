"""A customer's paper SKM form, typed in by the front office: the nine ratings and the
comment, as the customer wrote them."""

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from ptsa_tui.screens.i18n import N_, _, localise_bindings
from ptsa_tui.screens.kiosk.words import SCORES
from ptsa_tui.store.api import MAX_DETAILS, SURVEY_ELEMENTS

PaperForm = tuple[list[int], str | None]


class SurveyForm(ModalScreen[PaperForm | None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", N_("Cancel"))]

    def __init__(self, tracking_no: str) -> None:
        super().__init__()
        localise_bindings(self)
        self.tracking_no = tracking_no

    def compose(self) -> ComposeResult:
        choices = [(f"{score} {_(word)}", score) for score, word in enumerate(SCORES, start=1)]
        with Vertical(classes="dialog"):
            title = _("Paper survey form: {tracking}").format(tracking=self.tracking_no)
            yield Static(title, classes="dialog-title", markup=False)
            with VerticalScroll(id="survey-elements"):
                for number, element in enumerate(SURVEY_ELEMENTS, start=1):
                    yield Label(f"U{number}. {_(element)}")
                    yield Select(choices, id=f"u{number}", prompt="—")
                yield Label(_("Comment (optional)"))
                yield Input(id="survey-comment", max_length=MAX_DETAILS)
            yield Static("", id="problem", classes="problem")
            with Horizontal(classes="buttons"):
                yield Button(_("Save"), id="ok", variant="primary")
                yield Button(_("Cancel"), id="cancel")

    @on(Button.Pressed, "#ok")
    def submit(self) -> None:
        chosen = [
            self.query_one(f"#u{n}", Select).value for n in range(1, len(SURVEY_ELEMENTS) + 1)
        ]
        scores = [score for score in chosen if isinstance(score, int)]
        if len(scores) != len(chosen):
            self.query_one("#problem", Static).update(_("Please rate all nine parts first."))
            return
        comment = self.query_one("#survey-comment", Input).value.strip() or None
        self.dismiss((scores, comment))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
