"""Showing user-typed text literally: Rich markup escaped, control characters made visible."""

import re

# C0 and C1 controls and DEL, except tab and newline which render harmlessly.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def visible_controls(text: str) -> str:
    """ESC becomes "\\x1b" and so on, so a stored escape sequence cannot drive the terminal."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def safe_markup(text: str) -> str:
    """Text for a Rich markup string: controls neutralised, then markup escaped."""
    from rich.markup import escape

    return escape(visible_controls(text))
