"""Store errors carry an English template and its parameters: `str()` is the English line the
CLI prints; `render` gives it in another language and time zone, user data left as typed."""

from datetime import UTC, datetime

from ptsa_tui.store.errors import Conflict, InvalidInput, NotAllowed, Term
from tests.conftest import WIB

WORDS = {
    "task {task} is already claimed by {holder}": "tugas {task} sudah diklaim oleh {holder}",
    "{officer} may not {verb} task {task}": "{officer} tidak boleh {verb} tugas {task}",
    "claim": "mengklaim",
    "until {until}": "sampai {until}",
}


def indonesian(text: str) -> str:
    return WORDS.get(text, text)


def test_the_english_line_is_the_template_filled_in() -> None:
    error = Conflict(
        "task {task} is already claimed by {holder}", task=60, holder="p1 (Rizky Maulana)"
    )
    assert str(error) == "task 60 is already claimed by p1 (Rizky Maulana)"
    assert error.render(indonesian) == "tugas 60 sudah diklaim oleh p1 (Rizky Maulana)"


def test_terms_are_translated_and_user_data_is_not() -> None:
    error = NotAllowed(
        "{officer} may not {verb} task {task}", officer="claim", verb=Term("claim"), task=7
    )
    assert error.render(indonesian) == "claim tidak boleh mengklaim tugas 7"


def test_braces_in_user_data_or_in_a_plain_message_stay_as_typed() -> None:
    assert str(Conflict("task {task} is already claimed by {holder}", task=1, holder="{task}")) == (
        "task 1 is already claimed by {task}"
    )
    assert str(InvalidInput("a {literal} brace")) == "a {literal} brace"


def test_times_are_shown_in_the_zone_asked_for_else_their_own() -> None:
    at = datetime(2026, 11, 23, 3, 15, tzinfo=UTC)
    error = NotAllowed("until {until}", until=at)
    assert str(error) == "until 03:15 UTC"
    assert error.render(indonesian, WIB) == "sampai 10:15 WIB"
    assert str(NotAllowed("until {until}", until=at.astimezone(WIB))) == "until 10:15 WIB"
