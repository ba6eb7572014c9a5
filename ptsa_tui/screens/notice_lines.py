"""What the customer was sent about a request, one line per notice, with its delivery."""

from collections.abc import Sequence
from datetime import tzinfo
from typing import TYPE_CHECKING

from rich.console import Group
from rich.text import Text

from ptsa_tui.screens.cells import literal, when
from ptsa_tui.screens.i18n import N_, _

if TYPE_CHECKING:
    from ptsa_tui.store.api import NoticeRow

# What a notice is about, marked for the catalogs.
PURPOSES = {
    "registered": N_("registration received"),
    "paused": N_("waiting on the customer"),
    "ready": N_("answer ready"),
    "closed": N_("closed, with the survey"),
}
STYLES = {"sent": "green", "pending": "yellow", "failed": "bold red"}


def _delivery(notice: "NoticeRow", zone: tzinfo) -> Text:
    if notice.status == "sent":
        return Text(_("delivered {when}").format(when=when(notice.sent_at, zone)), STYLES["sent"])
    if notice.status == "failed":
        head = Text(_("not delivered, given up"), STYLES["failed"])
    elif notice.attempts:
        head = Text(_("retrying, {n} attempts").format(n=notice.attempts), STYLES["pending"])
    else:
        head = Text(_("waiting to be sent"), STYLES["pending"])
    if notice.last_error:
        head.append(" · ")
        head.append_text(literal(notice.last_error, style="dim"))
    return head


def customer_notices(notices: Sequence["NoticeRow"], zone: tzinfo) -> Group | Text:
    if not notices:
        return Text(_("Nothing sent: no phone or email, or the customer opted out."), "dim")
    return Group(
        *(
            Text.assemble(
                (when(notice.created_at, zone), "dim"),
                " ",
                (_(notice.channel).upper() if notice.channel == "sms" else _(notice.channel)),
                " ",
                _(PURPOSES.get(notice.purpose, notice.purpose)),
                " · ",
                _delivery(notice, zone),
            )
            for notice in notices
        )
    )
