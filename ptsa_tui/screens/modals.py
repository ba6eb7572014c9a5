"""Small dialogs that return a value: a reason/answer prompt, the dispatch and transfer
pickers, and the intake receipt."""

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from ptsa_tui.screens.cells import literal
from ptsa_tui.screens.i18n import N_, _, localise_bindings
from ptsa_tui.store.inputs import MAX_DETAILS

if TYPE_CHECKING:
    from ptsa_tui.screens.app import DeskApp
    from ptsa_tui.store.desk_lookups import UnitChoice
    from ptsa_tui.store.inbox import InboxRow

_CANCEL: list[BindingType] = [Binding("escape", "cancel", N_("Cancel"))]


class TextPrompt(ModalScreen[str | None]):
    """One line of required text: a reason, an answer, a message."""

    BINDINGS: ClassVar[list[BindingType]] = _CANCEL

    def __init__(self, title: str, prompt: str) -> None:
        super().__init__()
        localise_bindings(self)
        self.title_text, self.prompt = title, prompt

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            yield Label(self.prompt, markup=False)
            yield Input(id="text", max_length=MAX_DETAILS)
            yield Static("", id="problem", classes="problem")
            with Horizontal(classes="buttons"):
                yield Button(_("OK"), id="ok", variant="primary")
                yield Button(_("Cancel"), id="cancel")

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def submit(self) -> None:
        text = self.query_one("#text", Input).value
        if not text.strip():
            self.query_one("#problem", Static).update(_("This cannot be empty."))
            return
        self.dismiss(text)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class _UnitList(ModalScreen[str | None]):
    """A list of units loaded in a worker; enter picks one."""

    BINDINGS: ClassVar[list[BindingType]] = _CANCEL
    heading = ""

    def __init__(self, row: "InboxRow") -> None:
        super().__init__()
        localise_bindings(self)
        self.row = row

    @property
    def desk(self) -> "DeskApp":
        from ptsa_tui.screens.app import DeskApp

        assert isinstance(self.app, DeskApp)
        return self.app

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.heading, classes="dialog-title", markup=False)
            yield Label(literal(f"{self.row.tracking_no} · {self.row.service_name or '—'}"))
            yield OptionList(id="units")
            yield from self.extra()
            with Horizontal(classes="buttons"):
                yield Button(_("OK"), id="ok", variant="primary")
                yield Button(_("Cancel"), id="cancel")

    def extra(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        self.query_one(OptionList).loading = True
        self._load()

    @work(thread=True, exit_on_error=False)
    def _load(self) -> None:
        choices = self.targets()
        self.app.call_from_thread(self._show, choices)

    def targets(self) -> "list[UnitChoice]":
        raise NotImplementedError

    def _show(self, choices: "list[UnitChoice]") -> None:
        units = self.query_one(OptionList)
        units.loading = False
        for choice in choices:
            label = Text.assemble(
                (choice.code, "bold"),
                "  ",
                literal(choice.name),
                ("  ★ " + _("service owner"), "yellow") if choice.owns_service else "",
            )
            units.add_option(Option(label, id=choice.code))
        if choices:
            units.highlighted = 0
        units.focus()

    def picked(self) -> str | None:
        units = self.query_one(OptionList)
        if units.highlighted is None:
            return None
        return units.get_option_at_index(units.highlighted).id

    @on(OptionList.OptionSelected)
    @on(Button.Pressed, "#ok")
    def submit(self) -> None:
        code = self.picked()
        if code is not None:
            self.finish(code)

    def finish(self, code: str) -> None:
        self.dismiss(code)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class UnitPicker(_UnitList):
    """Transfer: another unit of the same tier."""

    @property
    def heading(self) -> str:  # type: ignore[override]
        return _("Transfer to which unit?")

    def targets(self) -> "list[UnitChoice]":
        from ptsa_tui.store.desk_lookups import transfer_targets

        assert self.desk.user is not None
        return transfer_targets(self.desk.engine, unit_id=self.desk.user.unit_id)


class DispatchModal(_UnitList):
    """Dispatch: the echelon-2 units under my unit, the service owner first, and a note.

    Returns the unit's code; the note is left in `note`.
    """

    note = ""

    @property
    def heading(self) -> str:  # type: ignore[override]
        return _("Dispatch to which unit?")

    def extra(self) -> ComposeResult:
        yield Label(_("Note (optional)"))
        yield Input(id="note", max_length=MAX_DETAILS)

    def targets(self) -> "list[UnitChoice]":
        from ptsa_tui.store.desk_lookups import dispatch_targets

        assert self.desk.user is not None
        return dispatch_targets(
            self.desk.engine, unit_id=self.desk.user.unit_id, service_code=self.row.service_code
        )

    @on(Input.Submitted, "#note")
    def note_done(self) -> None:
        self.submit()

    def finish(self, code: str) -> None:
        self.note = self.query_one("#note", Input).value
        self.dismiss(code)


class Receipt(ModalScreen[None]):
    """After intake: the tracking number and a text to give the customer."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", N_("Close"))]

    def __init__(self, tracking_no: str, text: str) -> None:
        super().__init__()
        localise_bindings(self)
        self.tracking_no, self.text = tracking_no, text

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(_("Request registered"), classes="dialog-title")
            yield Static(Text(self.tracking_no, style="bold reverse"), id="tracking")
            yield Static(literal(self.text), id="receipt")
            with Horizontal(classes="buttons"):
                yield Button(_("OK"), id="ok", variant="primary")

    @on(Button.Pressed, "#ok")
    def action_close(self) -> None:
        self.dismiss(None)
