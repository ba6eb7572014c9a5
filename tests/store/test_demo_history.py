"""The demo's weeks of history: written through the workflow, in office hours, the same every
time, with units that get better and one that gets worse; and today's overdue requests with
their alerts, sent, failed and being retried.

One seeded database (two weeks of history) serves the read-only tests of this module.
"""

import statistics
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text

from ptsa_tui.config import Settings
from ptsa_tui.store import demo_story as story
from ptsa_tui.store.calendar import OfficeCalendar
from ptsa_tui.store.database import make_engine
from ptsa_tui.store.demo import DemoSummary, demo_org, seed_demo
from ptsa_tui.store.demo_history import quick_commits
from ptsa_tui.store.demo_overdue import GAVE_UP, OVERDUE, RETRYING, office_instant_before
from ptsa_tui.store.demo_plan import plan_history
from ptsa_tui.store.ikm import satisfaction
from ptsa_tui.store.workflow import Workflow
from tests.conftest import WIB, clone_database, drop_database, with_database

# A Wednesday, half an hour after opening: some of "today's" overdue requests were offered
# the afternoon before.
NOW = datetime(2026, 11, 25, 8, 0, tzinfo=WIB)
WEEKS = 2
START = NOW - timedelta(weeks=WEEKS)


def wib(day: int, hour: int, minute: int, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=WIB)


def seeded_database(
    server_url: str, template_name: str, home: Path
) -> Iterator[tuple[Engine, Workflow, DemoSummary]]:
    name = clone_database(server_url, template_name)
    url = with_database(server_url, name)
    engine = make_engine(url, pool_size=4)
    workflow = Workflow(engine, Settings(database_url=url, home=home))
    with pytest.MonkeyPatch.context() as patch:
        # argon2 for 56 officers costs seconds and is not what these tests are about
        patch.setattr("ptsa_tui.store.org.hash_password", lambda password: "not-a-hash")
        summary = seed_demo(engine, workflow, now=NOW, weeks=WEEKS)
    try:
        yield engine, workflow, summary
    finally:
        engine.dispose()
        drop_database(server_url, name)


@pytest.fixture(scope="module")
def seeded(
    server_url: str, template_name: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Engine, Workflow, DemoSummary]]:
    yield from seeded_database(server_url, template_name, tmp_path_factory.mktemp("home"))


def rows(engine: Engine, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    with engine.connect() as conn:
        return [tuple(row) for row in conn.execute(text(sql), params)]


def in_office_hours(calendar: OfficeCalendar, at: datetime) -> bool:
    local = at.astimezone(calendar.timezone)
    if not calendar.is_working_day(local.date()):
        return False
    opens, closes = calendar.hours[local.weekday()]
    return opens <= local.time() <= closes


# -- the plan, pure ---------------------------------------------------------------------


def test_a_quarter_of_history_uses_every_step_in_office_hours(workflow: Workflow) -> None:
    calendar = workflow.rules.calendar
    plan = plan_history(demo_org(), calendar, weeks=13, now=NOW)
    per_day = Counter(p.at.astimezone(WIB).date() for p in plan)
    first, today = min(per_day), NOW.astimezone(WIB).date()
    low, high = story.DAILY_REQUESTS
    # the first and the last day are cut short by the history's ends
    assert all(low <= n <= high for day, n in per_day.items() if day not in (first, today))
    assert all(calendar.is_working_day(day) for day in per_day)
    assert first >= (NOW - timedelta(weeks=13)).date()
    actions = Counter(step.action for p in plan for step in p.steps)
    every = {"claim", "assign", "dispatch", "transfer", "return", "release", "pause", "resume"}
    assert every | {"message", "resolve", "close", "rate"} == set(actions)
    assert sum(p.answer is not None for p in plan) > 0  # some answered at the counter
    for planned in plan:
        times = [planned.at] + [step.at for step in planned.steps]
        assert times == sorted(times) and times[-1] <= NOW
        assert all(in_office_hours(calendar, at) for at in times), planned
    assert plan == plan_history(demo_org(), calendar, weeks=13, now=NOW)
    assert plan_history(demo_org(), calendar, weeks=0, now=NOW) == []


def test_office_time_is_counted_back_over_evenings_weekends_and_holidays(
    workflow: Workflow,
) -> None:
    calendar = workflow.rules.calendar
    minutes = timedelta(minutes=1)
    # 30 min on Wednesday morning, the other 50 before Tuesday's 16:00 closing
    assert office_instant_before(calendar, NOW, 80 * minutes) == wib(24, 15, 10)
    # Monday 07:40 less 30 min: 10 on Monday, 20 before Friday's 16:30 closing
    assert office_instant_before(calendar, wib(23, 7, 40), 30 * minutes) == wib(20, 16, 10)
    # at night the span ends at the day's closing
    assert office_instant_before(calendar, wib(24, 21, 0), 15 * minutes) == wib(24, 15, 45)
    # Monday 28 Dec 07:45: Christmas (Fri 25) and its cuti bersama (Thu 24) are off
    monday = wib(28, 7, 45, month=12)
    assert office_instant_before(calendar, monday, 45 * minutes) == wib(23, 15, 30, month=12)
    for span in (0, 1, 29, 510, 2000):
        start = office_instant_before(calendar, NOW, span * minutes)
        assert calendar.office_time_between(start, NOW) == span * minutes
        assert start.tzinfo is UTC


# -- the history, written -----------------------------------------------------------------


def test_the_history_went_through_the_workflow_with_an_event_for_every_step(
    seeded: tuple[Engine, Workflow, DemoSummary],
) -> None:
    engine, workflow, summary = seeded
    assert summary.history > 10 * 5  # two weeks of ten working days, six or more a day
    [(history,)] = rows(engine, "SELECT count(*) FROM request WHERE details = :d", d=story.DETAILS)
    assert history == summary.history
    [(earliest, latest)] = rows(engine, "SELECT min(created_at), max(created_at) FROM request")
    assert earliest >= START and latest <= NOW
    # every request was registered, every claim, assignment and hand-off has its event, at
    # its moment, by its officer
    assert (
        rows(
            engine,
            "SELECT r.id FROM request r WHERE NOT EXISTS (SELECT 1 FROM event e"
            " WHERE e.request_id = r.id AND e.kind = 'registered' AND e.at = r.created_at"
            " AND e.officer_id = r.registered_by)",
        )
        == []
    )
    assert (
        rows(
            engine,
            "SELECT t.id FROM task t WHERE t.claimed_at IS NOT NULL AND NOT EXISTS (SELECT 1"
            " FROM event e WHERE e.task_id = t.id AND e.kind IN ('claimed', 'assigned')"
            " AND e.at = t.claimed_at)",
        )
        == []
    )
    assert (
        rows(
            engine,
            "SELECT t.id FROM task t WHERE t.closed_at IS NOT NULL AND NOT EXISTS (SELECT 1"
            " FROM event e WHERE e.task_id = t.id AND e.kind = t.outcome AND e.at = t.closed_at)",
        )
        == []
    )
    assert (
        rows(
            engine,
            "SELECT p.id FROM request_pause p WHERE NOT EXISTS (SELECT 1 FROM event e"
            " WHERE e.request_id = p.request_id AND e.kind = 'paused' AND e.at = p.paused_at)"
            " OR (p.resumed_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM event e"
            " WHERE e.request_id = p.request_id AND e.kind = 'resumed' AND e.at = p.resumed_at))",
        )
        == []
    )
    [(messages, noted)] = rows(
        engine,
        "SELECT (SELECT count(*) FROM message),"
        " (SELECT count(*) FROM event WHERE kind = 'message')",
    )
    assert messages == noted > 0
    kinds = dict(rows(engine, "SELECT kind, count(*) FROM event GROUP BY kind"))
    for kind in ("claimed", "dispatched", "resolved", "closed", "paused", "resumed"):
        assert kinds.get(kind, 0) > 0, kind
    assert sum(kinds.get(k, 0) for k in ("transferred", "returned", "released", "assigned")) > 0
    # nothing at night, at weekends or on holidays: every officer's act in office hours
    calendar = workflow.rules.calendar
    acts = rows(engine, "SELECT at FROM event WHERE officer_id IS NOT NULL")
    assert acts and all(in_office_hours(calendar, at) for (at,) in acts)
    # (the org import alone stamps its event with the real clock)
    later = "SELECT count(*) FROM event WHERE at > :now AND kind <> 'org_imported'"
    assert rows(engine, later, now=NOW) == [(0,)]


CLAIM_MEDIANS = """
SELECT u.code,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM t.claimed_at - t.offered_at))
           FILTER (WHERE t.offered_at < :first_end),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM t.claimed_at - t.offered_at))
           FILTER (WHERE t.offered_at >= :last_start)
FROM task t JOIN unit u ON u.id = t.unit_id JOIN request r ON r.id = t.request_id
WHERE t.claimed_at IS NOT NULL AND r.details = :details
GROUP BY u.code
"""


def test_units_get_faster_or_slower_as_the_story_says(
    seeded: tuple[Engine, Workflow, DemoSummary],
) -> None:
    engine, _, _ = seeded
    medians = {
        code: (first, last)
        for code, first, last in rows(
            engine,
            CLAIM_MEDIANS,
            first_end=START + timedelta(weeks=1),
            last_start=NOW - timedelta(weeks=1),
            details=story.DETAILS,
        )
    }
    for improving in ("BINAPENTA", "PPTKA"):
        first, last = medians[improving]
        assert first > last, (improving, first, last)
    first, last = medians[story.WORSENING_UNIT]
    assert first < last, (story.WORSENING_UNIT, first, last)


def test_closed_requests_were_rated_and_the_office_has_a_grade(
    seeded: tuple[Engine, Workflow, DemoSummary],
) -> None:
    engine, workflow, _ = seeded
    [(closed, rated, on_paper, open_rated)] = rows(
        engine,
        "SELECT count(*) FILTER (WHERE r.status = 'closed'), count(s.id),"
        " count(s.id) FILTER (WHERE s.source = 'paper'),"
        " count(s.id) FILTER (WHERE r.status <> 'closed')"
        " FROM request r LEFT JOIN survey s ON s.request_id = r.id WHERE r.details = :d",
        d=story.DETAILS,
    )
    assert 0.4 * closed < rated < 0.8 * closed and 0 < on_paper < rated and open_rated == 0
    report = satisfaction(engine, workflow.rules.calendar, start=START.date(), end=NOW.date())
    assert report.office.responses == rated and report.office.grade in ("A", "B", "C", "D")
    assert sum(unit.responses for unit in report.units) == rated  # none answered on the spot


def test_the_history_notified_its_customers_and_every_notice_was_delivered(
    seeded: tuple[Engine, Workflow, DemoSummary],
) -> None:
    engine, _, _ = seeded
    [(requests, notices, pending, unsent, events, late)] = rows(
        engine,
        "SELECT (SELECT count(*) FROM request r JOIN customer c ON c.id = r.customer_id"
        "        WHERE c.phone IS NOT NULL),"
        " count(*), count(*) FILTER (WHERE n.status = 'pending'),"
        " count(*) FILTER (WHERE n.sent_at IS NULL),"
        " (SELECT count(*) FROM event WHERE kind = 'notice_sent'),"
        " count(*) FILTER (WHERE n.sent_at > :now)"
        " FROM notice n",
        now=NOW,
    )
    # each request with a phone was at least registered, and most went on to close
    assert requests > 0 and notices > requests
    assert (pending, unsent, late) == (0, 0, 0)
    assert events == notices


def test_the_seed_is_the_same_every_time(
    seeded: tuple[Engine, Workflow, DemoSummary],
    server_url: str,
    template_name: str,
    tmp_path: Path,
) -> None:
    fingerprint = (
        "SELECT e.kind, e.at, e.request_id, e.task_id, o.username, e.details::text"
        " FROM event e LEFT JOIN officer o ON o.id = e.officer_id"
        " WHERE e.kind <> 'org_imported' ORDER BY e.id"
    )
    alerts = (
        "SELECT task_id, level, recipient_id, status, attempts, created_at, sent_at"
        " FROM alert ORDER BY id"
    )
    tracking = "SELECT tracking_no, created_at, subject FROM request ORDER BY id"
    engine, _, summary = seeded
    for again, _, second in seeded_database(server_url, template_name, tmp_path):
        assert second == summary
        for sql in (fingerprint, alerts, tracking):
            assert rows(again, sql) == rows(engine, sql)


# -- today's overdue requests and their alerts -------------------------------------------


def test_todays_overdue_requests_wait_past_their_deadline_with_their_alerts(
    seeded: tuple[Engine, Workflow, DemoSummary],
) -> None:
    engine, workflow, summary = seeded
    calendar = workflow.rules.calendar
    waiting = rows(
        engine,
        "SELECT t.id, u.code, t.offered_at, t.claim_due_at FROM task t"
        " JOIN unit u ON u.id = t.unit_id JOIN request r ON r.id = t.request_id"
        " WHERE t.closed_at IS NULL AND t.claimed_by IS NULL AND t.claim_due_at < :now"
        " AND r.details = :details",
        now=NOW,
        details=story.TODAY_DETAILS,
    )
    late = Counter(
        (code, int(calendar.office_time_between(due, NOW).total_seconds() // 60))
        for _, code, _, due in waiting
    )
    # late by the office clock, by as much as planned; and the one late since the day before
    # (that one: due Tuesday 07:40, so late by Tuesday's 07:40-16:00 and Wednesday's 30 min)
    assert late - Counter((o.unit, o.late_minutes) for o in OVERDUE) == Counter(
        {("DIT-BINRIKSA", 500 + 30): 1}
    )
    assert summary.overdue == len(OVERDUE) + 1 == len(waiting)
    # PPTKA's 50-minute one (its claim SLA is 45 min): 95 office minutes before Wednesday
    # 08:00 is Tuesday 14:55; its level 2 fell due 30 office minutes after its 15:40 deadline,
    # at 07:40, and the daemon's pass a minute later raised it
    [(task_id, due)] = [
        (t, due)
        for t, code, offered, due in waiting
        if (code, offered) == ("PPTKA", wib(24, 14, 55))
    ]
    assert due == wib(24, 15, 40)
    alerts = rows(
        engine,
        "SELECT a.level, o.username, a.status, a.attempts, a.created_at FROM alert a"
        " JOIN officer o ON o.id = a.recipient_id WHERE a.task_id = :t ORDER BY a.level",
        t=task_id,
    )
    assert alerts == [
        (1, "spv2", "sent", 1, wib(24, 15, 41)),
        (2, "spv1", "sent", 1, wib(25, 7, 41)),
    ]


def test_the_alerts_were_sent_one_given_up_and_one_still_retried(
    seeded: tuple[Engine, Workflow, DemoSummary],
) -> None:
    engine, _, summary = seeded
    assert summary.alerts is not None
    statuses = dict(rows(engine, "SELECT status, count(*) FROM alert GROUP BY status"))
    assert statuses == {"sent": summary.alerts.sent, "failed": 1, "pending": 1}
    assert summary.alerts.raised == sum(statuses.values())
    # every attempt is in the outbox's log, and in the audit trail
    assert (
        rows(
            engine,
            "SELECT a.id FROM alert a WHERE a.attempts <>"
            " (SELECT count(*) FROM alert_attempt t WHERE t.alert_id = a.id)",
        )
        == []
    )
    [(given_up, error, attempts, ok)] = rows(
        engine,
        "SELECT a.task_id, a.last_error, a.attempts, bool_or(t.ok) FROM alert a"
        " JOIN alert_attempt t ON t.alert_id = a.id WHERE a.status = 'failed'"
        " GROUP BY a.id",
    )
    assert error == GAVE_UP and attempts > 10 and not ok
    [(offered,)] = rows(engine, "SELECT offered_at FROM task WHERE id = :t", t=given_up)
    assert offered < NOW - timedelta(days=1)  # late since the day before
    [(error, attempts, next_attempt, unit)] = rows(
        engine,
        "SELECT a.last_error, a.attempts, a.next_attempt_at, u.code FROM alert a"
        " JOIN task t ON t.id = a.task_id JOIN unit u ON u.id = t.unit_id"
        " WHERE a.status = 'pending'",
    )
    assert (error, unit) == (RETRYING, "PTKLN") and attempts >= 2 and next_attempt > NOW
    kinds = dict(
        rows(engine, "SELECT kind, count(*) FROM event WHERE kind LIKE 'alert%' GROUP BY kind")
    )
    assert kinds["alert_sent"] == summary.alerts.sent and kinds["alert_given_up"] == 1
    assert rows(
        engine, "SELECT count(*) FROM alert WHERE sent_at > :now OR created_at > :now", now=NOW
    ) == [(0,)]


def test_claim_delays_in_the_plan_follow_each_units_trend(workflow: Workflow) -> None:
    """Over the whole quarter the story is clear in the plan alone: first month against
    last month, in office minutes."""
    calendar = workflow.rules.calendar
    plan = plan_history(demo_org(), calendar, weeks=13, now=NOW)
    unit_of = {o.username: o.unit for o in demo_org().officers}
    first_month, last_month = NOW - timedelta(weeks=13 - 4), NOW - timedelta(weeks=4)
    delays: dict[tuple[str, bool], list[float]] = {}
    for planned in plan:
        offered = planned.at
        for step in planned.steps:
            if step.action in ("claim", "assign"):
                holder = step.to if step.action == "assign" else step.by
                assert holder is not None
                if offered < first_month or offered >= last_month:
                    minutes = calendar.office_time_between(offered, step.at).total_seconds() / 60
                    delays.setdefault((unit_of[holder], offered < first_month), []).append(minutes)
            elif step.action not in ("message", "pause", "resume"):
                offered = step.at  # a hand-off offers a new task
    median = {key: statistics.median(values) for key, values in delays.items()}
    for unit, trend in story.TRENDS.items():
        start, end = trend.claim_minutes
        early, late = median[(unit, True)], median[(unit, False)]
        assert (early > late) == (start > end), (unit, early, late)


def test_the_seed_writes_on_connections_that_do_not_wait_for_the_disk(
    workflow: Workflow,
) -> None:
    with quick_commits(workflow) as writer, writer.engine.connect() as conn:
        assert conn.execute(text("SHOW synchronous_commit")).scalar() == "off"
        assert writer.shared_rules is workflow.shared_rules
    with workflow.engine.connect() as conn:  # the caller's own engine is left as it was
        assert conn.execute(text("SHOW synchronous_commit")).scalar() == "on"
