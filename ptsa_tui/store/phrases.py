"""Text the store hands out to be shown: an English template, which is also its gettext msgid,
and the parameters to fill in. User data goes only into the parameters. `str()` is the English
line; a screen shows `render(_, office_zone)`, in the officer's language and time zone.
scripts/i18n.sh extracts the templates of the calls to `Phrase`, `Term` and the store's errors.
"""

from collections.abc import Callable
from datetime import datetime, tzinfo


class Term(str):
    """A parameter that is a word of ptsa's own (a verb, a state) and is translated too."""


def _keep(text: str) -> str:
    return text


class Phrase:
    __slots__ = ("params", "template")

    def __init__(self, template: str, /, **params: object) -> None:
        self.template = template
        self.params = params

    def render(self, translate: Callable[[str], str] = _keep, zone: tzinfo | None = None) -> str:
        """The text in the language of `translate`, with its times in `zone` (by default each
        in the zone it was given in)."""
        if not self.params:  # a template without fields may hold braces of its own
            return translate(self.template)
        values = {name: _shown(value, translate, zone) for name, value in self.params.items()}
        return translate(self.template).format(**values)

    def __str__(self) -> str:
        return self.render()

    def __repr__(self) -> str:
        return f"Phrase({self.template!r}, **{self.params!r})"


class PhraseError(ValueError):
    """A ValueError worded as a Phrase: pydantic reports its English text as a field's
    problem, and a desk shows the phrase in the officer's language."""

    def __init__(self, template: str, /, **params: object) -> None:
        self.phrase = Phrase(template, **params)
        super().__init__(str(self.phrase))


def _shown(value: object, translate: Callable[[str], str], zone: tzinfo | None) -> object:
    if isinstance(value, Term):
        return translate(value)
    if isinstance(value, datetime):
        local = value.astimezone(zone) if zone is not None else value
        return f"{local:%H:%M} {local.tzname()}"
    return value
