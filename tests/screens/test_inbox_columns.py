"""The inbox's columns at any width: never wider than the screen from 80 columns up, the
tracking number and the age never cut, and the service giving way before the customer and
the claim deadline."""

from hypothesis import given
from hypothesis import strategies as st

from ptsa_tui.screens.inbox_columns import COLUMNS, PADDING, SCROLLBAR, WIDTHS, column_caps

NEEDS = st.fixed_dictionaries(
    {key: st.integers(min_value=0, max_value=60) for key in ("service", "customer", "claim")}
)


@given(width=st.integers(min_value=80, max_value=300), needs=NEEDS, scrolls=st.booleans())
def test_the_columns_fit_from_80_columns_up(
    width: int, needs: dict[str, int], scrolls: bool
) -> None:
    caps = column_caps(width, needs, scrolls=scrolls)
    drawn = sum(caps.values()) + PADDING * len(COLUMNS) + (SCROLLBAR if scrolls else 0)
    assert drawn <= width
    assert caps["tracking"] == len("PTSA-2026-000123")
    assert caps["age"] == len("3d04h")
    for key, (widest, narrowest) in WIDTHS.items():
        assert narrowest <= caps[key] <= widest


def test_nothing_gives_way_when_there_is_room() -> None:
    assert column_caps(120) == {key: widest for key, (widest, _n) in WIDTHS.items()}


def test_at_80_columns_the_service_gives_way_first() -> None:
    # 68 cells for 16 + 16 + 16 + 5 + 15 + 11 = 79: the service gives 10, down to its 6,
    # then the customer the last 1; the claim deadline keeps its 15.
    caps = column_caps(80, {"service": 16, "customer": 16, "claim": 15}, scrolls=False)
    assert (caps["service"], caps["customer"], caps["claim"]) == (6, 15, 15)
