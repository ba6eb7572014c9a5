"""The demo office: the organisation from demo_org.toml, weeks of history (demo_plan,
demo_history), sample requests at every stage, and today's overdue ones with their alerts
(demo_overdue); the customers' notices of it all were delivered (demo_notices)."""

import random
import tomllib
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, exists
from sqlalchemy.orm import Session
from sqlmodel import col, select

from ptsa_tui.store import audit
from ptsa_tui.store.calendar import OfficeCalendar
from ptsa_tui.store.demo_history import quick_commits, write_history
from ptsa_tui.store.demo_notices import settle_notices
from ptsa_tui.store.demo_overdue import (
    AlertCounts,
    add_overdue,
    failing_sends,
    office_instant_before,
    overdue_steps,
    raise_and_deliver,
)
from ptsa_tui.store.demo_plan import PlannedRequest, plan_history
from ptsa_tui.store.models import Event, Officer, Service, Unit
from ptsa_tui.store.org import OrgFile, Progress, import_org, parse_org
from ptsa_tui.store.timeutil import as_utc, utc_now
from ptsa_tui.store.workflow import Workflow

DEMO_PASSWORD = "ptsademo"
DEMO_ORG = Path(__file__).with_name("demo_org.toml")
SAMPLE_REQUESTS = 27
HISTORY_WEEKS = 13

_CUSTOMERS = [
    ("PT Sinar Abadi Tekstil", "081234500011"),
    ("Siti Rahmawati", "081298761234"),
    ("CV Karya Mandiri", "085712349876"),
    ("Agus Prasetyo", "081377788899"),
    ("PT Nusantara Logistik", "082112345678"),
    ("Dewi Lestari", "087788990011"),
    ("Yayasan Pelatihan Kerja Bina Insani", "081311122233"),
    ("Hendra Wijaya", "081255566677"),
]
_SUBJECTS = [
    "Permohonan data penduduk bekerja per provinsi",
    "Pengesahan dokumen untuk tenaga kerja asing",
    "Konsultasi pencatatan PKB",
    "Pengaduan upah lembur tidak dibayar",
    "Permohonan legalisir salinan keputusan",
    "Informasi syarat lisensi LPK",
]


@dataclass(frozen=True)
class DemoSummary:
    units: int
    officers: int
    services: int
    requests: int  # sample requests at every stage
    history: int = 0  # requests of the weeks before
    overdue: int = 0  # today's, unclaimed past their deadline
    alerts: AlertCounts | None = None


def seed_demo(
    engine: Engine,
    workflow: Workflow,
    progress: Progress | None = None,
    now: datetime | None = None,
    weeks: int = HISTORY_WEEKS,
) -> DemoSummary:
    """Idempotent: the organisation is upserted; the traffic (`weeks` of history, the sample
    requests, today's overdue ones and their alerts) is added only the first time."""
    now = as_utc(now) if now else utc_now()
    org = demo_org()
    with_passwords = org.model_copy(
        update={
            "officers": [o.model_copy(update={"password": DEMO_PASSWORD}) for o in org.officers]
        }
    )
    counts = import_org(engine, with_passwords, progress)
    if _seeded(engine):
        return DemoSummary(counts.units, counts.officers, counts.services, 0)
    with quick_commits(workflow) as writer:
        history = write_history(writer, _plan(writer, org, weeks, now), progress)
        requests = _add_traffic(writer.engine, writer, now, progress)
        overdue, stale = add_overdue(writer, now=now, progress=progress)
        if progress:
            progress("alerts", 0)  # names the last step while the daemon's passes run
        alerts = raise_and_deliver(writer, now=now, failing=failing_sends(overdue, stale))
        settle_notices(writer.engine, until=now)
        if progress:
            progress("alerts", 1)
    with Session(engine) as session, session.begin():
        audit.record(
            session,
            kind="demo_seeded",
            at=now,
            officer_id=None,
            details={"requests": requests, "history": history, "weeks": weeks},
        )
    return DemoSummary(
        counts.units,
        counts.officers,
        counts.services,
        requests,
        history,
        len(overdue) + 1,
        alerts,
    )


def demo_steps(
    engine: Engine, workflow: Workflow, *, weeks: int = HISTORY_WEEKS, now: datetime | None = None
) -> int:
    """How many progress steps `seed_demo` will report with the same `weeks` and `now`: the
    whole org, and the requests unless they are already there."""
    org = demo_org()
    steps = len(org.units) + len(org.officers) + len(org.services)
    if _seeded(engine):
        return steps
    plan = _plan(workflow, org, weeks, as_utc(now) if now else utc_now())
    return steps + len(plan) + SAMPLE_REQUESTS + overdue_steps() + 1  # the alerts


def _plan(workflow: Workflow, org: OrgFile, weeks: int, now: datetime) -> list[PlannedRequest]:
    return plan_history(org, workflow.rules.calendar, weeks=weeks, now=now)


def demo_org() -> OrgFile:
    return parse_org(tomllib.loads(DEMO_ORG.read_text(encoding="utf-8")), source=DEMO_ORG.name)


def _seeded(engine: Engine) -> bool:
    with Session(engine) as session:
        return bool(session.scalar(select(exists().where(col(Event.kind) == "demo_seeded"))))


def _add_traffic(
    engine: Engine, workflow: Workflow, now: datetime, progress: Progress | None
) -> int:
    """Requests spread over the last week, each pushed to a different stage of the workflow."""
    rng = random.Random(2016)
    calendar = workflow.rules.calendar
    with Session(engine) as session:
        # ordered, so that the seed is the same every time
        services = session.execute(
            select(Service.code, Unit.code, Unit.parent_id)
            .join(Unit, col(Unit.id) == Service.unit_id)
            .order_by(col(Service.code))
        ).all()
        front = session.scalars(
            select(Officer.username)
            .join(Unit)
            .where(col(Unit.tier) == 0)
            .order_by(col(Officer.username))
        ).all()
        by_unit: dict[str, list[str]] = {}
        for username, unit_code in session.execute(
            select(Officer.username, Unit.code)
            .join(Unit, col(Unit.id) == Officer.unit_id)
            .order_by(col(Officer.username))
        ):
            by_unit.setdefault(unit_code, []).append(username)
        parents: dict[int | None, str] = dict(session.execute(select(Unit.id, Unit.code)).all())
    stages = [
        "queued",
        "queued",
        "p1_claimed",
        "p2_queued",
        "p2_claimed",
        "resolved",
        "closed",
        "returned",
        "on_the_spot",
    ]
    count = 0
    for index in range(SAMPLE_REQUESTS):
        service, owner, parent_id = services[index % len(services)]
        parent = parents[parent_id]
        stage = stages[index % len(stages)]
        # a third of them are old, so their claim deadlines have passed; all in office hours
        old = index % 3 == 0
        started = office_instant_before(
            calendar,
            now - timedelta(days=6) if old else now,
            timedelta(hours=index % 8, minutes=5) if old else timedelta(minutes=3 * index + 1),
        )
        customer, phone = _CUSTOMERS[index % len(_CUSTOMERS)]
        p0 = rng.choice(front)
        registered = workflow.register(
            by=p0,
            now=started,
            customer={"name": customer, "phone": phone},
            service_code=service,
            subject=_SUBJECTS[index % len(_SUBJECTS)],
            details="Contoh permohonan untuk demo.",
            channel=rng.choice(["walk-in", "phone", "email", "letter", "web"]),
            answer="Dijawab langsung di loket." if stage == "on_the_spot" else None,
        )
        task_id = registered.task.id
        assert task_id is not None
        steps = _Steps(calendar, started, now)
        _advance(workflow, stage, task_id, by_unit, p0, parent, owner, steps, rng)
        count += 1
        if progress:
            progress("requests", 1)
    return count


class _Steps:
    """The moments of a sample request's steps: 7 office minutes apart, or closer when that
    would pass `now`."""

    def __init__(self, calendar: OfficeCalendar, start: datetime, now: datetime) -> None:
        self.calendar = calendar
        self.at = start
        self.gap = min(timedelta(minutes=7), calendar.office_time_between(start, now) / 6)

    def __next__(self) -> datetime:
        self.at = self.calendar.add_office_time(self.at, self.gap)
        return self.at


def _advance(
    workflow: Workflow,
    stage: str,
    task_id: int,
    by_unit: dict[str, list[str]],
    p0: str,
    p1_unit: str,
    p2_unit: str,
    at: _Steps,
    rng: random.Random,
) -> None:
    if stage in ("queued", "on_the_spot"):
        return
    p1 = rng.choice(by_unit[p1_unit])
    workflow.claim(task_id=task_id, by=p1, now=next(at))
    if stage == "p1_claimed":
        return
    if stage == "returned":
        workflow.return_task(
            task_id=task_id, by=p1, reason="Bukan kewenangan unit ini.", now=next(at)
        )
        return
    moved = workflow.dispatch(
        task_id=task_id, to=p2_unit, by=p1, note="Mohon ditindaklanjuti.", now=next(at)
    )
    if stage == "p2_queued":
        return
    assert moved.offered is not None and moved.offered.id is not None
    p2 = rng.choice(by_unit[p2_unit])
    workflow.claim(task_id=moved.offered.id, by=p2, now=next(at))
    if stage == "p2_claimed":
        return
    answered = workflow.resolve(
        task_id=moved.offered.id, by=p2, answer="Dokumen telah diproses.", now=next(at)
    )
    if stage == "closed":
        assert answered.offered is not None and answered.offered.id is not None
        workflow.close(task_id=answered.offered.id, by=p0, now=next(at))
