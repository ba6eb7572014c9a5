"""Phone numbers: the one normalisation the store and the SMS alerts share."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ptsa_tui.phone import BadPhone, normalise_phone

NOISE = " -()."


@pytest.mark.parametrize(
    ("raw", "international"),
    [
        ("0812-3456-7890", "+6281234567890"),
        ("62 812 3456 7890", "+6281234567890"),
        ("+6281234567890", "+6281234567890"),
        ("0062 812 3456 7890", "+6281234567890"),
        ("(021) 555 1234", "+62215551234"),
        ("+44 20 7946 0958", "+442079460958"),
        ("0044 20 7946 0958", "+442079460958"),
    ],
)
def test_phone_numbers_are_normalised(raw: str, international: str) -> None:
    assert normalise_phone(raw) == international


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "abc",
        "12345",
        "0812x",
        "12ab-x",
        "0812",  # too short
        "+0812345678",  # no country code starts with 0
        "+6281234567890123",  # 16 digits
        "٠٨١٢٣٤٥٦٧٨٩٠",  # Arabic-Indic digits: isdigit() but not sendable
    ],
)
def test_unusable_phone_numbers_are_refused(raw: str) -> None:
    with pytest.raises(BadPhone, match="not a phone number") as refused:
        normalise_phone(raw)
    assert isinstance(refused.value, ValueError)  # so pydantic reports it as the field's problem


@given(st.text(alphabet="0123456789+" + NOISE + "x", max_size=24))
def test_normalising_twice_is_normalising_once(raw: str) -> None:
    try:
        once = normalise_phone(raw)
    except BadPhone:
        return
    assert normalise_phone(once) == once


# Indonesian numbers without the 0 or 62: 6 to 13 digits keep the whole within E.164's 15.
national = st.from_regex(r"[1-9][0-9]{5,12}", fullmatch=True)


@given(national, st.data())
def test_every_written_form_of_a_number_is_the_same_number(
    number: str, data: st.DataObject
) -> None:
    forms = ["0" + number, "62" + number, "+62" + number, "0062" + number]
    written = [
        "".join(char + data.draw(st.text(alphabet=NOISE, max_size=2)) for char in form)
        for form in forms
    ]
    assert {normalise_phone(raw) for raw in written} == {"+62" + number}
