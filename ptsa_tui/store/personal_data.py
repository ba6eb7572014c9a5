"""A customer's personal data: the NIK masked for those who may not read it, and erased at the
customer's request (`forget_customer`), with the requests and their figures kept."""

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import text

from ptsa_tui.store import audit
from ptsa_tui.store.actors import load_actor
from ptsa_tui.store.errors import NotFound
from ptsa_tui.store.models import Customer
from ptsa_tui.store.rights import Actor, forget_refusal, raise_if, sees_full_nik
from ptsa_tui.store.timeutil import as_utc, utc_now

if TYPE_CHECKING:
    from ptsa_tui.store.workflow import By, Workflow

SHOWN_DIGITS = 4
FORGOTTEN_NAME = "—"  # what is left of the name: the row stays, for the requests' figures


def masked_nik(nik: str | None) -> str | None:
    if not nik:
        return nik
    return "•" * max(0, len(nik) - SHOWN_DIGITS) + nik[-SHOWN_DIGITS:]


def as_seen_by(customer: Customer, viewer: Actor | None) -> Customer:
    """The customer as `viewer`'s desk may show them."""
    if sees_full_nik(viewer) or not customer.nik:
        return customer
    return customer.model_copy(update={"nik": masked_nik(customer.nik)})


@dataclass(frozen=True)
class Forgotten:
    customer_id: int
    requests: int
    notices: int


_ERASE_NOTICES = """
UPDATE notice SET address = '', status = CASE status WHEN 'pending' THEN 'failed' ELSE status END,
       last_error = CASE status WHEN 'pending' THEN 'customer forgotten' ELSE last_error END
WHERE request_id IN (SELECT id FROM request WHERE customer_id = :customer)
RETURNING id
"""


def forget_customer(
    workflow: "Workflow", *, customer_id: int, by: "By", now: datetime | None = None
) -> Forgotten:
    """Erase the customer's name, NIK, organisation, phone and email, and the addresses their
    notices went to; no notice is sent any more. Audited; the requests stay as they were."""
    now = as_utc(now) if now else utc_now()
    with workflow.transaction() as session:
        actor = load_actor(session, by)
        raise_if(forget_refusal(actor))
        customer = session.get(Customer, customer_id, with_for_update=True)
        if customer is None:
            raise NotFound("no customer {customer}", customer=customer_id)
        customer.name, customer.notify = FORGOTTEN_NAME, False
        customer.nik = customer.organisation = customer.phone = customer.email = None
        session.flush()
        notices = len(session.execute(text(_ERASE_NOTICES), {"customer": customer_id}).all())
        requests = session.execute(
            text("SELECT count(*) FROM request WHERE customer_id = :customer"),
            {"customer": customer_id},
        ).scalar_one()
        audit.record(
            session,
            kind="customer_forgotten",
            at=now,
            officer_id=actor.officer_id,
            details={"customer": customer_id, "requests": int(requests)},
        )
        return Forgotten(customer_id, int(requests), notices)
