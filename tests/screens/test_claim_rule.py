"""The request screen says where a claim deadline comes from: seen before, the README spoke of
30 minutes while PPTKA showed 45 (its own rule in the org file), and nothing said why."""

import asyncio
from datetime import timedelta

from sqlalchemy import Engine, text

from ptsa_tui.config import Settings
from ptsa_tui.screens.app import DeskApp
from ptsa_tui.screens.cells import span
from ptsa_tui.store.workflow import Workflow
from tests.conftest import MONDAY_10
from tests.screens.conftest import AppFactory, log_in, open_request
from tests.screens.screen_text import screen_text


def _request_page(app: DeskApp, officer: str) -> str:
    async def scenario() -> str:
        async with app.run_test(size=(100, 40)) as pilot:
            await log_in(pilot, officer)
            await open_request(pilot)
            return screen_text(app)

    return asyncio.run(scenario())


def _at_echelon_2(workflow: Workflow, service: str, unit: str) -> None:
    task = workflow.register(
        by="p0", service_code=service, customer={"name": "PT Aturan"}, subject="s", now=MONDAY_10
    ).task
    assert task.id is not None
    later = MONDAY_10 + timedelta(minutes=1)
    workflow.claim(task_id=task.id, by="p1a", now=later)
    workflow.dispatch(task_id=task.id, to=unit, by="p1a", now=later)


def test_a_deadline_names_the_office_rule_or_the_units_own(
    desks: None,
    make_app: AppFactory,
    workflow: Workflow,
    settings: Settings,
    engine: Engine,
    password_hash: str,
) -> None:
    with engine.begin() as conn:  # p2ay works in A2Y; the desk fixtures give it no password
        conn.execute(
            text("UPDATE officer SET password_hash = :hash WHERE username = 'p2ay'"),
            {"hash": password_hash},
        )
    _at_echelon_2(workflow, "SVC-A", "A2X")
    _at_echelon_2(workflow, "SVC-AY", "A2Y")  # A2Y claims within 1h, its own rule

    office = span(settings.sla.claim_for("P2"))
    assert f"{office} untuk klaim, aturan kantor untuk P2" in _request_page(make_app(), "p2ax")
    assert "1h00m untuk klaim, aturan khusus A2Y" in _request_page(make_app(), "p2ay")
