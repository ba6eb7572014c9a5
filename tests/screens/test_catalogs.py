"""The gettext catalogs: compiled .mo files match their .po sources, and every string the
screens mark has an Indonesian translation."""

import gettext
import io
from importlib.resources import files

import pytest
from babel.messages.extract import extract_from_dir, extract_from_file
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

LOCALE = files("ptsa_tui") / "locale"
SCREENS = files("ptsa_tui") / "screens"
STORE = files("ptsa_tui") / "store"
PHONE = files("ptsa_tui") / "phone.py"
# What scripts/i18n.sh extracts: the screens' marks, and the store's error templates and terms.
ERRORS = (
    "PtsaError",
    "DatabaseUnavailable",
    "InvalidInput",
    "Conflict",
    "NotFound",
    "NotAllowed",
    "TooSoon",
)
KEYWORDS = dict.fromkeys(("_", "N_", "Term", "Phrase", "PhraseError", "BadPhone", *ERRORS))


def catalog(language: str) -> dict[str, str]:
    path = LOCALE / language / "LC_MESSAGES" / "ptsa.po"
    parsed = read_po(io.BytesIO(path.read_bytes()), locale=language)
    return {str(m.id): str(m.string) for m in parsed if m.id}


@pytest.mark.parametrize("language", ["id", "en"])
def test_mo_files_are_compiled_from_the_current_po_files(language: str) -> None:
    mo = read_mo(io.BytesIO((LOCALE / language / "LC_MESSAGES" / "ptsa.mo").read_bytes()))
    compiled = {str(m.id): str(m.string) for m in mo if m.id and m.string}
    translated = {key: value for key, value in catalog(language).items() if value}
    assert compiled == translated, "run scripts/i18n.sh to recompile the catalogs"


def marked(source: object) -> set[str]:
    """What scripts/i18n.sh extracts from a directory or one file."""
    if str(source).endswith(".py"):
        found = extract_from_file("python", str(source), keywords=KEYWORDS)
        return {str(message) for _line, message, _comments, _context in found}
    return {
        str(message)
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(source), keywords=KEYWORDS
        )
    }


@pytest.mark.parametrize(
    "directory", [SCREENS, STORE, PHONE], ids=["screens", "store", "phone numbers"]
)
def test_every_marked_string_has_an_indonesian_translation(directory: object) -> None:
    shown = marked(directory)
    assert shown, "nothing was extracted: the keywords no longer match the code"
    indonesian = catalog("id")
    missing = sorted(m for m in shown if not indonesian.get(m))
    assert missing == [], "run scripts/i18n.sh and translate the new strings"


def test_every_state_a_refusal_names_has_an_indonesian_translation() -> None:
    """{status} and {outcome} are filled in with a request's or task's state, translated."""
    from ptsa_tui.store.domain import Outcome, Status

    indonesian = catalog("id")
    states = {str(state) for state in (*Status, *Outcome)}
    assert sorted(s for s in states if not indonesian.get(s)) == []


def test_indonesian_is_loaded_at_run_time() -> None:
    found = gettext.translation("ptsa", localedir=str(LOCALE), languages=["id"])
    assert found.gettext("Queue") == "Antrean"
