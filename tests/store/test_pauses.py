"""The SOP pause: the due date moves by the office time waited; the claim clock never stops;
the pause goes with the request through a transfer or a return."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import Engine

from ptsa_tui.store.errors import Conflict, InvalidInput, NotAllowed
from ptsa_tui.store.queries import request_story
from ptsa_tui.store.workflow import Workflow
from tests.conftest import WIB
from tests.store.helpers import event_kinds, register, request, task, wib

pytestmark = pytest.mark.usefixtures("org")


def served(workflow: Workflow) -> tuple[int, int]:
    """A request registered Monday 23 Nov 10:00, dispatched to A2X and claimed by p2ax."""
    now = wib(23, 10)
    made = register(workflow, now=now)
    first = made.task.id or 0
    workflow.claim(task_id=first, by="p1a", now=now + timedelta(minutes=1))
    moved = workflow.dispatch(task_id=first, to="A2X", by="p1a", now=now + timedelta(minutes=2))
    assert moved.offered is not None and moved.offered.id is not None
    workflow.claim(task_id=moved.offered.id, by="p2ax", now=now + timedelta(minutes=3))
    return made.request.id or 0, moved.offered.id


def test_resume_moves_the_sop_due_by_the_office_time_waited(
    workflow: Workflow, engine: Engine
) -> None:
    request_id, task_id = served(workflow)
    # SVC-A: 3 working days from Monday → Thursday 26 Nov at closing, 16:00.
    assert request(engine, request_id).sop_due_at == datetime(2026, 11, 26, 16, 0, tzinfo=WIB)
    claim_due = task(engine, task_id).claim_due_at
    workflow.pause(task_id=task_id, by="p2ax", reason="KTP belum ada", now=wib(24, 14))
    ended = workflow.resume(task_id=task_id, by="p2ax", now=wib(25, 9))
    # Waited: Tue 14:00–16:00 (2h) + Wed 07:30–09:00 (1h30) = 3h30 of office time.
    assert ended.moved_by == timedelta(hours=3, minutes=30)
    # Thursday 16:00 + 3h30 of office time: Friday 07:30 + 3h30 = 11:00.
    assert request(engine, request_id).sop_due_at == datetime(2026, 11, 27, 11, 0, tzinfo=WIB)
    assert task(engine, task_id).claim_due_at == claim_due  # the claim clock is not affected
    assert event_kinds(engine, request_id)[-2:] == ["paused", "resumed"]


def test_a_pause_over_a_weekend_counts_only_office_time(workflow: Workflow, engine: Engine) -> None:
    request_id, task_id = served(workflow)
    workflow.pause(task_id=task_id, by="p2ax", reason="surat kuasa", now=wib(27, 16))
    # Fri 16:00–16:30 (30m), Sat and Sun nothing, Mon 07:30–08:00 (30m): one hour.
    ended = workflow.resume(task_id=task_id, by="p2ax", now=wib(30, 8))
    assert ended.moved_by == timedelta(hours=1)
    # Thursday 26 Nov 16:00 + 1h: Friday 08:30.
    assert request(engine, request_id).sop_due_at == datetime(2026, 11, 27, 8, 30, tzinfo=WIB)


def test_the_pause_survives_a_transfer_and_a_return(workflow: Workflow, engine: Engine) -> None:
    request_id, task_id = served(workflow)
    workflow.pause(task_id=task_id, by="p2ax", reason="akta", now=wib(24, 10))
    moved = workflow.transfer(task_id=task_id, to="A2Y", by="p2ax", reason="A-Y", now=wib(24, 11))
    assert moved.offered is not None and moved.offered.id is not None
    # A new hop gets its own full claim clock: A2Y's override is 1h of office time.
    assert moved.offered.claim_due_at == wib(24, 12)
    workflow.claim(task_id=moved.offered.id, by="p2ay", now=wib(24, 11, 5))
    with pytest.raises(Conflict, match="already waiting"):
        workflow.pause(task_id=moved.offered.id, by="p2ay", reason="again", now=wib(24, 11, 6))
    back = workflow.return_task(
        task_id=moved.offered.id, by="p2ay", reason="not ours", now=wib(24, 12)
    )
    assert back.offered is not None and back.offered.id is not None
    workflow.claim(task_id=back.offered.id, by="p1a", now=wib(24, 13))
    assert request_story(engine, str(back.offered.id)).paused
    with pytest.raises(NotAllowed, match="only P2"):
        workflow.pause(task_id=back.offered.id, by="p1a", reason="x", now=wib(24, 13))
    # Whoever holds the request now ends the pause: Tue 10:00–14:00 is 4h.
    ended = workflow.resume(task_id=back.offered.id, by="p1a", now=wib(24, 14))
    assert ended.moved_by == timedelta(hours=4)
    # Thursday 16:00 + 4h: Friday 11:30.
    assert request(engine, request_id).sop_due_at == datetime(2026, 11, 27, 11, 30, tzinfo=WIB)


def test_resolving_a_paused_request_ends_the_pause(workflow: Workflow, engine: Engine) -> None:
    request_id, task_id = served(workflow)
    workflow.pause(task_id=task_id, by="p2ax", reason="NPWP", now=wib(23, 11))
    workflow.resolve(task_id=task_id, by="p2ax", answer="done", now=wib(23, 13))
    story = request_story(engine, str(task_id))
    assert not story.paused
    assert story.pauses[0]["resumed_by"] == "p2ax"
    assert story.pauses[0]["moved_s"] == 2 * 3600
    assert request(engine, request_id).sop_due_at == datetime(2026, 11, 27, 9, 30, tzinfo=WIB)
    assert event_kinds(engine, request_id)[-3:] == ["paused", "resumed", "resolved"]


def test_who_may_pause_and_resume(workflow: Workflow) -> None:
    _, task_id = served(workflow)
    with pytest.raises(Conflict, match="claimed by"):  # a colleague, not the holder
        workflow.pause(task_id=task_id, by="p2ax2", reason="x", now=wib(23, 11))
    with pytest.raises(NotAllowed):  # another unit
        workflow.pause(task_id=task_id, by="p2bx", reason="x", now=wib(23, 11))
    with pytest.raises(Conflict, match="not waiting"):
        workflow.resume(task_id=task_id, by="p2ax", now=wib(23, 11))
    with pytest.raises(InvalidInput):
        workflow.pause(task_id=task_id, by="p2ax", reason="   ", now=wib(23, 11))
    workflow.pause(task_id=task_id, by="p2ax", reason="x", now=wib(23, 11))
    with pytest.raises(Conflict, match="already waiting"):
        workflow.pause(task_id=task_id, by="p2ax", reason="y", now=wib(23, 12))
