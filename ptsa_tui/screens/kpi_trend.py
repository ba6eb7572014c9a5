"""The weekly trend of one unit, as two terminal plots: claim time, and the shares on time.

Drawn with textual-plot (native Textual canvases). The plots are for reading, not for
exploring: they take no focus, so their zoom and pan keys never shadow the screen's.
"""

from collections.abc import Sequence
from datetime import date, timedelta
from math import ceil
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Static
from textual_plot import AxisFormatter, HiResMode, PlotWidget

from ptsa_tui.screens.cells import literal, span
from ptsa_tui.screens.i18n import _

if TYPE_CHECKING:
    from ptsa_tui.store.api import WeekKpi

CLAIM_STYLE = "bold yellow"
SLA_STYLE = "bold green"
SOP_STYLE = "bold cyan"
LABEL_WIDTH = 7  # a week's tick, "24/08", and the gap to the next


class WeekAxis(AxisFormatter):
    """Week numbers 0, 1, … on the x axis, labelled with the date of their Monday."""

    def __init__(self, weeks: Sequence[date]) -> None:
        self.weeks = list(weeks)

    def get_ticks(self, min_: float, max_: float, max_ticks: int = 8) -> list[float]:
        return [float(i) for i in range(len(self.weeks))]

    def get_labels_for_ticks(self, ticks: Sequence[float]) -> list[str]:
        return [self.weeks[round(t)].strftime("%d/%m") for t in ticks]


class ClaimAxis(AxisFormatter):
    """Claim times in seconds, ticked at round durations and labelled 30s, 5m, 1h30m."""

    STEPS = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200)

    def get_ticks(self, min_: float, max_: float, max_ticks: int = 8) -> list[float]:
        step = next((s for s in self.STEPS if (max_ - min_) / s <= 5), 86400)
        return [float(t) for t in range(ceil(min_ / step) * step, int(max_) + 1, step)]

    def get_labels_for_ticks(self, ticks: Sequence[float]) -> list[str]:
        return [span(timedelta(seconds=t)) if t else "0" for t in ticks]


class WeekPlot(PlotWidget, can_focus=False):
    DEFAULT_CSS = """
    WeekPlot {
        height: 1fr;
    }
    """

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id, allow_pan_and_zoom=False)
        self.weeks: list[date] = []

    def on_mount(self) -> None:
        self.margin_top, self.margin_bottom, self.margin_left = 1, 1, 7

    def draw(
        self,
        weeks: Sequence[date],
        lines: Sequence[tuple[Sequence[float | None], str]],
        *,
        top: float | None,
        unit: str,
    ) -> None:
        """Each line's weekly values (None: no figure that week), from 0 up to `top` (or
        the highest value)."""
        self.clear()
        self.weeks = list(weeks)
        self.set_x_formatter(WeekAxis(weeks))
        self.set_xlimits(-0.5, max(len(weeks), 1) - 0.5)
        highest = max((v for values, _style in lines for v in values if v is not None), default=0)
        # Headroom: a point on the top edge would sit under the frame, unseen.
        self.set_ylimits(0.0, (top or highest or 1.0) * 1.08)
        self.set_ylabel(unit)
        for values, style in lines:
            # A week without a figure breaks the line rather than bridging it.
            for run in _runs(values):
                if len(run) > 1:
                    xs, ys = zip(*run, strict=True)
                    self.plot(xs, ys, line_style=style, hires_mode=HiResMode.BRAILLE)
            points = [(x, y) for x, y in enumerate(values) if y is not None]
            if points:
                xs, ys = zip(*points, strict=True)
                self.scatter(xs, ys, marker="•", marker_style=style)
        self._space_ticks()

    def on_resize(self, event: events.Resize) -> None:
        self._space_ticks()

    def _space_ticks(self) -> None:
        room = max(1, (self.size.width - self.margin_left) // LABEL_WIDTH)
        step = max(1, ceil(len(self.weeks) / room))
        # Count back from the latest week, so the week the period ends in is always labelled.
        last = len(self.weeks) - 1
        self.set_xticks(sorted(float(i) for i in range(last, -1, -step)))
        self.refresh(layout=True)


class TrendPlots(Vertical):
    """The selected unit's weeks: its claim time (median), and its shares within the claim
    SLA and (for the unit that serves) within the SOP time."""

    DEFAULT_CSS = """
    TrendPlots {
        height: 1fr;
        min-height: 8;
    }
    TrendPlots #trend-heading {
        height: 1;
        padding: 0 1;
        color: $text-muted;
    }
    TrendPlots Horizontal {
        height: 1fr;
    }
    TrendPlots Horizontal > Vertical {
        width: 1fr;
    }
    TrendPlots .trend-title {
        height: 1;
        padding: 0 1;
        text-style: bold;
    }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="trend-heading")
        with Horizontal():
            with Vertical():
                yield Static(id="claim-title", classes="trend-title")
                yield WeekPlot(id="claim-plot")
            with Vertical():
                yield Static(id="share-title", classes="trend-title")
                yield WeekPlot(id="share-plot")

    def show(self, code: str, name: str, tier: int, weeks: "Sequence[WeekKpi]") -> None:
        starts = [w.week_start for w in weeks]
        heading = Text.assemble(_("Weekly trend"), ": ", literal(code, style="bold"), " — ")
        heading.append_text(literal(name))
        self.query_one("#trend-heading", Static).update(heading)
        self.query_one("#claim-title", Static).update(
            Text(_("Claim time, median"), style=CLAIM_STYLE)
        )
        claim = self.query_one("#claim-plot", WeekPlot)
        claim.set_y_formatter(ClaimAxis())
        claim.draw(starts, [([w.claim_p50_s for w in weeks], CLAIM_STYLE)], top=None, unit="")
        share_title = Text.assemble((_("Claimed within SLA, %"), SLA_STYLE))
        lines = [([_percent(w.claimed_within_sla) for w in weeks], SLA_STYLE)]
        if tier == 2:
            share_title.append(" · ")
            share_title.append(_("resolved within SOP"), style=SOP_STYLE)
            lines.append(([_percent(w.resolved_within_sop) for w in weeks], SOP_STYLE))
        self.query_one("#share-title", Static).update(share_title)
        self.query_one("#share-plot", WeekPlot).draw(starts, lines, top=100.0, unit="")


def _runs(values: Sequence[float | None]) -> list[list[tuple[int, float]]]:
    """The stretches of consecutive weeks that have a figure, as (week, value) points."""
    runs: list[list[tuple[int, float]]] = [[]]
    for week, value in enumerate(values):
        if value is None:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append((week, value))
    return [run for run in runs if run]


def _percent(fraction: float | None) -> float | None:
    return None if fraction is None else fraction * 100
