"""The demo history, planned: who does what to which request when, before anything is written.

Pure and deterministic: the same organisation, calendar, weeks and `now` give the same plan.
Requests arrive in office hours on working days; every later step is placed a span of office
time after the one before, so nothing happens at night, at weekends or on a holiday. Steps
that would fall after `now` are left out: those requests are still under way.
"""

import math
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from ptsa_tui.store import demo_story as story
from ptsa_tui.store.calendar import OfficeCalendar
from ptsa_tui.store.org import OrgFile

SEED = 2026


@dataclass(frozen=True)
class Step:
    """One workflow call on the request's open task (or, for a message, on the request)."""

    at: datetime
    action: str  # claim, assign, dispatch, transfer, return, release, pause, resume, message,
    #              resolve, close, rate (text: the nine scores, by: "" at the kiosk)
    by: str
    text: str | None = None  # the note, reason, answer or message
    to: str | None = None  # the unit (dispatch, transfer) or the officer (assign)


@dataclass(frozen=True)
class PlannedRequest:
    at: datetime
    by: str
    service: str
    customer: tuple[str, str]  # name, phone
    subject: str
    channel: str
    answer: str | None  # answered at the counter
    steps: tuple[Step, ...] = ()


@dataclass(frozen=True)
class _Office:
    """The organisation as the planner needs it."""

    desks: dict[str, tuple[str, ...]]  # unit code → its officers' usernames
    supervisors: dict[str, tuple[str, ...]]
    parent: dict[str, str]  # tier-2 unit → its echelon-1 unit
    siblings: dict[str, tuple[str, ...]]  # tier-2 unit → the staffed units beside it
    services: tuple[tuple[str, str, int], ...]  # code, owner, sop_days
    weights: tuple[float, ...]
    front: str


def _office(org: OrgFile) -> _Office:
    desks: dict[str, list[str]] = {}
    supervisors: dict[str, list[str]] = {}
    for officer in org.officers:
        if officer.active:
            desks.setdefault(officer.unit, []).append(officer.username)
            if officer.supervisor:
                supervisors.setdefault(officer.unit, []).append(officer.username)
    parent = {u.code: u.parent for u in org.units if u.tier == 2 and u.parent}
    siblings = {
        code: tuple(
            other
            for other, up in parent.items()
            if up == above and other != code and other in desks
        )
        for code, above in parent.items()
    }
    services = tuple(
        (s.code, s.unit, s.sop_days) for s in org.services if s.unit in desks and s.unit in parent
    )
    return _Office(
        desks={k: tuple(v) for k, v in desks.items()},
        supervisors={k: tuple(v) for k, v in supervisors.items()},
        parent=parent,
        siblings=siblings,
        services=services,
        weights=tuple(story.SERVICE_WEIGHTS.get(code, 1.0) for code, _, _ in services),
        front=next(u.code for u in org.units if u.tier == 0),
    )


def plan_history(
    org: OrgFile, calendar: OfficeCalendar, *, weeks: int, now: datetime, seed: int = SEED
) -> list[PlannedRequest]:
    """The requests of the `weeks` before `now`, oldest first."""
    if weeks <= 0:
        return []
    office = _office(org)
    if not office.services or office.front not in office.desks:
        return []
    now = now.astimezone(UTC)
    start = now - timedelta(weeks=weeks)
    # the surveys draw from a stream of their own: the requests' draws stay as they were
    surveys = random.Random(f"{seed}-survey")
    planner = _Planner(office, calendar, random.Random(seed), start, now, surveys)
    return [planner.request(at) for at in planner.arrivals()]


class _Script:
    """A request's steps, each a span of office time after the one before."""

    def __init__(self, calendar: OfficeCalendar, start: datetime) -> None:
        self.calendar = calendar
        self.at = start
        self.steps: list[Step] = []

    def wait(self, minutes: float) -> datetime:
        later = self.calendar.add_office_time(self.at, timedelta(minutes=max(minutes, 0.5)))
        self.at = later.replace(microsecond=0)  # whole seconds, as a person would read them
        return self.at

    def do(
        self, minutes: float, action: str, by: str, text: str | None = None, to: str | None = None
    ) -> None:
        self.steps.append(Step(self.wait(minutes), action, by, text, to))


@dataclass
class _Planner:
    office: _Office
    calendar: OfficeCalendar
    rng: random.Random
    start: datetime
    now: datetime
    survey_rng: random.Random

    def __post_init__(self) -> None:
        hours = self.calendar.hours.values()
        minutes = [(c.hour * 60 + c.minute) - (o.hour * 60 + o.minute) for o, c in hours]
        self.day_minutes = sum(minutes) / len(minutes)
        self.customers = [self._customer(n) for n in range(160)]

    # -- arrivals -----------------------------------------------------------------

    def arrivals(self) -> list[datetime]:
        zone = self.calendar.timezone
        day, last = self.start.astimezone(zone).date(), self.now.astimezone(zone).date()
        found: list[datetime] = []
        while day <= last:
            if self.calendar.is_working_day(day):
                found += self._arrivals_on(day)
            day += timedelta(days=1)
        return sorted(at for at in found if self.start <= at <= self.now)

    def _arrivals_on(self, day: date) -> list[datetime]:
        opens, closes = self.calendar.hours[day.weekday()]
        zone = self.calendar.timezone
        first = datetime.combine(day, opens, zone).astimezone(UTC)
        span = (datetime.combine(day, closes, zone).astimezone(UTC) - first).total_seconds()
        count = self.rng.randint(*story.DAILY_REQUESTS)
        # whole minutes, and never in the last quarter hour: the counter closes its queue
        return [
            first + timedelta(minutes=int(self.rng.uniform(0, span - 900) // 60))
            for _ in range(count)
        ]

    # -- one request ----------------------------------------------------------------

    def request(self, at: datetime) -> PlannedRequest:
        rng, office = self.rng, self.office
        code, owner, sop_days = rng.choices(office.services, weights=office.weights)[0]
        p0 = rng.choice(office.desks[office.front])
        customer = rng.choice(self.customers)
        subject = rng.choice(story.SUBJECTS.get(code, ("Permohonan layanan",)))
        channel = rng.choice(story.CHANNELS)
        elapsed = (at - self.start) / (self.now - self.start)
        if rng.random() < story.ON_THE_SPOT:
            answer = rng.choice(story.ON_THE_SPOT_ANSWERS)
            return PlannedRequest(at, p0, code, customer, subject, channel, answer)
        script = _Script(self.calendar, at)
        self._serve(script, owner, sop_days, elapsed)
        steps = tuple(step for step in script.steps if step.at <= self.now)
        return PlannedRequest(at, p0, code, customer, subject, channel, None, steps)

    def _serve(self, script: _Script, owner: str, sop_days: int, elapsed: float) -> None:
        rng, office = self.rng, self.office
        registered = script.at
        p1_unit = office.parent[owner]
        p1 = self._claim(script, p1_unit, elapsed)
        if rng.random() < story.P1_RETURN:
            script.do(rng.uniform(5, 40), "return", p1, story.P1_RETURN_REASON)
            desk = self._claim(script, office.front, elapsed)
            # the customer brings what was missing, a day or two later
            days = rng.uniform(0.5, 2)
            script.do(days * self.day_minutes, "dispatch", desk, story.REDISPATCH_NOTE, p1_unit)
            p1 = self._claim(script, p1_unit, elapsed)
        first_stop = owner
        if rng.random() < story.MISDISPATCH and office.siblings[owner]:
            first_stop = rng.choice(office.siblings[owner])
        script.do(rng.uniform(5, 45), "dispatch", p1, rng.choice(story.DISPATCH_NOTES), first_stop)
        p2 = self._claim(script, first_stop, elapsed)
        if first_stop != owner:
            script.do(rng.uniform(10, 90), "transfer", p2, story.MISDISPATCH_REASON, owner)
            p2 = self._claim(script, owner, elapsed)
        if rng.random() < story.P2_RETURN:
            script.do(rng.uniform(15, 120), "return", p2, story.P2_RETURN_REASON)
            p1 = self._claim(script, p1_unit, elapsed)
            script.do(rng.uniform(10, 60), "dispatch", p1, story.REDISPATCH_NOTE, owner)
            p2 = self._claim(script, owner, elapsed)
        p2 = self._maybe_release(script, owner, p2, elapsed)
        ratio = self._service(script, registered, owner, p2, sop_days, elapsed)
        desk = self._claim(script, office.front, elapsed)
        # the customer comes for the answer, or is called, within a day or so
        script.do(rng.uniform(0.05, 1.2) * self.day_minutes, "close", desk)
        self._survey(script, desk, ratio)

    def _survey(self, script: _Script, desk: str, ratio: float) -> None:
        """Most customers rate at the kiosk, a few on paper; a quick service rates higher."""
        rng = self.survey_rng
        if rng.random() >= story.SURVEYED:
            return
        centre = story.SURVEY_QUICK if ratio < 1 else story.SURVEY_SLOW
        scores = [min(4, max(1, round(rng.gauss(centre, 0.6)))) for _ in range(9)]
        by = desk if rng.random() < story.SURVEY_ON_PAPER else ""
        script.do(rng.uniform(1, 10), "rate", by, ",".join(map(str, scores)))

    def _service(
        self,
        script: _Script,
        registered: datetime,
        owner: str,
        p2: str,
        sop_days: int,
        elapsed: float,
    ) -> float:
        """The P2 desk's work: perhaps a note and a pause, then the answer, around the SOP.
        Returns how long it took against the SOP time."""
        rng = self.rng
        trend = story.TRENDS.get(owner, story.STEADY)
        ratio = trend.ratio_at(elapsed) * math.exp(rng.gauss(0, story.SERVICE_SPREAD))
        work = ratio * sop_days * self.day_minutes
        if rng.random() < story.MESSAGE:
            script.do(rng.uniform(10, 120), "message", p2, rng.choice(story.MESSAGES))
        paused = 0.0
        if rng.random() < story.PAUSE:
            script.do(rng.uniform(15, 180), "pause", p2, rng.choice(story.PAUSE_REASONS))
            paused = rng.uniform(0.5, 3) * self.day_minutes
            script.do(paused, "resume", p2)
        done = self.calendar.add_office_time(registered, timedelta(minutes=work + paused))
        left = self.calendar.office_time_between(script.at, done).total_seconds() / 60
        script.do(max(left, rng.uniform(15, 60)), "resolve", p2, rng.choice(story.ANSWERS))
        return ratio

    def _maybe_release(self, script: _Script, unit: str, holder: str, elapsed: float) -> str:
        desks = self.office.desks[unit]
        if len(desks) < 2 or self.rng.random() >= story.RELEASE:
            return holder
        script.do(
            self.rng.uniform(20, 150), "release", holder, self.rng.choice(story.RELEASE_REASONS)
        )
        return self._claim(script, unit, elapsed, avoid=holder)

    def _claim(self, script: _Script, unit: str, elapsed: float, avoid: str = "") -> str:
        """A desk of `unit` takes the open task, after the unit's usual delay; a late one is
        sometimes a supervisor's assignment instead. Returns who holds it."""
        rng = self.rng
        trend = story.TRENDS.get(unit, story.STEADY)
        delay = trend.claim_at(elapsed) * math.exp(rng.gauss(0, story.CLAIM_SPREAD))
        desks = [d for d in self.office.desks[unit] if d != avoid] or list(self.office.desks[unit])
        holder = rng.choice(desks)
        bosses = self.office.supervisors.get(unit, ())
        late = delay > story.ASSIGN_AFTER and bosses and len(desks) > 1
        if late and rng.random() < story.ASSIGN_LATE:
            script.do(delay, "assign", rng.choice(bosses), to=holder)
            return holder
        script.do(delay, "claim", holder)
        return holder

    def _customer(self, number: int) -> tuple[str, str]:
        rng = self.rng
        if number % 3 == 0:
            name = story.COMPANIES[number // 3 % len(story.COMPANIES)]
        else:
            name = f"{rng.choice(story.FIRST_NAMES)} {rng.choice(story.LAST_NAMES)}"
        return name, f"08{rng.choice((12, 13, 21, 52, 57, 77, 81, 95))}{rng.randrange(10**7):07d}"
