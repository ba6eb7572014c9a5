"""How the KPI figures read on screen: claim times, shares, the row of one unit."""

from datetime import tzinfo
from typing import TYPE_CHECKING

from rich.text import Text

from ptsa_tui.screens.cells import literal, when
from ptsa_tui.screens.i18n import N_

if TYPE_CHECKING:
    from ptsa_tui.store.api import UnitKpi

# Short labels: with a long unit code the figures still fit 80 columns; the name may not.
COLUMNS = (
    ("unit", N_("Unit")),
    ("received", N_("Recv.")),
    ("resolved", N_("Done")),
    ("p50", N_("Claim p50")),
    ("p90", N_("p90")),
    ("sla", N_("SLA")),
    ("sop", N_("SOP")),
    ("backlog", N_("Backlog")),
    ("oldest", N_("Oldest")),
    ("name", N_("Name")),
)
NONE = "—"
DRILLS = " ▸"  # after the code of a unit whose echelon-2 units Enter shows
CODE_WIDTH = 14  # longer codes are cut here; the plots' heading shows the code whole


def duration(seconds: float | None) -> str:
    """A claim time to the second under an hour, e.g. 45s, 4m12s, 2h05m, 1d03h."""
    if seconds is None:
        return NONE
    total = round(seconds)
    days, rest = divmod(total, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days}d{hours:02d}h"
    if hours:
        return f"{hours}h{minutes:02d}m"
    if minutes:
        return f"{minutes}m{secs:02d}s"
    return f"{secs}s"


def share(fraction: float | None) -> Text:
    """A share in whole percent, red below 80% and green from 95%."""
    if fraction is None:
        return Text(NONE)
    style = "green" if fraction >= 0.95 else "bold red" if fraction < 0.8 else ""
    return Text(f"{fraction * 100:.0f}%", style=style)


def unit_cells(row: "UnitKpi", zone: tzinfo, *, drills: bool) -> tuple[Text | str, ...]:
    """One unit's figures, in the order of `COLUMNS`."""
    code = literal(row.unit, style="bold" if drills else "")
    code.truncate(CODE_WIDTH - len(DRILLS), overflow="ellipsis")
    if drills:
        code.append(DRILLS)
    return (
        code,
        str(row.received),
        str(row.resolved),
        duration(row.claim_p50_s),
        duration(row.claim_p90_s),
        share(row.claimed_within_sla),
        share(row.resolved_within_sop),
        str(row.backlog),
        when(row.oldest_open_since, zone),
        literal(row.name),
    )
