"""The clocks' settings in one place: calendar (with the database's overrides) and claim SLAs.

Loaded from the database by `load_rules`; a process keeps them in `shared_rules.SharedRules`,
which reloads them when the database says they changed.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from ptsa_tui.config import Settings, SlaSettings
from ptsa_tui.store.calendar import OfficeCalendar, parse_office_hours
from ptsa_tui.store.clock import SlaClock, claim_deadline, sop_due
from ptsa_tui.store.models import CalendarOverride, Unit


@dataclass(frozen=True)
class Rules:
    calendar: OfficeCalendar
    sla: SlaSettings
    clock: SlaClock
    unit_claim_sla: Mapping[int, timedelta] = field(default_factory=dict)  # unit id → override
    unit_ids: Mapping[str, int] = field(default_factory=dict)  # unit code → id

    def claim_sla(self, unit_id: int, position: str) -> timedelta:
        own = self.unit_claim_sla.get(unit_id)
        return own if own is not None else self.sla.claim_for(position)  # type: ignore[arg-type]

    def claim_sla_of(self, unit_code: str, position: str) -> tuple[timedelta, bool]:
        """A unit's claim SLA, and whether it is the unit's own rather than the office's."""
        unit_id = self.unit_ids.get(unit_code)
        own = unit_id is not None and unit_id in self.unit_claim_sla
        return self.claim_sla(unit_id if unit_id is not None else -1, position), own

    def claim_due(self, unit_id: int, position: str, offered_at: datetime) -> datetime:
        sla = self.claim_sla(unit_id, position)
        return claim_deadline(offered_at, sla, calendar=self.calendar, clock=self.clock)

    def sop_due(self, registered_at: datetime, sop_days: int) -> datetime:
        return sop_due(registered_at, sop_days, calendar=self.calendar)


def load_rules(session: Session, settings: Settings) -> Rules:
    overrides = session.scalars(select(CalendarOverride)).all()
    calendar = OfficeCalendar(
        timezone=ZoneInfo(settings.office.timezone),
        hours=parse_office_hours(settings.office.hours),
        country=settings.office.holidays,
        closed_days=frozenset(o.day for o in overrides if o.closed),
        open_days=frozenset(o.day for o in overrides if not o.closed),
    )
    units = session.execute(select(col(Unit.id), col(Unit.code), col(Unit.claim_sla))).all()
    return Rules(
        calendar=calendar,
        sla=settings.sla,
        clock=settings.office.sla_clock,
        unit_claim_sla={u: sla for u, _, sla in units if u is not None and sla is not None},
        unit_ids={code: u for u, code, _ in units if u is not None},
    )
