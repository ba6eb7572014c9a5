"""The request screen's timeline says what happened in sentences, in the officer's language:
seen before, it printed the stored keys (`to=PPTKA from=BINAPENTA`, `unit=… service=…`)."""

import asyncio
from datetime import timedelta

from ptsa_tui.store.workflow import Workflow
from tests.conftest import MONDAY_10
from tests.screens.conftest import AppFactory, log_in, open_request
from tests.screens.screen_text import screen_text

NOTE = "[red]bawa paspor"


def test_the_timeline_reads_as_sentences_in_indonesian(
    desks: None, make_app: AppFactory, workflow: Workflow
) -> None:
    task = workflow.register(
        by="p0", service_code="SVC-A", customer={"name": "PT Kalimat"}, subject="s", now=MONDAY_10
    ).task
    assert task.id is not None
    later = MONDAY_10 + timedelta(minutes=5)
    workflow.claim(task_id=task.id, by="p1a", now=later)
    workflow.dispatch(task_id=task.id, to="A2X", by="p1a", note=NOTE, now=later)
    app = make_app(live=False)

    async def scenario() -> str:
        async with app.run_test(size=(120, 40)) as pilot:
            await log_in(pilot, "p2ax")
            await open_request(pilot)
            return screen_text(app)

    page = asyncio.run(scenario())
    assert f"dari A1 ke A2X; catatan: {NOTE}" in page  # the note as typed, markup and all
    assert "ke A1; layanan SVC-A" in page
    assert "to=" not in page and "unit=" not in page and "service=" not in page
