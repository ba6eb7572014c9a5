"""Gettext for the desk app: Indonesian by default, English per officer or through PTSA_LANG.

Strings in the code are English msgids; `ptsa_tui/locale/<lang>/LC_MESSAGES/ptsa.mo` holds the
translations. One language is active per process (one desk app per officer process).
"""

import gettext
from dataclasses import replace
from importlib.resources import files
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import tzinfo

    from textual.dom import DOMNode

LANGUAGES = ("id", "en")
DOMAIN = "ptsa"
LOCALE_DIR = files("ptsa_tui") / "locale"

_active: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"
_office_zone: "tzinfo | None" = None


def use_language(language: str) -> None:
    """Make `language` the one every later `_()` call answers in."""
    global _active, _language
    if language not in LANGUAGES:
        language = "id"
    _active = gettext.translation(
        DOMAIN, localedir=str(LOCALE_DIR), languages=[language], fallback=True
    )
    _language = language


def current_language() -> str:
    return _language


def use_office_zone(zone: "tzinfo") -> None:
    """The zone every time a message shows is given in (one office per process, as above)."""
    global _office_zone
    _office_zone = zone


def office_zone() -> "tzinfo | None":
    return _office_zone


def _(message: str) -> str:
    return _active.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return _active.ngettext(singular, plural, count)


def N_(message: str) -> str:
    """Marks a string for extraction where it is defined; `_()` translates it where shown."""
    return message


def localise_bindings(node: "DOMNode") -> None:
    """Translate a node's binding descriptions, which class definitions fix in English."""
    for key, bindings in node._bindings.key_to_bindings.items():
        node._bindings.key_to_bindings[key] = [
            replace(binding, description=_(binding.description)) if binding.description else binding
            for binding in bindings
        ]
