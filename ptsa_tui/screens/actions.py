"""The task actions both the inbox and the request screen offer, with their keys.

Only the actions `allowed_actions` grants for the selected task are shown; offline, they
are shown disabled. The workflow checks each call again whatever the screen offered.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual.binding import Binding, BindingType
from textual.screen import Screen

from ptsa_tui.screens.i18n import N_, _

if TYPE_CHECKING:
    from ptsa_tui.screens.app import DeskApp
    from ptsa_tui.store.api import TaskRow

# In the order the footer shows them, the most used first: at 80 columns the last may not fit.
ACTION_NAMES = {
    "claim": N_("Claim"),
    "dispatch": N_("Dispatch"),
    "resolve": N_("Resolve"),
    "close": N_("Close"),
    "assign": N_("Assign"),
    "message": N_("Message"),
    "pause": N_("Pause"),
    "resume": N_("Resume"),
    "return": N_("Return"),
    "transfer": N_("Transfer"),
    "release": N_("Release"),
}
ACTION_KEYS = {
    "claim": "c",
    "dispatch": "d",
    "resolve": "v",
    "close": "x",
    "assign": "a",
    "message": "m",
    "pause": "p",  # one key: only one of the two is ever offered
    "resume": "p",
    "return": "t",
    "transfer": "f",
    "release": "l",
}


class ActionScreen(Screen[None]):
    """A screen with a selected task (or at least a request) to act on."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(key, f"act('{name}')", ACTION_NAMES[name]) for name, key in ACTION_KEYS.items()
    ]

    @property
    def desk(self) -> "DeskApp":
        return cast("DeskApp", self.app)

    def on_mount(self) -> None:
        # Per screen, not the app's sub_title: changing that while screens switch races
        # the Header's own mount.
        self.sub_title = self.desk.who

    def selected_row(self) -> "TaskRow | None":
        raise NotImplementedError

    def selected_request(self) -> int | None:
        row = self.selected_row()
        return row.request_id if row else None

    def allowed(self) -> frozenset[str]:
        row, user = self.selected_row(), self.desk.user
        if user is None:
            return frozenset()
        actions = self.desk.store.allowed_actions(user, row) if row is not None else frozenset()
        if self.selected_request() is not None:
            actions |= {"message"}
        return actions

    _offered: tuple[frozenset[str], bool] | None = None

    def offer_actions(self) -> None:
        """Refresh the footer's keys, only when what is offered changed: rebuilding the
        footer costs far more than comparing two small sets."""
        offered = (self.allowed(), self.desk.online)
        if offered != self._offered:
            self._offered = offered
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action != "act":
            return True
        if str(parameters[0]) not in self.allowed():
            return False  # not offered at all
        return True if self.desk.online else None  # offline: shown, disabled

    def action_act(self, name: str) -> None:
        from ptsa_tui.screens.modals import Confirm, DispatchModal, OfficerPicker, UnitPicker

        row = self.selected_row()
        user, flow = self.desk.user, self.desk.store
        if user is None or name not in self.allowed() or not self.desk.online:
            return
        me, now = user.officer_id, self.desk.clock
        if name == "message":
            request_id = self.selected_request()
            assert request_id is not None
            self._ask(
                _("Message"),
                _("Message to the other desks on this request"),
                lambda body: flow.message(request_id=request_id, by=me, body=body, now=now()),
                _("Message added"),
                request_id,
            )
            return
        assert row is not None
        task, request = row.task_id, row.request_id
        done = _("{action}: {tracking}").format(
            action=_(ACTION_NAMES[name]), tracking=row.tracking_no
        )
        if name == "claim":
            self.desk.perform(lambda: flow.claim(task_id=task, by=me, now=now()), done, request)
        elif name == "close":

            def close(yes: bool | None) -> None:
                if yes:
                    self.desk.perform(
                        lambda: flow.close(task_id=task, by=me, now=now()), done, request
                    )

            question = _("Close {tracking} with the customer? A closed request stays closed.")
            self.app.push_screen(
                Confirm(_("Close"), question.format(tracking=row.tracking_no), _("Close")), close
            )
        elif name == "release":
            self._ask(
                _("Release"),
                _("Why give it back to the queue?"),
                lambda why: flow.release(task_id=task, by=me, reason=why, now=now()),
                done,
            )
        elif name == "return":
            self._ask(
                _("Return"),
                _("Why return it?"),
                lambda why: flow.return_task(task_id=task, by=me, reason=why, now=now()),
                done,
            )
        elif name == "pause":
            self._ask(
                _("Waiting on the customer"),
                _("What must the customer bring? The SOP clock stops until then."),
                lambda why: flow.pause(task_id=task, by=me, reason=why, now=now()),
                done,
            )
        elif name == "resume":
            self.desk.perform(lambda: flow.resume(task_id=task, by=me, now=now()), done, request)
        elif name == "resolve":
            self._ask(
                _("Resolve"),
                _("The answer for the customer"),
                lambda answer: flow.resolve(task_id=task, by=me, answer=answer, now=now()),
                done,
            )
        elif name == "assign":

            def assign(to: str | None) -> None:
                if to is not None:
                    self.desk.perform(
                        lambda: flow.assign(task_id=task, to=to, by=me, now=now()), done, request
                    )

            self.app.push_screen(OfficerPicker(row), assign)
        elif name == "dispatch":
            modal = DispatchModal(row)

            def dispatch(to: str | None) -> None:
                if to is not None:
                    note = modal.note or None
                    self.desk.perform(
                        lambda: flow.dispatch(task_id=task, to=to, by=me, note=note, now=now()),
                        done,
                        request,
                    )

            self.app.push_screen(modal, dispatch)
        elif name == "transfer":

            def transfer(to: str | None) -> None:
                if to is not None:
                    self._ask(
                        _("Transfer"),
                        _("Why transfer it to {unit}?").format(unit=to),
                        lambda why: flow.transfer(
                            task_id=task, to=to, by=me, reason=why, now=now()
                        ),
                        done,
                    )

            self.app.push_screen(UnitPicker(row), transfer)

    def _ask(
        self,
        title: str,
        prompt: str,
        act: Callable[[str], Any],
        done: str,
        request_id: int | None = None,
    ) -> None:
        from ptsa_tui.screens.modals import TextPrompt

        request_id = request_id or self.selected_request()

        def answered(text: str | None) -> None:
            if text is not None:
                self.desk.perform(lambda: act(text), done, request_id)

        self.app.push_screen(TextPrompt(title, prompt), answered)
