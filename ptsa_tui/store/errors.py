"""Typed domain errors; the CLI maps each to its exit code.

Each carries a `Phrase` (ptsa_tui/store/phrases.py): `str()` is the English line the CLI
prints, `render` the line a screen shows in the officer's language and time zone.
"""

from collections.abc import Callable
from datetime import tzinfo

from ptsa_tui.store.phrases import Phrase, Term

__all__ = [
    "Conflict",
    "DatabaseUnavailable",
    "InvalidInput",
    "NotAllowed",
    "NotFound",
    "PtsaError",
    "Term",
]


class PtsaError(Exception):
    """Base of every error ptsa reports to a user as one line."""

    exit_code = 1

    def __init__(self, template: str, /, **params: object) -> None:
        self.phrase = Phrase(template, **params)
        super().__init__(self.phrase.render())

    def render(self, translate: Callable[[str], str], zone: tzinfo | None = None) -> str:
        return self.phrase.render(translate, zone)


class DatabaseUnavailable(PtsaError):
    exit_code = 1


class InvalidInput(PtsaError):
    exit_code = 2


class Conflict(PtsaError):
    """The state moved under the caller, e.g. a task someone else has claimed."""

    exit_code = 3


class NotFound(PtsaError):
    exit_code = 4


class NotAllowed(PtsaError):
    exit_code = 5
