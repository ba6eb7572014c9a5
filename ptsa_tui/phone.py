"""Phone numbers in international form, Indonesian habits included: 0812… → +62812….

Standard library only: the store and the alert daemon both use it, and the daemon must not
need the database layer for it.
"""

import re

from ptsa_tui.store.phrases import PhraseError
from ptsa_tui.text_safety import quoted

_NOISE = re.compile(r"[\s\-().]", re.ASCII)
# E.164: a country code never starts with 0; ASCII digits only (\d would take any script's).
_E164 = re.compile(r"\+[1-9][0-9]{7,14}")


class BadPhone(PhraseError):
    """A ValueError, so a pydantic validator reports it as a field's problem."""


def normalise_phone(raw: str) -> str:
    """+62812…, 0062812…, 62812… and 0812… all become +62812…; anything else is BadPhone."""
    number = _NOISE.sub("", raw)
    if number.startswith("00"):
        number = "+" + number[2:]
    elif number.startswith("0"):
        number = "+62" + number[1:]
    elif number.startswith("62"):
        number = "+" + number
    if not _E164.fullmatch(number):
        raise BadPhone("not a phone number: {number}", number=quoted(raw))
    return number
