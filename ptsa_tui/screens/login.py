"""The login screen: username first, tab to the password, enter submits."""

from typing import TYPE_CHECKING, ClassVar, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Button, Input, Label, Static

from ptsa_tui.screens.chrome import desk_footer
from ptsa_tui.screens.i18n import _

if TYPE_CHECKING:
    from ptsa_tui.screens.app import DeskApp


class LoginScreen(Screen[None]):
    AUTO_FOCUS = "#username"
    # Priority bindings are handled as the app takes each key off its queue, in order; a plain
    # tab binding waits for the key to bubble up from the input, by when the keys typed after
    # it (a paste, a password manager, ssh lag) have already gone into the username.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "app.focus_next", show=False, priority=True),
        Binding("shift+tab", "app.focus_previous", show=False, priority=True),
    ]

    @property
    def desk(self) -> "DeskApp":
        return cast("DeskApp", self.app)

    def compose(self) -> ComposeResult:
        with Center(), Vertical(id="login-box"):
            yield Static(_("PTSA service desk"), id="login-title")
            yield Static(_("Ministry of Manpower · one-stop service"), id="login-sub")
            yield Label(_("Username"))
            yield Input(id="username", max_length=100)
            yield Label(_("Password"))
            yield Input(id="password", password=True, max_length=200)
            yield Button(_("Log in"), id="login", variant="primary")
            yield Static("", id="login-error")
        yield desk_footer()

    @on(Input.Submitted)
    @on(Button.Pressed, "#login")
    def submit(self) -> None:
        username = self.query_one("#username", Input).value
        password = self.query_one("#password", Input).value
        if not username.strip() or not password:
            self._say(_("Enter your username and password."))
            return
        self.query_one("#login", Button).disabled = True
        self._say(_("Checking…"))
        self._authenticate(username, password)

    @work(thread=True, exclusive=True, group="login", exit_on_error=False)
    def _authenticate(self, username: str, password: str) -> None:
        from ptsa_tui.screens.errors import describe

        app = self.desk
        try:
            user = app.store.authenticate(
                username=username, password=password, host=app.host, now=app.clock()
            )
            app.store.rules()  # loaded here, so the inbox never waits for them
        except Exception as error:
            self.app.call_from_thread(self._refused, describe(error))
            return
        self.app.call_from_thread(app.logged_in, user)

    def _refused(self, reason: str) -> None:
        self.query_one("#login", Button).disabled = False
        password = self.query_one("#password", Input)
        password.value = ""
        password.focus()
        self._say(reason)

    def _say(self, markup: str) -> None:
        self.query_one("#login-error", Static).update(markup)
