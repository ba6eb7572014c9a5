"""Every rights rule of the workflow: refused calls raise the right typed error and change nothing."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import pytest
from sqlalchemy import Engine

from ptsa_tui.store.errors import Conflict, NotAllowed, NotFound, PtsaError
from ptsa_tui.store.workflow import Workflow
from tests.store.helpers import register, snapshot, wib

pytestmark = pytest.mark.usefixtures("org")

HOLDER = "p1a (Officer p1a)"  # how a Conflict names the officer holding the task


@dataclass(frozen=True)
class Tasks:
    """One request at each stage, made through the workflow itself."""

    p1_free: int  # A1, unclaimed
    p1_held: int  # A1, claimed by p1a
    p2_free: int  # A2X, unclaimed
    p2_held: int  # A2X, claimed by p2ax
    deliver: int  # FO, the answer to hand over
    closed: int  # A1's task after its dispatch
    request: int  # the request of p1_free


@pytest.fixture
def tasks(workflow: Workflow) -> Tasks:
    now = wib(23, 10)

    def new() -> int:
        task_id = register(workflow, now=now).task.id
        assert task_id is not None
        return task_id

    def to_p2(claim_p2: bool) -> tuple[int, int]:
        first = new()
        workflow.claim(task_id=first, by="p1a", now=now)
        moved = workflow.dispatch(task_id=first, to="A2X", by="p1a", now=now)
        assert moved.offered is not None and moved.offered.id is not None
        if claim_p2:
            workflow.claim(task_id=moved.offered.id, by="p2ax", now=now)
        return first, moved.offered.id

    free = register(workflow, now=now)
    assert free.task.id is not None and free.request.id is not None
    held = new()
    workflow.claim(task_id=held, by="p1a", now=now)
    closed, p2_free = to_p2(claim_p2=False)
    _, p2_held = to_p2(claim_p2=True)
    _, answered = to_p2(claim_p2=True)
    moved = workflow.resolve(task_id=answered, by="p2ax", answer="ok", now=now)
    assert moved.offered is not None and moved.offered.id is not None
    return Tasks(free.task.id, held, p2_free, p2_held, moved.offered.id, closed, free.request.id)


def refused(engine: Engine, error: type[PtsaError], call: Callable[[], Any]) -> str:
    """Run a call that must fail with `error`; assert the database is exactly as before."""
    before = snapshot(engine)
    with pytest.raises(error) as caught:
        call()
    assert type(caught.value) is error, caught.value
    assert snapshot(engine) == before
    return str(caught.value)


def test_other_units_p2_is_refused_on_every_action(
    workflow: Workflow, engine: Engine, tasks: Tasks
) -> None:
    for task_id in (tasks.p2_free, tasks.p2_held):
        refused(engine, NotAllowed, partial(workflow.claim, task_id=task_id, by="p2bx"))
    held = tasks.p2_held
    calls: list[Callable[[], Any]] = [
        lambda: workflow.resolve(task_id=held, by="p2bx", answer="a"),
        lambda: workflow.release(task_id=held, by="p2bx", reason="r"),
        lambda: workflow.release(task_id=held, by="spv2bx", reason="r"),
        lambda: workflow.return_task(task_id=held, by="p2bx", reason="r"),
        lambda: workflow.transfer(task_id=held, to="B2X", by="p2bx", reason="r"),
        lambda: workflow.assign(task_id=tasks.p2_free, to="p2bx", by="spv2bx"),
        lambda: workflow.claim(task_id=tasks.p2_free, by="p1a"),  # P1 of the parent unit too
        lambda: workflow.claim(task_id=tasks.p1_free, by="p2ax"),
        lambda: workflow.claim(task_id=tasks.p1_free, by="p1b"),
        lambda: workflow.claim(task_id=tasks.p1_free, by="p0"),
    ]
    for call in calls:
        message = refused(engine, NotAllowed, call)
        assert "queue" in message


def test_positions_do_only_their_own_steps(
    workflow: Workflow, engine: Engine, tasks: Tasks
) -> None:
    message = refused(
        engine, NotAllowed, lambda: workflow.resolve(task_id=tasks.p1_held, by="p1a", answer="a")
    )
    assert "P1" in message and "P2" in message
    message = refused(
        engine, NotAllowed, lambda: workflow.dispatch(task_id=tasks.p2_held, to="A2Y", by="p2ax")
    )
    assert "does not dispatch" in message
    refused(
        engine, NotAllowed, lambda: workflow.dispatch(task_id=tasks.p1_held, to="B2X", by="p1a")
    )
    refused(engine, NotAllowed, lambda: register(workflow, by="p1a"))
    refused(engine, NotAllowed, lambda: register(workflow, by="p2ax"))
    refused(engine, NotAllowed, lambda: workflow.close(task_id=tasks.deliver, by="p1a"))
    refused(
        engine,
        NotAllowed,
        lambda: workflow.transfer(task_id=tasks.p1_held, to="FO", by="p1a", reason="r"),
    )
    refused(
        engine,
        NotAllowed,
        lambda: workflow.message(request_ref=tasks.request, by="p2bx", body="halo"),
    )


def test_only_supervisors_assign(workflow: Workflow, engine: Engine, tasks: Tasks) -> None:
    for non_supervisor in ("p1a", "p1a2"):
        message = refused(
            engine,
            NotAllowed,
            partial(workflow.assign, task_id=tasks.p1_free, to="p1a", by=non_supervisor),
        )
        assert "supervisor" in message
    refused(
        engine, NotAllowed, lambda: workflow.assign(task_id=tasks.p1_free, to="p1b", by="spv1a")
    )


def test_inactive_officer_is_refused(workflow: Workflow, engine: Engine, tasks: Tasks) -> None:
    message = refused(engine, NotAllowed, lambda: workflow.claim(task_id=tasks.p1_free, by="gone"))
    assert "inactive" in message
    refused(
        engine, NotAllowed, lambda: workflow.release(task_id=tasks.p1_held, by="gone", reason="r")
    )
    message = refused(
        engine, NotAllowed, lambda: workflow.assign(task_id=tasks.p1_free, to="gone", by="spv1a")
    )
    assert "inactive" in message


def test_unknown_things_are_not_found(workflow: Workflow, engine: Engine, tasks: Tasks) -> None:
    missing = 10**6
    calls: list[Callable[[], Any]] = [
        lambda: workflow.claim(task_id=tasks.p1_free, by="nobody"),
        lambda: workflow.claim(task_id=tasks.p1_free, by=10**6),
        lambda: workflow.claim(task_id=missing, by="p1a"),
        lambda: workflow.dispatch(task_id=missing, to="A2X", by="p1a"),
        lambda: workflow.resolve(task_id=missing, by="p2ax", answer="a"),
        lambda: workflow.release(task_id=missing, by="p1a", reason="r"),
        lambda: workflow.assign(task_id=missing, to="p1a", by="spv1a"),
        lambda: workflow.close(task_id=missing, by="p0"),
        lambda: workflow.dispatch(task_id=tasks.p1_held, to="ZZZ", by="p1a"),
        lambda: workflow.transfer(task_id=tasks.p1_held, to="ZZZ", by="p1a", reason="r"),
        lambda: workflow.assign(task_id=tasks.p1_free, to="nobody", by="spv1a"),
        lambda: workflow.message(request_ref=missing, by="p0", body="x"),
        lambda: register(workflow, service_code="SVC-NONE"),
        lambda: register(workflow, unit_code="ZZZ"),
    ]
    for call in calls:
        refused(engine, NotFound, call)


def test_someone_elses_claim_is_a_conflict_naming_the_holder(
    workflow: Workflow, engine: Engine, tasks: Tasks
) -> None:
    held = tasks.p1_held
    calls: list[Callable[[], Any]] = [
        lambda: workflow.claim(task_id=held, by="p1a2"),
        lambda: workflow.claim(task_id=held, by="p1a"),  # already yours: still told who holds it
        lambda: workflow.dispatch(task_id=held, to="A2X", by="p1a2"),
        lambda: workflow.release(task_id=held, by="p1a2", reason="r"),
        lambda: workflow.return_task(task_id=held, by="p1a2", reason="r"),
        lambda: workflow.transfer(task_id=held, to="B1", by="p1a2", reason="r"),
        lambda: workflow.assign(task_id=held, to="p1a2", by="spv1a"),
        lambda: workflow.resolve(task_id=held, by="p0", answer="on the spot"),
    ]
    for call in calls:
        assert HOLDER in refused(engine, Conflict, call)
    message = refused(
        engine, Conflict, lambda: workflow.resolve(task_id=tasks.p2_held, by="p2ax2", answer="a")
    )
    assert "p2ax (Officer p2ax)" in message
    # Moving an unclaimed task on needs a claim first.
    message = refused(
        engine, Conflict, lambda: workflow.dispatch(task_id=tasks.p1_free, to="A2X", by="p1a")
    )
    assert "not claimed" in message


def test_closed_task_is_a_conflict(workflow: Workflow, engine: Engine, tasks: Tasks) -> None:
    closed = tasks.closed  # dispatched by p1a
    calls: list[Callable[[], Any]] = [
        lambda: workflow.claim(task_id=closed, by="p1a2"),
        lambda: workflow.dispatch(task_id=closed, to="A2X", by="p1a"),
        lambda: workflow.release(task_id=closed, by="spv1a", reason="r"),
        lambda: workflow.assign(task_id=closed, to="p1a2", by="spv1a"),
        lambda: workflow.resolve(task_id=closed, by="p0", answer="a"),
    ]
    for call in calls:
        assert "closed" in refused(engine, Conflict, call)
    workflow.close(task_id=tasks.deliver, by="p0", now=wib(23, 12))
    assert "closed" in refused(
        engine, Conflict, lambda: workflow.close(task_id=tasks.deliver, by="p0b")
    )


def test_p0_cannot_close_before_an_answer(workflow: Workflow, engine: Engine, tasks: Tasks) -> None:
    for task_id in (tasks.p1_free, tasks.p1_held, tasks.p2_free):
        message = refused(engine, Conflict, partial(workflow.close, task_id=task_id, by="p0"))
        assert "no answer yet" in message


def test_deliver_task_held_by_another_p0(workflow: Workflow, engine: Engine, tasks: Tasks) -> None:
    workflow.claim(task_id=tasks.deliver, by="p0b", now=wib(23, 11))
    message = refused(engine, Conflict, lambda: workflow.close(task_id=tasks.deliver, by="p0"))
    assert "p0b (Officer p0b)" in message
    done = workflow.close(task_id=tasks.deliver, by="p0b", now=wib(23, 11, 5))
    assert (done.closed.outcome, done.closed.closed_at) == ("closed", wib(23, 11, 5))


def test_an_answer_to_deliver_is_not_sent_out_again(
    workflow: Workflow, engine: Engine, tasks: Tasks
) -> None:
    workflow.claim(task_id=tasks.deliver, by="p0", now=wib(23, 11))
    message = refused(
        engine,
        NotAllowed,
        lambda: workflow.dispatch(task_id=tasks.deliver, to="B1", by="p0", now=wib(23, 11, 1)),
    )
    assert "only a returned request" in message
