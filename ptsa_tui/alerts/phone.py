"""Indonesian phone numbers in international form: 0812… → +62812…."""

import re

_NOISE = re.compile(r"[\s\-().]")


class BadPhone(ValueError):
    pass


def normalise(raw: str) -> str:
    number = _NOISE.sub("", raw)
    if number.startswith("+"):
        digits = number[1:]
    elif number.startswith("00"):
        digits = number[2:]
    elif number.startswith("0"):
        digits = "62" + number[1:]
    elif number.startswith("62"):
        digits = number
    else:
        digits = ""
    if not digits.isdigit() or not 8 <= len(digits) <= 15:
        raise BadPhone(f"not a usable phone number: {raw!r}")
    return "+" + digits
