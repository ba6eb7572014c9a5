"""Small dialogs that return a value: a reason/answer prompt, the dispatch, transfer and
assign pickers, and the intake receipt."""

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker

from ptsa_tui.screens.cells import literal
from ptsa_tui.screens.i18n import N_, _, localise_bindings
from ptsa_tui.screens.workers import report_failure
from ptsa_tui.store.api import MAX_DETAILS

if TYPE_CHECKING:
    from ptsa_tui.screens.app import DeskApp
    from ptsa_tui.store.api import TaskRow, UnitChoice

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
            yield Static(self.prompt, markup=False)  # wraps, unlike Label
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


class _Picker(ModalScreen[str | None]):
    """A list of choices loaded in a worker; enter picks one and returns its id."""

    BINDINGS: ClassVar[list[BindingType]] = _CANCEL
    heading = ""

    def __init__(self, row: "TaskRow") -> None:
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
            yield OptionList(id="choices")
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
        options = self.options()
        self.app.call_from_thread(self._show, options)

    def options(self) -> list[Option]:
        """In the worker: the choices, each an Option whose id is what picking it returns."""
        raise NotImplementedError

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        report_failure(self, event, self._load_failed)

    def _load_failed(self, _worker: Worker[object]) -> None:
        self.query_one(OptionList).loading = False
        self.query_one("#cancel", Button).focus()

    def _show(self, options: list[Option]) -> None:
        choices = self.query_one(OptionList)
        choices.loading = False
        choices.add_options(options)
        if options:
            choices.highlighted = 0
        choices.focus()

    def picked(self) -> str | None:
        choices = self.query_one(OptionList)
        if choices.highlighted is None:
            return None
        return choices.get_option_at_index(choices.highlighted).id

    @on(OptionList.OptionSelected)
    def _option_selected(self) -> None:
        self.chosen()  # a handler @on binds is the base's own: subclasses override this

    def chosen(self) -> None:
        self.submit()

    @on(Button.Pressed, "#ok")
    def submit(self) -> None:
        choice = self.picked()
        if choice is not None:
            self.finish(choice)

    def finish(self, choice: str) -> None:
        self.dismiss(choice)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


def choice(key: str, name: str, mark: tuple[str, str] | None = None) -> Option:
    """One line of a picker: the key in bold, the name as typed, an optional coloured mark."""
    label = Text.assemble((key, "bold"), "  ", literal(name))
    if mark is not None:
        label.append("  " + mark[0], style=mark[1])
    return Option(label, id=key)


def unit_options(units: "list[UnitChoice]") -> list[Option]:
    owner = ("★ " + _("service owner"), "yellow")
    return [choice(u.code, u.name, owner if u.owns_service else None) for u in units]


class UnitPicker(_Picker):
    """Transfer: another unit of the same tier."""

    @property
    def heading(self) -> str:  # type: ignore[override]
        return _("Transfer to which unit?")

    def options(self) -> list[Option]:
        assert self.desk.user is not None
        return unit_options(self.desk.store.transfer_targets(self.desk.user))


class OfficerPicker(_Picker):
    """Assign (supervisors): an officer of my unit, those at their desks first."""

    @property
    def heading(self) -> str:  # type: ignore[override]
        return _("Assign to which officer?")

    def options(self) -> list[Option]:
        desk = self.desk
        assert desk.user is not None
        officers = desk.store.assign_targets(desk.user, desk.clock())
        here = ("● " + _("at the desk"), "green")
        return [choice(o.username, o.full_name, here if o.on_duty else None) for o in officers]


class DispatchModal(_Picker):
    """Dispatch: the echelon-2 units under my unit, the service owner first, and a note.

    Returns the unit's code; the note is left in `note`.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        *_CANCEL,
        Binding("ctrl+s", "send", N_("Send"), priority=True),
    ]
    note = ""

    @property
    def heading(self) -> str:  # type: ignore[override]
        return _("Dispatch to which unit?")

    def chosen(self) -> None:
        """Enter on a unit goes on to the note; ctrl+s, OK or Enter in the note sends."""
        self.query_one("#note", Input).focus()

    def action_send(self) -> None:
        self.submit()

    def extra(self) -> ComposeResult:
        yield Label(_("Note (optional)"))
        yield Input(id="note", max_length=MAX_DETAILS)

    def options(self) -> list[Option]:
        assert self.desk.user is not None
        return unit_options(self.desk.store.dispatch_targets(self.desk.user, self.row))

    @on(Input.Submitted, "#note")
    def note_done(self) -> None:
        self.submit()

    def finish(self, choice: str) -> None:
        self.note = self.query_one("#note", Input).value
        self.dismiss(choice)


class Confirm(ModalScreen[bool]):
    """A yes or no before a step that cannot be taken back."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "answer(False)", N_("Cancel")),
        Binding("y", "answer(True)", N_("Yes"), show=False),
        Binding("n", "answer(False)", N_("No"), show=False),
    ]

    def __init__(self, title: str, question: str, verb: str) -> None:
        super().__init__()
        localise_bindings(self)
        self.title_text, self.question, self.verb = title, question, verb

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            yield Static(self.question, classes="question", markup=False)  # wraps, unlike Label
            with Horizontal(classes="buttons"):
                yield Button(self.verb, id="yes", variant="warning")
                yield Button(_("Cancel"), id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()  # Enter alone never closes a request

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


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
