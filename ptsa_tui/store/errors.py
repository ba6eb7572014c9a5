"""Typed domain errors; the CLI maps each to its exit code.

An error carries an English template, which is also its gettext msgid, and the parameters to
fill in; user data goes only into the parameters. `str()` is the English line the CLI prints;
a screen shows `render(_, office_zone)`, in the officer's language and time zone. scripts/i18n.sh
extracts the templates of the calls to these classes and to `Term`.
"""

from collections.abc import Callable
from datetime import datetime, tzinfo


class Term(str):
    """A parameter that is a word of ptsa's own (a verb, a state) and is translated too."""


def _keep(text: str) -> str:
    return text


class PtsaError(Exception):
    """Base of every error ptsa reports to a user as one line."""

    exit_code = 1

    def __init__(self, template: str, /, **params: object) -> None:
        self.template = template
        self.params = params
        super().__init__(self.render())

    def render(self, translate: Callable[[str], str] = _keep, zone: tzinfo | None = None) -> str:
        """The line in the language of `translate`, with its times in `zone` (by default
        each in the zone it was given in)."""
        if not self.params:  # a template without fields may hold braces of its own
            return translate(self.template)
        values = {name: _shown(value, translate, zone) for name, value in self.params.items()}
        return translate(self.template).format(**values)


def _shown(value: object, translate: Callable[[str], str], zone: tzinfo | None) -> object:
    if isinstance(value, Term):
        return translate(value)
    if isinstance(value, datetime):
        local = value.astimezone(zone) if zone is not None else value
        return f"{local:%H:%M} {local.tzname()}"
    return value


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
