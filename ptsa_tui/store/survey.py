"""The SKM survey (PermenPANRB 14/2017): nine elements, each rated 1-4, once per closed request.

A customer rates at the kiosk (no officer), or a front-office officer types in their paper
form. Either way it is one row and one audit event, in one transaction.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from ptsa_tui.store import audit
from ptsa_tui.store.actors import load_actor
from ptsa_tui.store.domain import Status
from ptsa_tui.store.errors import Conflict, InvalidInput, NotFound
from ptsa_tui.store.inputs import optional_text
from ptsa_tui.store.phrases import Term
from ptsa_tui.store.rights import raise_if, survey_entry_refusal
from ptsa_tui.store.timeutil import as_utc, utc_now

if TYPE_CHECKING:
    from ptsa_tui.store.workflow import By, Workflow

# The nine elements, in the regulation's order (its Indonesian names are the catalog's).
ELEMENTS: tuple[Term, ...] = (
    Term("Requirements"),
    Term("Systems, mechanisms and procedures"),
    Term("Completion time"),
    Term("Cost or tariff"),
    Term("Service products"),
    Term("Staff competence"),
    Term("Staff conduct"),
    Term("Handling of complaints, suggestions and feedback"),
    Term("Facilities and infrastructure"),
)
LOWEST, HIGHEST = 1, 4


@dataclass(frozen=True)
class Rated:
    survey_id: int
    request_id: int
    tracking_no: str


def checked_scores(scores: object) -> list[int]:
    values = list(scores) if isinstance(scores, list | tuple) else None
    if values is None or len(values) != len(ELEMENTS):
        raise InvalidInput("a survey rates {count} elements", count=len(ELEMENTS))
    for value in values:
        if isinstance(value, bool) or not isinstance(value, int) or not LOWEST <= value <= HIGHEST:
            raise InvalidInput(
                "each rating is a whole number from {lowest} to {highest}",
                lowest=LOWEST,
                highest=HIGHEST,
            )
    return values


_REQUEST = text("SELECT id, tracking_no, status FROM request WHERE tracking_no = :ref FOR SHARE")
_INSERT = text(
    "INSERT INTO survey (request_id, scores, comment, source, entered_by, created_at)"
    " VALUES (:request, :scores, :comment, :source, :by, :now) RETURNING id"
)


def rate(
    workflow: "Workflow",
    *,
    tracking_no: str,
    scores: object,
    comment: str | None = None,
    by: "By | None" = None,
    now: datetime | None = None,
) -> Rated:
    """Record a closed request's survey; `by` is the officer typing in a paper form, None
    for the kiosk. Refuses a second rating of the same request (Conflict)."""
    now = as_utc(now) if now else utc_now()
    values = checked_scores(scores)
    comment = optional_text("comment", comment)
    source = "kiosk" if by is None else "paper"
    with workflow.transaction() as session:
        officer_id = None
        if by is not None:
            actor = load_actor(session, by)
            raise_if(survey_entry_refusal(actor))
            officer_id = actor.officer_id
        row = session.execute(_REQUEST, {"ref": tracking_no.strip().upper()}).first()
        if row is None:
            raise NotFound("no request {tracking}", tracking=tracking_no)
        request_id, tracking, status = row
        if status != Status.CLOSED:
            raise InvalidInput("{tracking} is not closed yet: rate it after", tracking=tracking)
        try:
            with session.begin_nested():
                survey_id = session.execute(
                    _INSERT,
                    {
                        "request": request_id,
                        "scores": values,
                        "comment": comment,
                        "source": source,
                        "by": officer_id,
                        "now": now,
                    },
                ).scalar_one()
        except IntegrityError:
            raise Conflict("{tracking} has already been rated", tracking=tracking) from None
        audit.record(
            session,
            kind="surveyed",
            at=now,
            officer_id=officer_id,
            request_id=request_id,
            details={"survey": survey_id, "source": source},
        )
        return Rated(survey_id=survey_id, request_id=request_id, tracking_no=tracking)
