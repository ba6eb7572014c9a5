"""A desk whose officer was deactivated or locked out since log-in is refused on its next
action, with one readable line saying why, and nothing changes."""

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import Engine, text

from ptsa_tui.store.officer_admin import set_active
from ptsa_tui.store.timeutil import utc_now
from ptsa_tui.store.workflow import Workflow
from tests.conftest import MONDAY_10
from tests.screens.conftest import AppFactory, inbox_keys, log_in, until
from tests.screens.test_race import recording


def deactivate(engine: Engine, workflow: Workflow) -> str:
    set_active(workflow, username="p1a", active=False, by="spv1a")
    return "'p1a' is inactive"


def lock_out(engine: Engine, workflow: Workflow) -> str:
    with engine.begin() as conn:  # as five failed log-ins elsewhere would leave it
        conn.execute(
            text("UPDATE officer SET failed_logins = 5, locked_until = :t WHERE username = 'p1a'"),
            {"t": utc_now() + timedelta(minutes=15)},
        )
    return "'p1a' is locked out after failed log-ins until"


@pytest.mark.parametrize("change", [deactivate, lock_out], ids=["deactivated", "locked"])
def test_the_next_action_is_refused(
    desks: None, make_app: AppFactory, workflow: Workflow, engine: Engine, change: object
) -> None:
    task = workflow.register(
        by="p0", service_code="SVC-A", customer={"name": "PT Uji"}, subject="s", now=MONDAY_10
    ).task
    app = make_app(live=False, lang="en")
    heard = recording(app)

    async def scenario() -> str:
        async with app.run_test() as pilot:
            await log_in(pilot, "p1a")
            assert inbox_keys(app) == [str(task.id)]
            why = change(engine, workflow)  # type: ignore[operator]
            await pilot.press("c")
            await until(pilot, lambda: heard)
            return str(why)

    why = asyncio.run(scenario())
    ((severity, said),) = heard
    assert severity == "error"
    assert said.startswith("Not allowed: ") and why in said, said
    assert "Traceback" not in said and "\n" not in said
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT claimed_by FROM task")) is None
        assert conn.scalar(text("SELECT count(*) FROM event WHERE kind = 'claimed'")) == 0
