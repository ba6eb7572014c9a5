"""The demo history, written: each planned request goes through the workflow, step by step.

Every step is a `Workflow` call with its `now`, so each has its rights checked, its
transaction and its audit event, exactly as at a desk; nothing is written around it.
"""

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from sqlalchemy import create_engine
from sqlalchemy.exc import OperationalError

from ptsa_tui.store import demo_story as story
from ptsa_tui.store.demo_plan import PlannedRequest, Step
from ptsa_tui.store.org import Progress
from ptsa_tui.store.workflow import Moved, Workflow


@contextmanager
def quick_commits(workflow: Workflow) -> Iterator[Workflow]:
    """The same workflow on connections whose commits do not wait for the disk.

    A seed makes thousands of small commits; with synchronous_commit off each returns before
    its WAL is flushed (a crash may lose the last instants of the seed, never consistency).
    The setting rides on the connections' start-up options, so it ends with them; a server
    or pooler that refuses it gets the ordinary workflow.
    """
    engine = create_engine(
        workflow.engine.url,
        pool_size=1,
        connect_args={
            "connect_timeout": 5,
            "application_name": "ptsa-demo-seed",
            "options": "-c synchronous_commit=off",
        },
    )
    try:
        try:
            with engine.connect():
                pass
        except OperationalError:
            yield workflow
            return
        yield Workflow(engine, workflow.settings, workflow.shared_rules)
    finally:
        engine.dispose()


def write_history(
    workflow: Workflow, plan: Sequence[PlannedRequest], progress: Progress | None = None
) -> int:
    """Register each planned request and take its steps; returns how many requests."""
    for planned in plan:
        registered = workflow.register(
            by=planned.by,
            now=planned.at,
            customer={"name": planned.customer[0], "phone": planned.customer[1]},
            service_code=planned.service,
            subject=planned.subject,
            details=story.DETAILS,
            channel=planned.channel,
            answer=planned.answer,
        )
        task_id, request_id = _id(registered.task.id), _id(registered.request.id)
        for step in planned.steps:
            if step.action == "rate":
                scores = [int(score) for score in _text(step).split(",")]
                tracking = registered.request.tracking_no
                workflow.rate(tracking_no=tracking, scores=scores, by=step.by or None, now=step.at)
                continue
            task_id = _take(workflow, step, task_id, request_id)
        if progress:
            progress("history", 1)
    return len(plan)


def _take(workflow: Workflow, step: Step, task_id: int, request_id: int) -> int:
    """Do `step` on the open task; returns the request's open task afterwards."""
    if step.action == "message":
        workflow.message(request_ref=request_id, by=step.by, body=_text(step), now=step.at)
        return task_id
    moved = _STEPS[step.action](workflow, step, task_id)
    if isinstance(moved, Moved):
        return _id(moved.offered.id) if moved.offered is not None else task_id
    return task_id


def _text(step: Step) -> str:
    assert step.text is not None, step
    return step.text


def _to(step: Step) -> str:
    assert step.to is not None, step
    return step.to


def _id(row_id: int | None) -> int:
    assert row_id is not None
    return row_id


_STEPS: dict[str, Callable[[Workflow, Step, int], object]] = {
    "claim": lambda w, s, t: w.claim(task_id=t, by=s.by, now=s.at),
    "assign": lambda w, s, t: w.assign(task_id=t, to=_to(s), by=s.by, now=s.at),
    "dispatch": lambda w, s, t: w.dispatch(task_id=t, to=_to(s), by=s.by, note=s.text, now=s.at),
    "transfer": lambda w, s, t: w.transfer(
        task_id=t, to=_to(s), by=s.by, reason=_text(s), now=s.at
    ),
    "return": lambda w, s, t: w.return_task(task_id=t, by=s.by, reason=_text(s), now=s.at),
    "release": lambda w, s, t: w.release(task_id=t, by=s.by, reason=_text(s), now=s.at),
    "pause": lambda w, s, t: w.pause(task_id=t, by=s.by, reason=_text(s), now=s.at),
    "resume": lambda w, s, t: w.resume(task_id=t, by=s.by, now=s.at),
    "resolve": lambda w, s, t: w.resolve(task_id=t, by=s.by, answer=_text(s), now=s.at),
    "close": lambda w, s, t: w.close(task_id=t, by=s.by, now=s.at),
}
