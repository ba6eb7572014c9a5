"""One line for a user about a failed action: no traceback, user text neutralised."""

from ptsa_tui.screens.i18n import N_, _
from ptsa_tui.text_safety import safe_markup

# Fixed reasons the store gives, marked so the catalogs translate them.
STORE_REASONS = (N_("wrong username or password"),)


def describe(error: BaseException) -> str:
    """Rich markup (safe) naming what went wrong."""
    from ptsa_tui.store import api as store

    if isinstance(error, store.DatabaseUnavailable):
        return _("The database is unavailable; try again in a moment.")
    if isinstance(error, store.Conflict):
        return _("Conflict: {reason}").format(reason=safe_markup(str(error)))
    if isinstance(error, store.NotAllowed):
        return _("Not allowed: {reason}").format(reason=safe_markup(_(str(error))))
    if isinstance(error, store.InvalidInput):
        return _("Invalid input: {reason}").format(reason=safe_markup(str(error)))
    if isinstance(error, store.NotFound):
        return _("Not found: {reason}").format(reason=safe_markup(str(error)))
    if isinstance(error, store.PtsaError):
        return safe_markup(str(error))
    return _("Unexpected error: {reason}").format(
        reason=safe_markup(f"{type(error).__name__}: {error}")
    )
