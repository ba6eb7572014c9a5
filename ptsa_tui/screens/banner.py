"""The "offline — reconnecting" banner every screen carries; CSS shows it while offline."""

from textual.widgets import Static

from ptsa_tui.screens.i18n import _


class OfflineBanner(Static):
    def __init__(self) -> None:
        super().__init__(_("Offline — reconnecting… actions are disabled; your typing is kept."))
