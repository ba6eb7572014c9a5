"""The desk app: one officer's window onto the workflow, live through LISTEN/NOTIFY."""

import gc
import socket
import threading
from collections.abc import Callable, Iterable
from contextlib import suppress
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.worker import Worker, WorkerState

from ptsa_tui.screens.commands import DeskCommands
from ptsa_tui.screens.i18n import N_, _, localise_bindings, use_language, use_office_zone
from ptsa_tui.screens.inbox_feed import InboxFeed
from ptsa_tui.screens.live import LiveLink, PresenceBeat
from ptsa_tui.screens.messages import InboxUpdated, LinkChanged, RequestChanged
from ptsa_tui.screens.ordering import by_urgency, merged, tab_counts
from ptsa_tui.store.api import TOUCH_EVERY, DeskStore, utc_now

if TYPE_CHECKING:
    from textual.screen import Screen

    from ptsa_tui.config import Settings
    from ptsa_tui.store.api import Actor, Change, TaskRow

# Textual's own words the desk shows, marked so the catalogs carry them: the footer's palette
# key, and the palette's system commands with their help lines.
TEXTUAL_WORDS = (
    N_("palette"),
    N_("Search for commands…"),
    N_("Theme"),
    N_("Change the current theme"),
    N_("Quit"),
    N_("Quit the application as soon as possible"),
    N_("Keys"),
    N_("Show help for the focused widget and a summary of available keys"),
    N_("Hide the keys and widget help panel"),
    N_("Maximize"),
    N_("Maximize the focused widget"),
    N_("Minimize"),
    N_("Minimize the widget and restore to normal size"),
    N_("Screenshot"),
    N_("Save an SVG 'screenshot' of the current screen"),
)
SAFETY_POLL = 30.0  # seconds between full reloads, for notifications a dropped link missed


def desk_language(settings: "Settings", officer_language: str) -> str:
    """PTSA_LANG (or `lang` in the config file) wins when set; else the officer's own."""
    return settings.lang if "lang" in settings.model_fields_set else officer_language


class DeskApp(App[None]):
    CSS_PATH = "desk.tcss"
    TITLE = "PTSA"
    COMMANDS: ClassVar = App.COMMANDS | {DeskCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", N_("Quit"), show=False, priority=True),
        Binding("e", "escalations", N_("Escalations")),
        Binding("k", "kpis", N_("KPIs")),
    ]

    def __init__(
        self,
        *,
        store: DeskStore,
        clock: Callable[[], datetime] = utc_now,
        live: bool = True,
        retry_every: float = 1.0,
        poll_every: float = SAFETY_POLL,
    ) -> None:
        super().__init__()
        use_language(store.settings.lang)
        use_office_zone(store.timezone)
        localise_bindings(self)
        self.store = store
        self.settings: Settings = store.settings
        self.clock = clock
        self.live = live
        self.poll_every = poll_every
        self.host = socket.gethostname()
        self.user: Actor | None = None
        self.rows: list[TaskRow] = []  # in urgency order, most urgent first
        self.counts: dict[str, int] = {}  # rows per tab
        self.loaded_at: datetime = clock()
        self.loads = 0  # full reads of the inbox so far
        self.feed = InboxFeed(self._read, self._deliver, self._feed_failed)
        self.open_requests: frozenset[int] = frozenset()  # shown on a request screen now
        self.online = True
        self.listening = False
        self.link = LiveLink(self, retry_every=retry_every)
        self.presence: PresenceBeat | None = None
        # Called from the live link's thread with every change: screens that follow more
        # than this unit's inbox (the escalation screen) add themselves here.
        self.followers: set[Callable[[Change], None]] = set()

    def on_mount(self) -> None:
        from ptsa_tui.screens.login import LoginScreen

        self.push_screen(LoginScreen())

    # -- session ---------------------------------------------------------------------

    def logged_in(self, user: "Actor") -> None:
        """In the login worker's wake: the user's rules are loaded, the inbox is next."""
        from ptsa_tui.screens.inbox import InboxScreen

        use_language(desk_language(self.settings, user.language))
        self.user = user
        self.presence = PresenceBeat(self.store, user.officer_id, self.clock)
        self.switch_screen(InboxScreen())
        self.feed.start()
        self.reload()
        self.beat()
        self.set_interval(self.poll_every, self._poll)
        self.set_interval(TOUCH_EVERY.total_seconds(), self.beat)
        if self.live:
            self.run_worker(
                self.link.run, thread=True, group="listen", name="listen", exit_on_error=False
            )

    @work(thread=True, group="presence", exit_on_error=False)
    def beat(self) -> None:
        if self.presence is not None:
            self.presence.touch()

    def on_event(self, event: events.Event) -> Any:
        if isinstance(event, events.Key | events.Click) and self.presence:
            self.presence.active()
            if self.presence.due():
                self.beat()
        return super().on_event(event)

    def action_kpis(self) -> None:
        from ptsa_tui.screens.kpi_screen import KpiScreen

        if self.check_action("kpis", ()):
            self.push_screen(KpiScreen())

    def action_escalations(self) -> None:
        from ptsa_tui.screens.escalation import EscalationScreen, offered

        if offered(self):
            self.push_screen(EscalationScreen())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "escalations":  # supervisors only, from a desk screen
            from ptsa_tui.screens.escalation import offered

            return offered(self)
        if action == "kpis":  # once logged in, from a desk screen: not a dialog, nor itself
            from textual.screen import ModalScreen

            from ptsa_tui.screens.kpi_screen import KpiScreen

            return self.user is not None and not isinstance(self.screen, ModalScreen | KpiScreen)
        return True

    def action_command_palette(self) -> None:
        from textual.command import CommandPalette

        if self.use_command_palette and not isinstance(self.screen, CommandPalette):
            palette = CommandPalette(id="--command-palette", placeholder=_("Search for commands…"))
            self.push_screen(palette)

    def get_system_commands(self, screen: "Screen[Any]") -> Iterable[SystemCommand]:
        for command in super().get_system_commands(screen):
            yield command._replace(title=_(command.title), help=_(command.help))

    async def action_quit(self) -> None:
        self.link.stop.set()
        self.exit()

    def on_unmount(self) -> None:
        self.link.stop.set()
        self.feed.stop()
        if self.presence is not None:
            # Off the event loop, and bounded: with the database gone the TTL ends presence.
            leaving = threading.Thread(target=self._leave, daemon=True)
            leaving.start()
            leaving.join(timeout=2.0)

    def _leave(self) -> None:
        assert self.presence is not None
        with suppress(Exception):
            self.presence.leave()

    @property
    def who(self) -> str:
        """The header's sub-title once logged in: who, where, which position."""
        from ptsa_tui.text_safety import visible_controls

        user = self.user
        if user is None:
            return ""
        return visible_controls(f"{user.full_name} · {user.unit_code} · {user.position}")

    @property
    def timezone(self) -> "tzinfo":
        return self.store.timezone

    # -- the inbox ---------------------------------------------------------------------

    def reload(self) -> None:
        """Read the whole inbox again: after login, on reconnect, and the safety-net poll."""
        self.feed.want_all()

    def _poll(self) -> None:
        # Offline there is nothing to read, and reconnecting reloads anyway.
        if self.online:
            self.reload()

    def refresh_requests(self, request_ids: set[int]) -> None:
        """Re-read only these requests' rows: what one notification can have changed."""
        self.feed.want(request_ids)

    def store_changed(self, unit_id: int | None, request_id: int | None) -> None:
        """A commit somewhere, as the live link heard it; called from the link's thread."""
        user = self.user
        if user is None:
            return
        # Every tab shows only my unit's tasks, and a hop closing or opening in my unit
        # notifies with my unit's id; other units' commits cannot change my inbox. They can
        # change the story of a request I have open: its timeline and messages.
        if unit_id is not None and unit_id != user.unit_id:
            if request_id is not None and request_id in self.open_requests:
                self.post_message(RequestChanged(request_id))
            return
        if request_id is None:
            self.reload()
        else:
            self.refresh_requests({request_id})

    def heard(self, change: "Change") -> None:
        """Every change, from the live link's thread: for the followers, and a nudge."""
        from ptsa_tui.screens.escalation_nudge import tell_desk

        for follower in list(self.followers):
            follower(change)
        tell_desk(self, change)

    def _read(self, request_ids: set[int] | None) -> "tuple[datetime, list[TaskRow]]":
        """In the feed's thread: the rows, in urgency order, and the time they were read at."""
        assert self.user is not None
        now = self.clock()
        return now, by_urgency(self.store.inbox(user=self.user, now=now, request_ids=request_ids))

    def _deliver(self, changed: set[int] | None, read: "tuple[datetime, list[TaskRow]]") -> None:
        self.call_from_thread(self._loaded, changed, read[1], read[0])
        if changed is None:
            from ptsa_tui.memory import give_back_free_memory

            give_back_free_memory()  # the read's buffers, and the rows it replaced

    def _feed_failed(self, error: Exception) -> None:
        from ptsa_tui.screens.errors import describe

        with suppress(RuntimeError):  # the app is already closing
            self.call_from_thread(self.notify, describe(error), severity="error", timeout=8)

    def _loaded(self, changed: set[int] | None, rows: "list[TaskRow]", now: datetime) -> None:
        if changed is None:
            self.rows = rows
            self.loads += 1
            if self.loads == 1:
                # Everything alive now (modules, widgets, the ORM) lives as long as the app:
                # keep it out of the cyclic collector's full passes, whose pauses were the
                # slowest live updates.
                gc.freeze()
        else:
            self.rows = merged(self.rows, changed, rows)
        self.counts = tab_counts(self.rows)
        self.loaded_at = now
        for screen in self.screen_stack:
            screen.post_message(InboxUpdated(None if changed is None else frozenset(changed)))

    @work(thread=True, group="action", exit_on_error=False)
    def perform(self, act: Callable[[], object], done: str, request_id: int | None) -> None:
        """Run one workflow call; say what happened in one line, then show its effect."""
        from ptsa_tui.screens.errors import describe

        try:
            act()
        except Exception as error:
            self.call_from_thread(self.notify, describe(error), severity="error", timeout=8)
            return
        self.call_from_thread(self.notify, done, markup=False)
        # The NOTIFY brings this too, but a desk without its live link must still see it.
        if request_id is None:
            self.call_from_thread(self.reload)
        else:
            self.call_from_thread(self.refresh_requests, {request_id})

    @on(RequestChanged)
    def _request_changed(self, message: RequestChanged) -> None:
        for screen in self.screen_stack:
            screen.post_message(RequestChanged(message.request_id))

    @on(LinkChanged)
    def _link_changed(self, message: LinkChanged) -> None:
        self.online = self.listening = message.connected
        self.set_class(not message.connected, "-offline")
        for screen in self.screen_stack:
            screen.refresh_bindings()  # offline: actions shown disabled; back: enabled
        if message.connected:
            # Whatever was committed before LISTEN took effect, or while the link was down,
            # sent no notification that reached this desk: read everything again.
            self.reload()

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        if event.state != WorkerState.ERROR or event.worker.error is None:
            return
        from ptsa_tui.screens.errors import describe

        self.notify(describe(event.worker.error), severity="error", timeout=8)
