"""The SKM survey of PermenPANRB 14/2017 for the customer's own closed request: nine elements,
each rated 1-4, and a comment. A request is rated once."""

from datetime import datetime
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Static, TextArea
from textual.worker import WorkerState

from ptsa_tui.screens.cells import literal
from ptsa_tui.screens.i18n import _
from ptsa_tui.screens.kiosk.lookup_pane import proof_fields
from ptsa_tui.screens.kiosk.words import SCORES

if TYPE_CHECKING:
    from textual.worker import Worker

    from ptsa_tui.screens.kiosk.app import KioskApp


class SurveyPane(Vertical):
    @property
    def kiosk(self) -> "KioskApp":
        return cast("KioskApp", self.app)

    def compose(self) -> ComposeResult:
        yield Static(_("Satisfaction survey (SKM)"), classes="section")
        yield Static(_("Rate each part of our service from 1 (not good) to 4 (very good)."))
        yield from proof_fields("survey")
        for number, element in enumerate(self.kiosk.store.elements, start=1):
            yield Label(f"U{number}. {_(element)}")
            with RadioSet(id=f"u{number}", classes="score"):
                for score, word in enumerate(SCORES, start=1):
                    yield RadioButton(f"{score} {_(word)}", id=f"u{number}-{score}")
        yield Label(_("Comment or suggestion (optional)"))
        yield TextArea(id="comment", soft_wrap=True)
        yield Button(_("Send the survey"), id="send", variant="primary")
        yield Static("", id="survey-result")

    def scores(self) -> list[int] | None:
        """The nine ratings in order; None while one is missing."""
        chosen = []
        for number in range(1, len(self.kiosk.store.elements) + 1):
            pressed = self.query_one(f"#u{number}", RadioSet).pressed_index
            if pressed < 0:
                return None
            chosen.append(pressed + 1)
        return chosen

    @on(Button.Pressed, "#send")
    def _send(self) -> None:
        result = self.query_one("#survey-result", Static)
        scores = self.scores()
        if scores is None:
            result.update(Text(_("Please rate all nine parts first."), "bold"))
            return
        tracking = self.query_one("#survey-tracking", Input).value
        four = self.query_one("#survey-four", Input).value
        comment = self.query_one("#comment", TextArea).text.strip() or None
        result.update(Text(_("Sending…"), "dim"))
        self._rate(tracking, four, scores, comment, self.kiosk.clock())

    @work(thread=True, exclusive=True, group="survey", exit_on_error=False)
    def _rate(
        self, tracking: str, four: str, scores: list[int], comment: str | None, now: datetime
    ) -> None:
        from ptsa_tui.store.kiosk_api import Proof

        self.kiosk.store.rate(Proof(tracking, four), scores, comment, now)
        self.app.call_from_thread(self._thanked, comment)

    def on_worker_state_changed(self, event: "Worker.StateChanged") -> None:
        if event.state is WorkerState.ERROR:
            said = self.kiosk.refusal(event.worker.error)
            self.query_one("#survey-result", Static).update(said)

    def _thanked(self, comment: str | None) -> None:
        thanks = Text(_("Thank you! Your survey was recorded."), "bold green")
        if comment:
            thanks.append("\n" + _("Your comment:") + " ")
            thanks.append_text(literal(comment))
        self.query_one("#survey-result", Static).update(thanks)
        self.query_one("#survey-four", Input).value = ""
        self.kiosk.clear_later()
