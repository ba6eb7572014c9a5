"""One line for a user about a failed action: no traceback, user text neutralised."""

from ptsa_tui.screens.i18n import N_, _, office_zone
from ptsa_tui.text_safety import safe_markup

# Fixed reasons the store gives, marked so the catalogs translate them.
STORE_REASONS = (N_("wrong username or password"),)


def describe(error: BaseException) -> str:
    """Rich markup (safe) naming what went wrong, in the officer's language and time zone."""
    from ptsa_tui.store import api as store

    if isinstance(error, store.DatabaseUnavailable):
        return _("The database is unavailable; try again in a moment.")
    if not isinstance(error, store.PtsaError):
        return _("Unexpected error: {reason}").format(
            reason=safe_markup(f"{type(error).__name__}: {error}")
        )
    reason = safe_markup(error.render(_, office_zone()))
    if isinstance(error, store.Conflict):
        return _("Conflict: {reason}").format(reason=reason)
    if isinstance(error, store.NotAllowed):
        return _("Not allowed: {reason}").format(reason=reason)
    if isinstance(error, store.InvalidInput):
        return _("Invalid input: {reason}").format(reason=reason)
    if isinstance(error, store.NotFound):
        return _("Not found: {reason}").format(reason=reason)
    return reason
