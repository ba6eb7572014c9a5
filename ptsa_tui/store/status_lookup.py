"""A customer's own look-up of a request: by SMS from the phone on it, or at the kiosk with the
phone's last four digits. The answer holds nothing personal: no name, no NIK, no officer.

A wrong pair and an unknown tracking number give the same None, so a look-up never tells
whether a number exists.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from ptsa_tui.phone import BadPhone, normalise_phone

_LOOK_UP = """
SELECT r.tracking_no, r.status, s.name, r.subject, r.sop_due_at, c.phone,
       EXISTS (SELECT 1 FROM request_pause p WHERE p.request_id = r.id AND p.resumed_at IS NULL)
FROM request r
JOIN customer c ON c.id = r.customer_id
LEFT JOIN service s ON s.id = r.service_id
WHERE r.tracking_no = :tracking
"""


@dataclass(frozen=True)
class RequestStatus:
    tracking_no: str
    status: str  # open, resolved or closed
    paused: bool  # waiting on the customer
    service: str  # the service's name, or the request's subject
    sop_due_at: datetime | None

    @property
    def state(self) -> str:
        """What the customer is told: paused, open, resolved or closed."""
        return "paused" if self.paused and self.status == "open" else self.status


def _phone(raw: str | None) -> str | None:
    try:
        return normalise_phone(raw) if raw else None
    except BadPhone:
        return None


def same_phone(given: str) -> Callable[[str | None], bool]:
    """The request's phone is the number the SMS came from (both in international form)."""
    sender = _phone(given)
    return lambda phone: sender is not None and _phone(phone) == sender


def last_four(given: str) -> Callable[[str | None], bool]:
    """The request's phone ends in these four digits, as typed at the kiosk."""
    digits = given.strip()
    ok = len(digits) == 4 and digits.isdigit()
    return lambda phone: ok and (_phone(phone) or "").endswith(digits)


def request_status(
    engine: Engine, tracking_no: str, phone_matches: Callable[[str | None], bool]
) -> RequestStatus | None:
    """The request's status when its phone matches; None otherwise, or when it is unknown."""
    with Session(engine) as session:
        row = session.execute(text(_LOOK_UP), {"tracking": tracking_no.strip().upper()}).first()
    if row is None or not phone_matches(row[5]):
        return None
    tracking, status, service, subject, due, _phone_on_it, paused = row
    return RequestStatus(tracking, status, bool(paused), service or subject, due)
