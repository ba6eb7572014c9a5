"""The escalation screen's dialogs: the assign picker for a task of any unit in the scope,
and the nudge's optional note."""

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static
from textual.widgets.option_list import Option

from ptsa_tui.screens.cells import literal
from ptsa_tui.screens.i18n import N_, _, localise_bindings
from ptsa_tui.screens.modals import OfficerPicker, choice
from ptsa_tui.store.api import MAX_DETAILS


class ScopeOfficerPicker(OfficerPicker):
    """Assign: the inbox's picker, offering the officers of the task's own unit, which for a
    supervisor's escalation need not be theirs."""

    def options(self) -> list[Option]:
        desk = self.desk
        assert desk.user is not None
        officers = desk.store.scope_assign_targets(desk.user, self.row.unit, desk.clock())
        here = ("● " + _("at the desk"), "green")
        return [choice(o.username, o.full_name, here if o.on_duty else None) for o in officers]


class NotePrompt(ModalScreen[str | None]):
    """An optional line of text: Enter with nothing is no note; Escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", N_("Cancel"))]

    def __init__(self, title: str, prompt: str, subject: str) -> None:
        super().__init__()
        localise_bindings(self)
        self.title_text, self.prompt, self.subject = title, prompt, subject

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            yield Label(literal(self.subject))
            yield Label(self.prompt, markup=False)
            yield Input(id="text", max_length=MAX_DETAILS)
            with Horizontal(classes="buttons"):
                yield Button(_("Send"), id="ok", variant="primary")
                yield Button(_("Cancel"), id="cancel")

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def submit(self) -> None:
        self.dismiss(self.query_one("#text", Input).value.strip())

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
