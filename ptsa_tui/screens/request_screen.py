"""One request: customer, service, subject, details, clocks, the timeline and the messages,
with the actions the officer may take on its open task now."""

from typing import TYPE_CHECKING, Any, ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static
from textual.worker import Worker

from ptsa_tui.screens.actions import ActionScreen
from ptsa_tui.screens.banner import OfflineBanner
from ptsa_tui.screens.cells import countdown_text, literal, outcome, span, when
from ptsa_tui.screens.chrome import desk_footer, desk_header
from ptsa_tui.screens.i18n import N_, _, localise_bindings
from ptsa_tui.screens.messages import InboxUpdated, RequestChanged
from ptsa_tui.screens.notice_lines import customer_notices
from ptsa_tui.screens.workers import report_failure

if TYPE_CHECKING:
    from ptsa_tui.store.api import RequestStory, TaskRow


class RequestScreen(ActionScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", N_("Back")),
        Binding("q", "back", N_("Back"), show=False),
        Binding("s", "survey_form", N_("Survey form")),
    ]

    def __init__(self, task_id: int, request_id: int) -> None:
        super().__init__()
        localise_bindings(self)
        self.task_id, self.request_id = task_id, request_id
        self.story: RequestStory | None = None

    def compose(self) -> ComposeResult:
        yield desk_header()
        yield OfflineBanner()
        with VerticalScroll(id="story"):
            yield Static(id="facts")
            yield Static(_("Messages"), classes="section")
            yield Static(id="messages")
            yield Static(_("Sent to the customer"), classes="section")
            yield Static(id="notices")
            yield Static(_("Timeline"), classes="section")
            yield Static(id="timeline")
        yield desk_footer()

    def on_mount(self) -> None:
        self.desk.open_requests |= {self.request_id}
        self.query_one("#story").loading = True
        self.load()

    def on_unmount(self) -> None:
        still_open = any(
            isinstance(screen, RequestScreen) and screen.request_id == self.request_id
            for screen in self.app.screen_stack
            if screen is not self
        )
        if not still_open:
            self.desk.open_requests -= {self.request_id}

    def action_back(self) -> None:
        self.app.pop_screen()

    # -- a paper survey form ------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action != "survey_form":
            return super().check_action(action, parameters)
        user, story = self.desk.user, self.story
        if user is None or story is None or story.request.status != "closed":
            return False
        if not self.desk.store.may_enter_survey(user):
            return False
        return True if self.desk.online else None

    def action_survey_form(self) -> None:
        from ptsa_tui.screens.survey_form import PaperForm, SurveyForm

        user, story = self.desk.user, self.story
        if user is None or story is None:
            return
        tracking = story.request.tracking_no

        def entered(form: PaperForm | None) -> None:
            if form is None:
                return
            scores, comment = form
            self.desk.perform(
                lambda: self.desk.store.rate_on_paper(
                    user,
                    tracking_no=tracking,
                    scores=scores,
                    comment=comment,
                    now=self.desk.clock(),
                ),
                _("Survey form saved: {tracking}").format(tracking=tracking),
                self.request_id,
            )

        self.app.push_screen(SurveyForm(tracking), entered)

    # -- the task to act on ----------------------------------------------------------

    def selected_row(self) -> "TaskRow | None":
        """The request's task as my inbox has it: open, or closed today by my unit."""
        rows = [r for r in self.desk.rows if r.request_id == self.request_id]
        return next((r for r in rows if r.closed_at is None), rows[0] if rows else None)

    def selected_request(self) -> int | None:
        return self.request_id

    @on(InboxUpdated)
    def _updated(self, message: InboxUpdated) -> None:
        self.offer_actions()
        if message.requests is None or self.request_id in message.requests:
            self.load()

    @on(RequestChanged)
    def _changed_elsewhere(self, message: RequestChanged) -> None:
        if message.request_id == self.request_id:
            self.load()

    # -- loading -----------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="story", exit_on_error=False)
    def load(self) -> None:
        story = self.desk.store.story(self.task_id, viewer=self.desk.user)
        self.app.call_from_thread(self._show, story)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        report_failure(self, event, self._load_failed)

    def _load_failed(self, _worker: Worker[object]) -> None:
        self.query_one("#story").loading = False
        if self.story is None:
            self.query_one("#facts", Static).update(
                Text(_("This request could not be loaded. Press Escape and open it again."))
            )

    def _show(self, story: "RequestStory") -> None:
        self.story = story
        self.query_one("#story").loading = False
        self.query_one("#facts", Static).update(self._facts(story))
        self.query_one("#messages", Static).update(self._messages(story))
        self.query_one("#notices", Static).update(
            customer_notices(story.notices, self.desk.timezone)
        )
        self.query_one("#timeline", Static).update(self._timeline(story))
        self.offer_actions()
        self.refresh_bindings()  # the survey form's key depends on the request's status

    def _facts(self, story: "RequestStory") -> Table:
        zone = self.desk.timezone
        request, customer, service = story.request, story.customer, story.service
        table = Table.grid(padding=(0, 1))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        contact = " · ".join(v for v in (customer.phone, customer.email, customer.nik) if v)
        table.add_row(_("Tracking no."), Text(request.tracking_no, style="bold reverse"))
        table.add_row(_("Status"), _(request.status))
        table.add_row(_("Customer"), literal(customer.name))
        if contact:
            table.add_row("", literal(contact, style="dim"))
        if customer.organisation:
            table.add_row("", literal(customer.organisation, style="dim"))
        table.add_row(
            _("Service"),
            literal(f"{service.code} — {service.name}" if service else "—"),
        )
        table.add_row(_("Channel"), _(request.channel))
        table.add_row(_("Subject"), literal(request.subject))
        table.add_row(_("Details"), literal(request.details or "—"))
        table.add_row(_("Registered"), when(request.created_at, zone))
        table.add_row(_("SOP due"), when(request.sop_due_at, zone))
        for pause in story.pauses:
            table.add_row(*self._pause_line(pause))
        open_task = story.open_task
        if open_task is not None:
            table.add_row(_("At"), literal(f"{open_task.unit} ({open_task.position})"))
            table.add_row(_("Claim due"), self._claim_clock(open_task.claim_due_at, open_task))
            table.add_row("", self._claim_rule(open_task))
        if request.resolution:
            table.add_row(_("Answer"), literal(request.resolution))
        return table

    def _pause_line(self, pause: dict[str, Any]) -> tuple[str, Text]:
        """A wait on the customer: while it lasts the SOP due date is held; after, moved."""
        zone = self.desk.timezone
        since = when(pause["paused_at"], zone)
        if pause["resumed_at"] is None:
            head = _("Waiting since {when}; the SOP clock is stopped").format(when=since)
            return _("Paused"), Text.assemble(
                (head, "bold yellow"), " · ", literal(pause["reason"])
            )
        moved = _("{start} – {end}, SOP due moved by {minutes} working minutes").format(
            start=since, end=when(pause["resumed_at"], zone), minutes=(pause["moved_s"] or 0) // 60
        )
        return _("Paused"), Text.assemble(moved, " · ", literal(pause["reason"], style="dim"))

    def _claim_clock(self, due: Any, task: Any) -> Text:
        desk = self.desk
        when_text = when(due, desk.timezone)
        if task.claimed_by is not None:
            return literal(_("{when} · held by {who}").format(when=when_text, who=task.claimed_by))
        count = desk.store.countdown(due, desk.clock())
        return Text.assemble(when_text, " · ", countdown_text(count))

    def _claim_rule(self, task: Any) -> Text:
        """Where the deadline comes from: the unit's own claim SLA, or the office's."""
        sla, own = self.desk.store.claim_sla_of(task.unit, task.position)
        if own:
            words = _("{span} to claim, {unit}'s own rule").format(span=span(sla), unit=task.unit)
        else:
            words = _("{span} to claim, the office rule for {position}").format(
                span=span(sla), position=task.position
            )
        return literal(words, style="dim")

    def _messages(self, story: "RequestStory") -> Group | Text:
        if not story.messages:
            return Text(_("No messages yet. Press m to add one."), style="dim")
        zone = self.desk.timezone
        return Group(
            *(
                Text.assemble(
                    (when(m["at"], zone), "dim"),
                    " ",
                    literal(str(m["officer"]), style="bold"),
                    ": ",
                    literal(str(m["body"])),
                )
                for m in story.messages
            )
        )

    def _timeline(self, story: "RequestStory") -> Table:
        zone = self.desk.timezone
        table = Table(box=None, show_header=False, padding=(0, 1), expand=True)
        table.add_column(no_wrap=True, style="dim")
        table.add_column(no_wrap=True)
        table.add_column(no_wrap=True, style="bold")
        table.add_column(ratio=1)
        for event in story.events:
            words = "; ".join(phrase.render(_, zone) for phrase in story.said(event))
            table.add_row(
                when(event["at"], zone),
                literal(str(event["officer"] or "")),
                outcome(str(event["kind"])),
                literal(words),
            )
        return table


# Status and channel words shown from the database, marked for the catalogs.
WORDS = (
    N_("open"),
    N_("resolved"),
    N_("closed"),
    N_("walk-in"),
    N_("phone"),
    N_("email"),
    N_("letter"),
    N_("web"),
    N_("registered"),
    N_("claimed"),
    N_("assigned"),
    N_("offered"),
    N_("message"),
    N_("paused"),
    N_("resumed"),
    N_("acknowledged"),
    N_("nudged"),
    N_("alert_raised"),
    N_("alert_sent"),
    N_("alert_failed"),
    N_("surveyed"),
    N_("notice_sent"),
    N_("notice_failed"),
    N_("notice_given_up"),
)
