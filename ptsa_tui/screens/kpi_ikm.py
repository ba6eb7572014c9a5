"""The KPI screen's satisfaction line: the highlighted unit's IKM and grade over the period,
beside the office's (SKM responses, PermenPANRB 14/2017)."""

from typing import TYPE_CHECKING

from rich.text import Text

from ptsa_tui.screens.cells import literal
from ptsa_tui.screens.i18n import _

if TYPE_CHECKING:
    from ptsa_tui.store.api import IkmReport, Satisfaction

GRADE_STYLES = {"A": "bold green", "B": "green", "C": "yellow", "D": "bold red"}


def _figure(figures: "Satisfaction") -> Text:
    if figures.ikm is None or figures.grade is None:
        return Text(_("no survey responses"), "dim")
    return Text.assemble(
        (f"{figures.ikm:.2f}", "bold"),
        " ",
        (figures.grade, GRADE_STYLES.get(figures.grade, "")),
        " · ",
        _("{n} responses").format(n=figures.responses),
    )


def ikm_line(report: "IkmReport | None", unit: str | None) -> Text:
    """ "IKM A2X 86.11 B · 12 responses │ office 78.47 B · 40 responses"."""
    if report is None:
        return Text("")
    line = Text.assemble((_("IKM"), "bold"), " ")
    chosen = next((u for u in report.units if u.unit == unit), None)
    if chosen is not None:
        line.append_text(literal(chosen.unit or ""))
        line.append(" ")
        line.append_text(_figure(chosen))
        line.append(" │ ")
    line.append(_("office") + " ")
    line.append_text(_figure(report.office))
    return line
