"""An SMS stays within 160 GSM-7 septets, or is cut at a word with the tracking number kept."""

from hypothesis import given
from hypothesis import strategies as st

from ptsa_tui.alerts.sms_fit import fit_sms, septets

TRACKING = "PTSA-2026-000123"
words = st.text(alphabet=st.characters(codec="utf-8"), max_size=30)


def test_a_short_message_is_left_as_it_is() -> None:
    text = f"PTSA Kemnaker: permohonan {TRACKING} diterima."
    assert fit_sms(text, keep=TRACKING) == text


def test_a_long_message_is_cut_at_a_word_and_keeps_the_tracking_number_it_held() -> None:
    reason = "surat keterangan domisili asli dan fotokopi KTP " * 5
    text = f"PTSA Kemnaker: permohonan {TRACKING} menunggu kelengkapan: {reason}"
    fitted = fit_sms(text, keep=TRACKING)
    assert septets(fitted) <= 160
    assert fitted.endswith(" ..")
    assert TRACKING in fitted
    assert text.startswith(fitted.removesuffix(" .."))  # whole words, in order


def test_a_tracking_number_past_the_cut_is_put_back_at_the_end() -> None:
    text = "Terima kasih " * 20 + TRACKING
    fitted = fit_sms(text, keep=TRACKING)
    assert septets(fitted) <= 160 and fitted.endswith(f" .. {TRACKING}")


def test_extension_characters_count_twice() -> None:
    assert septets("{}") == 4
    text = "{" * 100 + " " + TRACKING
    assert septets(fit_sms(text, keep=TRACKING)) <= 160


def test_letters_outside_gsm7_are_flattened_so_the_sms_is_not_cut_to_70() -> None:
    assert fit_sms("Ṡurat `x` naïve", keep="") == "Surat ?x? naive"


@given(st.lists(words, max_size=40))
def test_any_text_fits_and_keeps_the_tracking_number(parts: list[str]) -> None:
    text = " ".join([*parts[:3], TRACKING, *parts[3:]])
    fitted = fit_sms(text, keep=TRACKING)
    assert septets(fitted) <= 160
    assert TRACKING in fitted
