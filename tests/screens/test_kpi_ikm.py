"""The KPI screen's satisfaction line: the highlighted unit's IKM and grade beside the
office's. Worked by hand: two closed A2X requests rated all 4 and all 3 give NRR 3.5 for each
element, IKM = 3.5 × 25 = 87.50, grade B (76.61–88.30); A1, an echelon-1 unit, has none."""

import asyncio
from datetime import date
from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from ptsa_tui.screens.i18n import use_language
from ptsa_tui.screens.kpi_ikm import ikm_line
from ptsa_tui.screens.kpi_screen import KpiScreen
from ptsa_tui.store.ikm import IkmReport, Satisfaction
from ptsa_tui.store.workflow import Workflow
from tests.alerts.notice_helpers import served_to_the_end
from tests.screens.conftest import AppFactory, log_in, until
from tests.store.helpers import wib


def test_the_kpi_screen_shows_the_units_ikm_and_the_offices(
    desks: None, make_app: AppFactory, workflow: Workflow
) -> None:
    for score in (4, 3):
        closed = served_to_the_end(workflow)
        workflow.rate(tracking_no=closed.request.tracking_no, scores=[score] * 9, now=wib(25, 9))
    app = make_app(clock=lambda: wib(30, 10), live=False)

    async def scenario(pilot: Pilot[Any]) -> list[str]:
        await log_in(pilot, "spv1a")
        await pilot.press("k")
        await until(pilot, lambda: isinstance(app.screen, KpiScreen) and app.screen.ikm is not None)
        screen = app.screen
        assert isinstance(screen, KpiScreen)
        table = screen.query_one("#kpi-units", DataTable)
        seen = [str(screen.query_one("#kpi-ikm", Static).render())]  # A1: echelon-1
        await pilot.press("enter")  # into A1's echelon-2 units
        await until(pilot, lambda: screen.drilled_into == "A1")
        for row in range(table.row_count):
            table.move_cursor(row=row)
            await pilot.pause()
            seen.append(str(screen.query_one("#kpi-ikm", Static).render()))
        return seen

    async def run() -> list[str]:
        async with app.run_test(size=(120, 40)) as pilot:
            return await scenario(pilot)

    lines = asyncio.run(run())
    assert lines[0] == "IKM kantor 87.50 B · 2 tanggapan"  # an echelon-1 unit: the office only
    assert "IKM A2X 87.50 B · 2 tanggapan │ kantor 87.50 B · 2 tanggapan" in lines
    assert "IKM A2Y belum ada tanggapan survei │ kantor 87.50 B · 2 tanggapan" in lines


def test_a_period_without_responses_says_so() -> None:
    use_language("id")
    nobody = Satisfaction(unit=None, name="office", responses=0, nrr=None, ikm=None, grade=None)
    a2x = Satisfaction(unit="A2X", name="A-X", responses=0, nrr=None, ikm=None, grade=None)
    report = IkmReport(start=date(2026, 11, 1), end=date(2026, 11, 30), units=[a2x], office=nobody)
    assert ikm_line(report, "A2X").plain == (
        "IKM A2X belum ada tanggapan survei │ kantor belum ada tanggapan survei"
    )
    assert ikm_line(None, "A2X").plain == ""  # before the first load
