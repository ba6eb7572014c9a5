"""Showing user-typed text literally: Rich markup escaped, control characters made visible.

Names come from org files and from the desk's intake, so an officer called
"Mallory \\x1b]52;c;…\\x07" must not write to the clipboard of whoever lists the queue, and a
bidi override must not reorder the line it sits on. Every name the CLI and the desk show goes
through `visible_controls` (or `safe_markup` when the text joins a Rich markup string).
"""

import re

# C0 and C1 controls and DEL, except tab and newline which render harmlessly; the bidi
# embeddings, overrides and isolates and the direction marks (LRM, RLM, ALM); the line and
# paragraph separators that break a one-line cell.
_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
# What json.dumps(ensure_ascii=False) leaves raw although a terminal acts on it.
_JSON_RAW = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
QUOTE_AT_MOST = 80  # characters of a value an error message repeats


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def visible_controls(text: str) -> str:
    """ESC becomes "\\x1b", U+202E "\\u202e" and so on: stored bytes cannot drive the
    terminal nor reorder what is shown. Lone surrogates (undecodable input) become "\\udcff"."""
    shown = _CONTROL.sub(_escaped, text)
    if _has_surrogate(shown):
        return shown.encode("utf-8", "backslashreplace").decode("utf-8")
    return shown


def one_line(text: str) -> str:
    """An error message for stderr: controls visible, line breaks shown as \\n, so a value
    it quotes can neither drive the terminal nor start a second line."""
    return visible_controls(text).replace("\n", "\\n").replace("\t", " ")


def safe_markup(text: str) -> str:
    """Text for a Rich markup string: controls neutralised, then markup escaped."""
    from rich.markup import escape

    return escape(visible_controls(text))


def inert_json(document: str) -> str:
    """A JSON text with DEL, C1 controls and bidi marks written as \\uXXXX escapes: the same
    strings to a parser, inert on a terminal (json.dumps already escapes the C0 controls)."""
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", document)


def quoted(value: str) -> str:
    """A value for a one-line error: at most 80 characters, repr-quoted (repr escapes the
    controls, bidi marks and surrogates as \\x1b, \\u202e, \\udcff)."""
    return repr(value if len(value) <= QUOTE_AT_MOST else value[:QUOTE_AT_MOST] + "…")


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False
