"""The gettext catalogs: compiled .mo files match their .po sources, and every string the
screens mark has an Indonesian translation."""

import gettext
import io
from importlib.resources import files

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

LOCALE = files("ptsa_tui") / "locale"
SCREENS = files("ptsa_tui") / "screens"


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


def test_every_marked_string_has_an_indonesian_translation() -> None:
    marked = {
        str(message)
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(SCREENS), keywords={"_": None, "N_": None}
        )
    }
    indonesian = catalog("id")
    missing = sorted(m for m in marked if not indonesian.get(m))
    assert missing == [], "run scripts/i18n.sh and translate the new strings"


def test_indonesian_is_loaded_at_run_time() -> None:
    found = gettext.translation("ptsa", localedir=str(LOCALE), languages=["id"])
    assert found.gettext("Queue") == "Antrean"
