"""A supervisor's nudge, as the desks of the task's unit get it: a notification at once.

The mark on the task comes with the inbox's own refresh of the request (its `nudged_at`);
the notification names the request, the supervisor and their note, read in a worker.
"""

from contextlib import suppress
from functools import partial
from typing import TYPE_CHECKING

from ptsa_tui.screens.i18n import _
from ptsa_tui.text_safety import visible_controls

if TYPE_CHECKING:
    from ptsa_tui.screens.app import DeskApp
    from ptsa_tui.store.api import Actor, Change

NUDGED = "nudged"  # the event's kind


def tell_desk(app: "DeskApp", change: "Change") -> None:
    """From the live link's thread: a nudge of a task in this desk's unit is read and shown."""
    user = app.user
    if change.kind != NUDGED or user is None or change.unit_id != user.unit_id:
        return
    if change.request_id is None or change.task_id is None:
        return
    tell = partial(_tell, app, user, change.request_id, change.task_id)
    with suppress(RuntimeError):  # the app is closing
        app.call_from_thread(app.run_worker, tell, thread=True, group="nudge", exit_on_error=False)


def _tell(app: "DeskApp", user: "Actor", request_id: int, task_id: int) -> None:
    notice = app.store.nudge_notice(user, request_id=request_id, task_id=task_id)
    if notice is None or notice.by == user.username:  # the supervisor knows what they sent
        return
    text = _("{supervisor} asks the desks to claim {tracking} now.").format(
        supervisor=notice.by_name, tracking=notice.tracking_no
    )
    if notice.note:
        text += "\n" + notice.note
    with suppress(RuntimeError):
        app.call_from_thread(
            app.notify,
            visible_controls(text),
            title=_("Nudge from a supervisor"),
            severity="warning",
            timeout=20,
            markup=False,
        )
