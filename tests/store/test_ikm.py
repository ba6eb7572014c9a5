"""The SKM survey and the IKM: figures worked out by hand from hand-built responses.

A2X resolved R1 and R2, B2X resolved R4, P0 answered R3 on the spot, A2Y resolved nothing:

    R1 (A2X)  4 4 4 4 4 4 4 4 4
    R2 (A2X)  3 3 3 3 3 3 3 3 2   A2X: NRR 3.5 ×8 and 3.0; Σ = 31; 31/9 × 25 = 86.11 → B
    R4 (B2X)  2 2 2 2 2 2 2 2 2   B2X: NRR 2 ×9; 18/9 × 25 = 50.00 → D
    R3 (P0)   4 4 4 4 4 4 4 4 1   the office only
    office:   NRR (4+3+2+4)/4 = 3.25 ×8, (4+2+2+1)/4 = 2.25; Σ = 28.25; × 25/9 = 78.47 → B
"""

from datetime import date

import pytest
from sqlalchemy import Engine, text

from ptsa_tui.store.errors import Conflict, InvalidInput, NotAllowed, NotFound
from ptsa_tui.store.ikm import Satisfaction, grade_of, ikm_of, satisfaction
from ptsa_tui.store.workflow import Moved, Workflow, ident
from tests.store.helpers import counts, event_kinds, register, wib

R1 = [4] * 9
R2 = [3] * 8 + [2]
R3 = [4] * 8 + [1]
R4 = [2] * 9


def _offered(moved: Moved) -> int:
    assert moved.offered is not None
    return ident(moved.offered.id)


def closed_through(workflow: Workflow, service: str, unit: str, p2: str, day: int) -> str:
    """A request resolved by `unit`'s officer `p2` and closed by P0 on 2026-11-`day`."""
    p1 = "p1a" if unit.startswith("A") else "p1b"
    registered = register(workflow, service_code=service, now=wib(day, 8))
    first = ident(registered.task.id)
    workflow.claim(task_id=first, by=p1, now=wib(day, 8, 5))
    second = _offered(workflow.dispatch(task_id=first, to=unit, by=p1, now=wib(day, 8, 10)))
    workflow.claim(task_id=second, by=p2, now=wib(day, 8, 15))
    back = _offered(workflow.resolve(task_id=second, by=p2, answer="ok", now=wib(day, 9)))
    workflow.claim(task_id=back, by="p0", now=wib(day, 9, 5))
    workflow.close(task_id=back, by="p0", now=wib(day, 9, 10))
    return registered.request.tracking_no


@pytest.fixture
def rated(org: None, workflow: Workflow) -> dict[str, str]:
    return rate_four(workflow)


def rate_four(workflow: Workflow) -> dict[str, str]:
    """The module docstring's four responses; their tracking numbers by name."""
    r1 = closed_through(workflow, "SVC-A", "A2X", "p2ax", 23)
    r2 = closed_through(workflow, "SVC-A", "A2X", "p2ax2", 24)
    r4 = closed_through(workflow, "SVC-B", "B2X", "p2bx", 24)
    r3 = register(workflow, service_code="SVC-A", answer="here", now=wib(24, 10)).request
    workflow.rate(tracking_no=r1, scores=R1, now=wib(23, 9, 30))
    workflow.rate(tracking_no=r2, scores=R2, by="p0", now=wib(24, 11))
    workflow.rate(tracking_no=r4, scores=R4, comment="lama", now=wib(24, 11))
    workflow.rate(tracking_no=r3.tracking_no, scores=R3, now=wib(24, 10, 5))
    return {"R1": r1, "R2": r2, "R3": r3.tracking_no, "R4": r4}


def report(engine: Engine, workflow: Workflow, **kwargs: object) -> dict[str | None, Satisfaction]:
    kwargs.setdefault("start", date(2026, 11, 1))
    kwargs.setdefault("end", date(2026, 11, 30))
    figures = satisfaction(engine, workflow.rules.calendar, **kwargs)  # type: ignore[arg-type]
    return {row.unit: row for row in figures.units} | {None: figures.office}


def test_units_and_office_worked_out_by_hand(
    engine: Engine, workflow: Workflow, rated: dict[str, str]
) -> None:
    figures = report(engine, workflow)
    assert list(figures) == ["A2X", "A2Y", "B2X", None]
    a2x = figures["A2X"]
    assert (a2x.responses, a2x.nrr) == (2, (3.5,) * 8 + (3.0,))
    assert (a2x.ikm, a2x.grade) == (86.11, "B")
    assert (figures["B2X"].responses, figures["B2X"].ikm, figures["B2X"].grade) == (1, 50.0, "D")
    office = figures[None]
    assert office.responses == 4
    assert office.nrr == (3.25,) * 8 + (2.25,)
    assert (office.ikm, office.grade) == (78.47, "B")


def test_a_unit_with_no_responses_has_no_figures(
    engine: Engine, workflow: Workflow, rated: dict[str, str]
) -> None:
    assert report(engine, workflow)["A2Y"] == Satisfaction(
        "A2Y", "Directorate A-Y", 0, None, None, None
    )


def test_the_period_is_of_office_dates(
    engine: Engine, workflow: Workflow, rated: dict[str, str]
) -> None:
    day = report(engine, workflow, start=date(2026, 11, 23), end=date(2026, 11, 23))
    assert (day["A2X"].responses, day["A2X"].ikm, day[None].responses) == (1, 100.0, 1)
    assert (
        report(engine, workflow, start=date(2026, 12, 1), end=date(2026, 12, 31))[None].ikm is None
    )


def test_some_units_only(engine: Engine, workflow: Workflow, rated: dict[str, str]) -> None:
    assert list(report(engine, workflow, units=["B2X"])) == ["B2X", None]


@pytest.mark.parametrize(
    ("ikm", "grade"),
    [
        (100.0, "A"),
        (88.31, "A"),
        (88.30, "B"),
        (76.61, "B"),
        (76.60, "C"),
        (65.0, "C"),
        (64.99, "D"),
        (25.0, "D"),
    ],
)
def test_grade_boundaries_of_the_regulation(ikm: float, grade: str) -> None:
    assert grade_of(ikm) == grade


def test_ikm_scale_ends() -> None:
    assert (ikm_of([1] * 9), ikm_of([4] * 9)) == (25.0, 100.0)


def test_rated_once(workflow: Workflow, engine: Engine, rated: dict[str, str]) -> None:
    before = counts(engine)
    with pytest.raises(Conflict, match="already been rated"):
        workflow.rate(tracking_no=rated["R1"], scores=R4, now=wib(25, 9))
    assert counts(engine) == before
    assert event_kinds(engine, _request_id(engine, rated["R1"])).count("surveyed") == 1


def _request_id(engine: Engine, tracking_no: str) -> int:
    with engine.connect() as conn:
        return int(
            conn.execute(
                text("SELECT id FROM request WHERE tracking_no = :t"), {"t": tracking_no}
            ).scalar_one()
        )


@pytest.mark.parametrize(
    ("scores", "problem"),
    [
        ([4] * 8, "9 elements"),
        ([4] * 8 + [5], "from 1 to 4"),
        ([4] * 8 + [0], "from 1 to 4"),
        ([4] * 8 + [True], "from 1 to 4"),
        ("444444444", "9 elements"),
    ],
)
def test_bad_scores_write_nothing(
    org: None, workflow: Workflow, engine: Engine, scores: object, problem: str
) -> None:
    tracking = closed_through(workflow, "SVC-A", "A2X", "p2ax", 23)
    before = counts(engine)
    with pytest.raises(InvalidInput, match=problem):
        workflow.rate(tracking_no=tracking, scores=scores, now=wib(23, 10))
    assert counts(engine) == before


def test_only_a_closed_request_is_rated(org: None, workflow: Workflow) -> None:
    open_one = register(workflow, now=wib(23, 8)).request.tracking_no
    with pytest.raises(InvalidInput, match="not closed"):
        workflow.rate(tracking_no=open_one, scores=R1, now=wib(23, 9))
    with pytest.raises(NotFound):
        workflow.rate(tracking_no="PTSA-2026-999999", scores=R1, now=wib(23, 9))


def test_a_paper_form_is_typed_in_by_the_front_office(org: None, workflow: Workflow) -> None:
    tracking = closed_through(workflow, "SVC-A", "A2X", "p2ax", 23)
    with pytest.raises(NotAllowed, match="only P0 may enter survey forms"):
        workflow.rate(tracking_no=tracking, scores=R1, by="p2ax", now=wib(23, 10))
    rated = workflow.rate(tracking_no=tracking.lower(), scores=R1, by="p0b", now=wib(23, 10))
    assert rated.tracking_no == tracking
