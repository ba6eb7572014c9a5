"""Durations as operators write them in the configuration and the organisation file."""

from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ptsa_tui.durations import format_duration, parse_duration


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("45s", timedelta(seconds=45)),
        ("30m", timedelta(minutes=30)),
        ("2h", timedelta(hours=2)),
        ("1h30m", timedelta(minutes=90)),
        ("1d", timedelta(days=1)),
        ("1d2h3m4s", timedelta(days=1, hours=2, minutes=3, seconds=4)),
        ("90m", timedelta(hours=1, minutes=30)),
        ("0s", timedelta(0)),
        ("30M", timedelta(minutes=30)),
        ("  30m\t", timedelta(minutes=30)),
        ("PT30M", timedelta(minutes=30)),
        ("PT1H30M", timedelta(minutes=90)),
        ("PT45S", timedelta(seconds=45)),
        ("P1D", timedelta(days=1)),
        ("P2DT3H", timedelta(days=2, hours=3)),
        ("pt30m", timedelta(minutes=30)),
    ],
)
def test_parses(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "soon",
        "30",
        "m",
        "1.5h",
        "-5m",
        "+5m",
        "30 m",
        "1 h 30 m",
        "30m1h",
        "1h30",
        "h30",
        "30min",
        "2w",
        "P",
        "PT",
        "PT30X",
        "P1H",
        "T30M",
        "30m\x00",
        "99999999999d",
        "99999999999999999999999h",
    ],
)
def test_refuses_naming_the_text(text: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_duration(text)
    message = str(caught.value)
    assert repr(text) in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(0), "0s"),
        (timedelta(seconds=45), "45s"),
        (timedelta(minutes=30), "30m"),
        (timedelta(minutes=90), "1h30m"),
        (timedelta(days=1, seconds=1), "1d1s"),
        (timedelta(minutes=-5), "-5m"),
        (timedelta(seconds=59, microseconds=999_999), "59s"),
    ],
)
def test_formats(delta: timedelta, text: str) -> None:
    assert format_duration(delta) == text


@settings(database=None, max_examples=300)
@given(st.integers(min_value=0, max_value=10**9 * 86400 // 1000))
def test_format_reads_back(seconds: int) -> None:
    delta = timedelta(seconds=seconds)
    assert parse_duration(format_duration(delta)) == delta
