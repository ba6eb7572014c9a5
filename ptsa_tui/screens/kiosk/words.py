"""What the kiosk says of a request, and the survey's answers, marked for the catalogs."""

from datetime import datetime, tzinfo

from ptsa_tui.screens.i18n import N_

STATES = {
    "open": N_("in process"),
    "paused": N_("waiting for something from you: please see the front office"),
    "resolved": N_("done: collect the answer at the front office"),
    "closed": N_("done and closed"),
}
# PermenPANRB 14/2017: 1 not good, 2 fairly good, 3 good, 4 very good
SCORES = (N_("not good"), N_("fairly good"), N_("good"), N_("very good"))


def due_words(at: datetime | None, zone: tzinfo, language: str) -> str:
    """The due date as a customer says it: "Kamis, 26 November 2026"."""
    if at is None:
        return "—"
    from babel.dates import format_date

    return format_date(at.astimezone(zone).date(), "EEEE, d MMMM y", locale=language)
