"""How wide each inbox column may be at a given screen width, giving way by priority.

The tracking number and the age are never cut. When the screen is narrow the service gives
way first, then the claim deadline and the customer down to what still reads; the SOP due
date keeps its day and hour.
"""

from collections.abc import Mapping

from rich.text import Text

from ptsa_tui.screens.i18n import N_

COLUMNS = (
    ("tracking", N_("Tracking no.")),
    ("service", N_("Service")),
    ("customer", N_("Customer")),
    ("age", N_("Age")),
    ("claim", N_("Claim deadline")),
    ("sop", N_("SOP due")),
)
# (widest it needs, narrowest it still reads) in cells, per column
WIDTHS = {
    "tracking": (16, 16),
    "service": (16, 6),
    "customer": (18, 14),
    "age": (5, 5),
    "claim": (20, 14),
    "sop": (11, 11),
}
GIVES_WAY = ("service", "customer", "claim")  # the first shrinks first
FITTED = frozenset(GIVES_WAY)  # sized to what their cells need
PADDING = 2  # a cell's padding, one each side
SCROLLBAR = 2


def column_caps(
    screen_width: int, needs: Mapping[str, int] | None = None, scrolls: bool = True
) -> dict[str, int]:
    """The widest each column may draw its cells at this width. `needs` says how wide a
    column's content and heading are now, where less than its widest; `scrolls`, whether
    there are more rows than lines, so a scrollbar takes its share of the width."""
    needs = needs or {}
    caps = {
        key: max(min(widest, needs.get(key, widest)), narrowest)
        for key, (widest, narrowest) in WIDTHS.items()
    }
    room = screen_width - (SCROLLBAR if scrolls else 0) - PADDING * len(COLUMNS)
    excess = sum(caps.values()) - room
    for key in GIVES_WAY:
        if excess <= 0:
            break
        give = min(excess, caps[key] - WIDTHS[key][1])
        caps[key] -= give
        excess -= give
    return caps


def cut(cell: "Text | str", width: int) -> "Text | str":
    """The cell as drawn in a column capped at `width`: longer text ends in an ellipsis."""
    if not isinstance(cell, Text) or cell.cell_len <= width:
        return cell
    cut = cell.copy()
    cut.truncate(width, overflow="ellipsis")
    return cut
