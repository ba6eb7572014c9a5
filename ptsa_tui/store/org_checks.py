"""What an organisation file may hold, checked before anything is written.

Every text field is one line of printable text: no NUL, no control character, no bidi
override (names reach terminals and desks). A code or username appears once per file, since
a second one would silently win. The caps come from `limits`, like everywhere else.
"""

import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ptsa_tui.store.errors import InvalidInput

# C0 and C1 controls (tab and newline too: every field is one line), DEL, the bidi embeddings,
# overrides, isolates and marks, and the line and paragraph separators.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(value: Any) -> Any:
    """A pydantic before-validator for every field: a string with an unsafe character fails,
    naming the character by its code point (the field itself is named by pydantic)."""
    if isinstance(value, str) and (found := _UNSAFE.search(value)):
        raise ValueError(f"contains the control character U+{ord(found.group()):04X}")
    return value


def org_text(path: Path) -> str:
    """The file's text: UTF-8 (a BOM is allowed), else one line naming where it breaks."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InvalidInput(f"cannot read {path}: {error.strerror}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InvalidInput(
            f"{path}: not valid UTF-8 (byte 0x{data[error.start]:02x} on line {line})"
        ) from None


def refuse_duplicates(source: str, section: str, key: str, values: Iterable[str]) -> None:
    """InvalidInput naming the first value of `key` that appears more than once."""
    twice = [value for value, count in Counter(values).items() if count > 1]
    if twice:
        raise InvalidInput(f"{source}: {section}: {key} {twice[0]!r} appears more than once")
