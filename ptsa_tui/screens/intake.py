"""P0 intake: find or enter the customer, pick the service, subject, details and channel;
save shows the tracking number and a receipt text for the customer."""

from typing import TYPE_CHECKING, Any, ClassVar, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import (
    Button,
    Checkbox,
    Input,
    Label,
    OptionList,
    Select,
    Static,
    TextArea,
)
from textual.widgets.option_list import Option
from textual.worker import Worker

from ptsa_tui.screens.banner import OfflineBanner
from ptsa_tui.screens.cells import literal, when
from ptsa_tui.screens.chrome import desk_footer, desk_header
from ptsa_tui.screens.errors import describe
from ptsa_tui.screens.i18n import N_, _, localise_bindings
from ptsa_tui.screens.workers import report_failure
from ptsa_tui.store.api import MAX_NAME, MAX_SUBJECT, Channel

if TYPE_CHECKING:
    from ptsa_tui.screens.app import DeskApp
    from ptsa_tui.store.api import Customer, Registered, ServiceChoice

# Where each input field's problem is shown.
FIELD_OF = {
    ("customer", "name"): "name",
    ("customer", "phone"): "phone",
    ("customer", "nik"): "nik",
    ("customer", "email"): "email",
    ("customer", "organisation"): "organisation",
    ("subject",): "subject",
    ("details",): "details",
    ("channel",): "channel",
    ("service_code",): "service",
}


class IntakeScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", N_("Save")),
        Binding("escape", "back", N_("Cancel")),
    ]

    def __init__(self) -> None:
        super().__init__()
        localise_bindings(self)
        self.services: list[ServiceChoice] = []
        self.service: ServiceChoice | None = None
        self.customer_id: int | None = None

    @property
    def desk(self) -> "DeskApp":
        return cast("DeskApp", self.app)

    def compose(self) -> ComposeResult:
        yield desk_header()
        yield OfflineBanner()
        with VerticalScroll(id="intake"):
            yield Static(_("New request"), classes="section")
            with Horizontal(classes="pair"):
                yield from self._field("phone", _("Phone"), Input(id="phone", max_length=30))
                yield from self._field("nik", _("NIK"), Input(id="nik", max_length=16))
            yield Static("", id="lookup", classes="hint")
            yield from self._field(
                "name", _("Customer name"), Input(id="name", max_length=MAX_NAME)
            )
            with Horizontal(classes="pair"):
                yield from self._field("email", _("Email"), Input(id="email", max_length=254))
                yield from self._field(
                    "organisation", _("Organisation"), Input(id="organisation", max_length=MAX_NAME)
                )
            yield Checkbox(_("Send the customer SMS and email updates"), True, id="notify")
            yield Label(_("Service"))
            yield Input(id="service-search", placeholder=_("Search services…"))
            yield OptionList(id="services")
            yield Static("", id="service-chosen", classes="hint")
            yield Static("", id="problem-service", classes="problem")
            yield from self._field(
                "subject", _("Subject"), Input(id="subject", max_length=MAX_SUBJECT)
            )
            yield from self._field("details", _("Details"), TextArea(id="details", soft_wrap=True))
            yield from self._field(
                "channel",
                _("Channel"),
                Select(
                    [(_(c), c.value) for c in Channel],
                    id="channel",
                    value="walk-in",
                    allow_blank=False,
                ),
            )
            with Horizontal(classes="buttons"):
                yield Button(_("Save"), id="save", variant="primary")
                yield Button(_("Cancel"), id="cancel")
        yield desk_footer()

    @staticmethod
    def _field(key: str, label: str, widget: Any) -> ComposeResult:
        yield Vertical(
            Label(label, classes="field-label"),
            widget,
            Static("", id=f"problem-{key}", classes="problem"),
            classes="field",
        )

    def on_mount(self) -> None:
        self.sub_title = self.desk.who
        self.query_one("#phone", Input).focus()
        self._load_services()

    # -- services ------------------------------------------------------------------------

    @work(thread=True, group="services", exit_on_error=False)
    def _load_services(self) -> None:
        services = self.desk.store.services()
        self.app.call_from_thread(self._got_services, services)

    def _got_services(self, services: "list[ServiceChoice]") -> None:
        self.services = services
        self._filter_services("")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        report_failure(self, event, self._load_failed)

    def _load_failed(self, worker: Worker[object]) -> None:
        if worker.group == "services":
            self.query_one("#problem-service", Static).update(
                _("The services could not be loaded; open the form again.")
            )

    @on(Input.Changed, "#service-search")
    def _search(self, event: Input.Changed) -> None:
        self._filter_services(event.value)

    def _filter_services(self, needle: str) -> None:
        needle = needle.strip().casefold()
        options = self.query_one("#services", OptionList)
        options.clear_options()
        for service in self.services:
            text = f"{service.code} {service.name} {service.unit_code}".casefold()
            if needle in text:
                label = Text.assemble((service.code, "bold"), " ", literal(service.name))
                options.add_option(Option(label, id=service.code))
        if options.option_count:
            options.highlighted = 0  # so Enter in the search picks the first match

    @on(Input.Submitted, "#service-search")
    def _search_done(self) -> None:
        options = self.query_one("#services", OptionList)
        if options.highlighted is not None:
            options.action_select()

    @on(OptionList.OptionSelected, "#services")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.service = next((s for s in self.services if s.code == event.option.id), None)
        chosen = self.query_one("#service-chosen", Static)
        if self.service is not None:
            chosen.update(
                literal(
                    _("{code} — {name} · {unit} · SOP {days} working days").format(
                        code=self.service.code,
                        name=self.service.name,
                        unit=self.service.unit_code,
                        days=self.service.sop_days,
                    ),
                    style="green",
                )
            )
            self.query_one("#problem-service", Static).update("")
            self.query_one("#subject", Input).focus()

    # -- customer look-up ----------------------------------------------------------------

    @on(Input.Submitted, "#phone")
    @on(Input.Submitted, "#nik")
    @on(Input.Blurred, "#phone")
    @on(Input.Blurred, "#nik")
    def look_up(self) -> None:
        phone = self.query_one("#phone", Input).value.strip()
        nik = self.query_one("#nik", Input).value.strip()
        if (phone or nik) and self.desk.online:
            self._find(phone or None, nik or None)

    @work(thread=True, exclusive=True, group="lookup", exit_on_error=False)
    def _find(self, phone: str | None, nik: str | None) -> None:
        from ptsa_tui.store.api import InvalidInput

        try:
            found = self.desk.store.find_customers(phone=phone, nik=nik)
        except InvalidInput:
            return  # a half-typed number; the field's own check says what is wrong on save
        except Exception as error:
            self.app.call_from_thread(self._hint, describe(error))
            return
        self.app.call_from_thread(self._found, found)

    def _found(self, found: "list[Customer]") -> None:
        if not found:
            self.customer_id = None
            self._hint(_("New customer."))
            return
        customer = found[0]
        self.customer_id = customer.id
        for key, value in (
            ("name", customer.name),
            ("email", customer.email),
            ("organisation", customer.organisation),
            ("nik", customer.nik),
        ):
            box = self.query_one(f"#{key}", Input)
            if value and not box.value:
                box.value = value
        self.query_one("#notify", Checkbox).value = customer.notify  # their last answer
        self._hint(_("Existing customer: {name}").format(name=_escaped(customer.name)))

    def _hint(self, markup: str) -> None:
        self.query_one("#lookup", Static).update(markup)

    # -- saving ----------------------------------------------------------------------------

    def fields(self) -> dict[str, Any]:
        def value(key: str) -> str | None:
            text = self.query_one(f"#{key}", Input).value.strip()
            return text or None

        customer = {key: value(key) for key in ("name", "phone", "nik", "email", "organisation")}
        customer["name"] = customer["name"] or ""
        given: dict[str, Any] = {k: v for k, v in customer.items() if v is not None or k == "name"}
        given["notify"] = self.query_one("#notify", Checkbox).value
        return {
            "customer": given,
            "service_code": self.service.code if self.service else None,
            "subject": self.query_one("#subject", Input).value,
            "details": self.query_one("#details", TextArea).text,
            "channel": str(self.query_one("#channel", Select).value),
        }

    def validate(self) -> dict[str, Any] | None:
        """Check every field; show each problem under its field. None when any fails."""
        fields = self.fields()
        problems: dict[str, str] = {}
        for where, why in self.desk.store.request_problems(fields):
            problems.setdefault(FIELD_OF.get(where, "subject"), why.render(_))
        if fields["service_code"] is None:
            problems["service"] = _("Pick a service.")
        for key in set(FIELD_OF.values()):
            message = problems.get(key, "")
            self.query_one(f"#problem-{key}", Static).update(literal(message) if message else "")
        return None if problems else fields

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "save":
            return True if self.desk.online else None
        return True

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        if not self.desk.online:
            self.notify(_("Offline: the request is kept here; save again when back online."))
            return
        fields = self.validate()
        if fields is not None:
            self.query_one("#save", Button).disabled = True
            self._register(fields)

    @work(thread=True, exclusive=True, group="register", exit_on_error=False)
    def _register(self, fields: dict[str, Any]) -> None:
        desk = self.desk
        assert desk.user is not None
        try:
            registered = desk.store.register(by=desk.user.officer_id, now=desk.clock(), **fields)
        except Exception as error:
            self.app.call_from_thread(self._failed, describe(error))
            return
        self.app.call_from_thread(self._saved, registered)

    def _failed(self, markup: str) -> None:
        self.query_one("#save", Button).disabled = False
        self.notify(markup, severity="error", timeout=8)

    def _saved(self, registered: "Registered") -> None:
        from ptsa_tui.screens.modals import Receipt

        request, service = registered.request, self.service
        text = _(
            "Your request {tracking} ({service}) was registered on {date}. "
            "The answer is due by {due}. Quote the tracking number when you ask about it."
        ).format(
            tracking=request.tracking_no,
            service=service.name if service else "—",
            date=when(request.created_at, self.desk.timezone),
            due=when(request.sop_due_at, self.desk.timezone),
        )
        self.app.push_screen(Receipt(request.tracking_no, text), lambda _r: self.app.pop_screen())

    @on(Button.Pressed, "#cancel")
    def action_back(self) -> None:
        self.app.pop_screen()


def _escaped(text: str) -> str:
    from ptsa_tui.text_safety import safe_markup

    return safe_markup(text)


PROBLEMS = (N_("must not be empty"), N_("Pick a service."))
