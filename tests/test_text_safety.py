"""Names made inert for a terminal: controls, escape sequences and bidi marks shown as text."""

import json

import pytest

from ptsa_tui.text_safety import inert_json, one_line, quoted, safe_markup, visible_controls

MALLORY = "Mallory \u001b[31mRED\u001b]52;c;SGFja2Vk\u0007"


def test_escape_sequences_and_the_bell_become_visible() -> None:
    assert visible_controls(MALLORY) == "Mallory \\x1b[31mRED\\x1b]52;c;SGFja2Vk\\x07"


@pytest.mark.parametrize(
    "mark", ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068",
             "\u2069", "\u200e", "\u200f", "\u061c", "\u2028", "\u2029", "\x85", "\x9b", "\x7f"],
)  # fmt: skip
def test_bidi_marks_and_c1_controls_become_visible(mark: str) -> None:
    shown = visible_controls(f"a{mark}b")
    assert mark not in shown
    assert (
        shown
        == f"a\\{'x' if ord(mark) <= 0xFF else 'u'}{ord(mark):0{2 if ord(mark) <= 0xFF else 4}x}b"
    )


def test_letters_of_any_script_stay_as_they_are() -> None:
    text = "Budi Santoso · بودي · 布迪 · Ünal\ttab\nline"
    assert visible_controls(text) == text


def test_undecodable_input_is_shown_as_its_escape() -> None:
    assert visible_controls("Bu\udcffdi") == "Bu\\udcffdi"


def test_markup_is_escaped_after_the_controls() -> None:
    assert safe_markup("[red]x\x1b") == "\\[red]x\\x1b"


def test_an_error_line_stays_one_line() -> None:
    assert one_line("a\nb\x1ec\u2028") == "a\\nb\\x1ec\\u2028"
    assert len(one_line("a\nb").splitlines()) == 1


def test_a_quoted_value_is_short_and_escaped() -> None:
    shown = quoted("\u202e" + "x" * 10_000)
    assert len(shown) < 100 and "\u202e" not in shown and "\\u202e" in shown


def test_json_keeps_its_strings_and_loses_the_raw_marks() -> None:
    payload = {"name": MALLORY + "\u202e\x9b"}
    document = inert_json(json.dumps(payload, ensure_ascii=False))
    assert json.loads(document) == payload
    for raw in ("\x1b", "\x07", "\u202e", "\x9b"):
        assert raw not in document
