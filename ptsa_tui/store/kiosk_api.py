"""The store as the kiosk sees it: a customer's own request, proved by the tracking number and
the last four digits of the phone on it, and its survey. Nothing else is reachable from here:
no list, no name, no NIK, no officer.
"""

from dataclasses import dataclass
from datetime import datetime, tzinfo
from functools import cached_property
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from ptsa_tui.store.api import database_errors
from ptsa_tui.store.errors import NotFound
from ptsa_tui.store.lookup_throttle import check_allowed, record_miss
from ptsa_tui.store.status_lookup import RequestStatus, last_four, request_status
from ptsa_tui.store.survey import ELEMENTS
from ptsa_tui.store.timeutil import as_utc

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from ptsa_tui.config import Settings
    from ptsa_tui.store.phrases import Term
    from ptsa_tui.store.workflow import Workflow

__all__ = ["ELEMENTS", "KioskStore", "RequestStatus"]


@dataclass(frozen=True)
class Proof:
    """What the customer typed: their request's number and their phone's last four digits."""

    tracking_no: str
    last_four: str


class KioskStore:
    def __init__(self, *, engine: "Engine", settings: "Settings", kiosk: str) -> None:
        self._engine = engine
        self.settings = settings
        self.kiosk = kiosk  # this kiosk's name: its wrong tries are counted apart

    @cached_property
    def timezone(self) -> tzinfo:
        from zoneinfo import ZoneInfo

        return ZoneInfo(self.settings.office.timezone)

    @cached_property
    def _workflow(self) -> "Workflow":
        from ptsa_tui.store.workflow import Workflow

        return Workflow(self._engine, self.settings)  # one for the kiosk's life: its rules too

    @property
    def elements(self) -> "tuple[Term, ...]":
        return ELEMENTS

    def look_up(self, proof: Proof, now: datetime) -> RequestStatus | None:
        """The request, when the pair matches; None otherwise. Raises TooSoon after repeated
        wrong pairs, before looking anything up."""
        now = as_utc(now)
        tracking = proof.tracking_no.strip().upper()
        keys = (f"kiosk:{self.kiosk}", f"tracking:{tracking}")
        with database_errors():
            with Session(self._engine) as session, session.begin():
                check_allowed(session, keys, now)
            found = request_status(self._engine, tracking, last_four(proof.last_four))
            if found is None:
                with Session(self._engine) as session, session.begin():
                    record_miss(session, keys, now)
        return found

    def rate(self, proof: Proof, scores: list[int], comment: str | None, now: datetime) -> None:
        """The customer's survey of their closed request (once); refused like a look-up for a
        wrong pair. Conflict when it was rated already; InvalidInput when it is not closed."""
        found = self.look_up(proof, now)
        if found is None:
            raise NotFound("no request {tracking} for this phone", tracking=proof.tracking_no)
        with database_errors():
            self._workflow.rate(
                tracking_no=found.tracking_no, scores=scores, comment=comment, now=now
            )

    def dispose(self) -> None:
        self._engine.dispose()
