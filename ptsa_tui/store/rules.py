"""The clocks' settings in one place: calendar (with the database's overrides) and claim SLAs."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from ptsa_tui.config import Settings, SlaSettings
from ptsa_tui.store.calendar import OfficeCalendar, parse_office_hours
from ptsa_tui.store.clock import SlaClock, claim_deadline, sop_due
from ptsa_tui.store.models import CalendarOverride, Unit


@dataclass(frozen=True)
class Rules:
    calendar: OfficeCalendar
    sla: SlaSettings
    clock: SlaClock

    def claim_sla(self, unit: Unit, position: str) -> timedelta:
        if unit.claim_sla is not None:
            return unit.claim_sla
        return self.sla.claim_for(position)  # type: ignore[arg-type]

    def claim_due(self, unit: Unit, position: str, offered_at: datetime) -> datetime:
        sla = self.claim_sla(unit, position)
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
    return Rules(calendar=calendar, sla=settings.sla, clock=settings.office.sla_clock)
